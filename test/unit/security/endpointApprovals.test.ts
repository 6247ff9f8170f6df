// The host question must stay answerable until answered, per origin, cancellable by a Stop.
import * as assert from 'node:assert/strict';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import { EndpointApprovals, type ApprovalPrompts } from '../../../src/core/security/endpointApprovals';
import type { OriginDecisions } from '../../../src/core/security/endpointTrust';

/** A question the test answers by hand, so it can stay open (a hidden toast, an open modal). */
interface OpenQuestion {
  how: 'modal' | 'notification';
  origin: string;
  answer(value: boolean | undefined): void;
}

function setup(environmentBaseUrl?: string): { approvals: EndpointApprovals; asked: OpenQuestion[]; stored: () => OriginDecisions } {
  let stored: OriginDecisions = {};
  const asked: OpenQuestion[] = [];
  const question = (how: OpenQuestion['how']) => (origin: string): Promise<boolean | undefined> =>
    new Promise((resolve) => asked.push({ how, origin, answer: resolve }));
  const prompts: ApprovalPrompts = { modal: question('modal'), notification: question('notification') };
  const approvals = new EndpointApprovals(
    { get: () => stored, set: async (next) => void (stored = next) },
    prompts,
    () => environmentBaseUrl,
  );
  return { approvals, asked, stored: () => stored };
}

const isKind = (kind: KimiError['kind'], text?: RegExp) => (e: unknown): boolean => KimiError.is(e, kind) && (!text || text.test(e.message));
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('endpoint approvals', () => {
  it('asks completion once with a notification, then keeps the origin awaiting an answer without blaming the key', async () => {
    const { approvals, asked } = setup();
    for (let i = 0; i < 3; i++) {
      await assert.rejects(approvals.check('https://proxy.example/v1', { interactive: false }), isKind('endpointNotApproved', /approval.*https:\/\/proxy\.example/));
    }
    assert.deepEqual(asked.map((q) => q.how), ['notification'], 'one notification, not one per keystroke');
    // The notification was hidden (never answered): the origin stays awaiting, for the status bar.
    assert.deepEqual(approvals.awaiting, ['https://proxy.example']);
    const error = await approvals.check('https://proxy.example/v1', { interactive: false }).catch((e: unknown) => e);
    assert.ok(KimiError.is(error) && !/key\b.*(missing|needs|set one)|needs a Kimi API key/i.test(error.message), String(error));
  });

  it("the status bar's ask again is a modal, and its answer approves the origin for completion", async () => {
    const { approvals, asked, stored } = setup();
    await assert.rejects(approvals.check('https://proxy.example/v1', { interactive: false }));
    let changes = 0;
    approvals.onDidChange(() => changes++);
    const again = approvals.askAgain('https://proxy.example/v1');
    await tick();
    assert.equal(asked[1].how, 'modal');
    asked[1].answer(true);
    assert.equal(await again, true);
    assert.deepEqual(stored(), { 'https://proxy.example': true });
    assert.deepEqual(approvals.awaiting, []);
    assert.ok(changes > 0, 'completion is told, so it resumes');
    await approvals.check('https://proxy.example/v1', { interactive: false });
  });

  it('asks a request the user started with one modal shared by concurrent requests, and remembers a refusal', async () => {
    const { approvals, asked } = setup();
    const first = approvals.check('https://proxy.example/v1', { interactive: true });
    const second = approvals.check('https://proxy.example/other', { interactive: true });
    await tick();
    assert.deepEqual(asked.map((q) => q.how), ['modal']);
    asked[0].answer(false);
    await assert.rejects(first, isKind('endpointNotApproved', /refused/));
    await assert.rejects(second, isKind('endpointNotApproved', /refused/));
    await assert.rejects(approvals.check('https://proxy.example/v1', { interactive: true }), isKind('endpointNotApproved', /refused/));
    assert.equal(asked.length, 1, 'a refusal is not asked again');
  });

  it('a dismissed modal is not remembered: the next request asks again', async () => {
    const { approvals, asked, stored } = setup();
    const first = approvals.check('https://proxy.example/v1', { interactive: true });
    await tick();
    asked[0].answer(undefined);
    await assert.rejects(first, isKind('endpointNotApproved', /approval/));
    assert.deepEqual(stored(), {});
    const second = approvals.check('https://proxy.example/v1', { interactive: true });
    await tick();
    assert.equal(asked.length, 2);
    asked[1].answer(true);
    await second;
  });

  it('an aborted signal cancels the wait at once; a later answer is still recorded', async () => {
    const { approvals, asked, stored } = setup();
    const stop = new AbortController();
    const waiting = approvals.check('https://proxy.example/v1', { interactive: true, signal: stop.signal });
    await tick();
    stop.abort();
    await assert.rejects(waiting, isKind('cancelled'));
    asked[0].answer(true);
    await tick();
    assert.deepEqual(stored(), { 'https://proxy.example': true });
    const already = new AbortController();
    already.abort();
    await approvals.check('https://proxy.example/v1', { interactive: true, signal: already.signal });
  });

  it('approves per origin: https://h does not approve http://h, and http to Moonshot is asked about', async () => {
    const { approvals, asked } = setup();
    const https = approvals.check('https://proxy.example/v1', { interactive: true });
    await tick();
    asked[0].answer(true);
    await https;
    const http = approvals.check('http://proxy.example/v1', { interactive: true });
    await tick();
    assert.equal(asked.length, 2, 'http://proxy.example is a different origin');
    assert.equal(asked[1].origin, 'http://proxy.example');
    asked[1].answer(undefined);
    await assert.rejects(http);
    await approvals.check('https://api.moonshot.ai/v1', { interactive: false });
    await assert.rejects(approvals.check('http://api.moonshot.ai/v1', { interactive: false }), isKind('endpointNotApproved'));
    assert.equal(asked[2].origin, 'http://api.moonshot.ai');
  });

  it('lists and forgets remembered answers', async () => {
    const { approvals, asked } = setup();
    for (const [url, answer] of [['https://b.example/v1', true], ['http://a.example/v1', false]] as const) {
      const check = approvals.check(url, { interactive: true }).catch(() => undefined);
      await tick();
      asked[asked.length - 1].answer(answer);
      await check;
    }
    assert.deepEqual(approvals.list(), [
      { origin: 'http://a.example', allowed: false },
      { origin: 'https://b.example', allowed: true },
    ]);
    await approvals.forget(['http://a.example']);
    assert.deepEqual(approvals.list(), [{ origin: 'https://b.example', allowed: true }]);
    const again = approvals.check('http://a.example/v1', { interactive: true });
    await tick();
    assert.equal(asked.length, 3, 'a forgotten refusal is asked again');
    asked[2].answer(true);
    await again;
  });

  it('a question that could not be shown counts as unanswered, and the next request asks again', async () => {
    let stored: OriginDecisions = {};
    let modals = 0;
    const approvals = new EndpointApprovals(
      { get: () => stored, set: async (next) => void (stored = next) },
      { modal: () => (++modals === 1 ? Promise.reject(new Error('dialogs refused')) : Promise.resolve(true)), notification: () => Promise.reject(new Error('no')) },
      () => undefined,
    );
    await assert.rejects(approvals.check('https://proxy.example/v1', { interactive: true }), isKind('endpointNotApproved', /approval/));
    await approvals.check('https://proxy.example/v1', { interactive: true });
    assert.equal(modals, 2);
  });

  it('trusts the origin of MOONSHOT_BASE_URL without asking', async () => {
    const { approvals, asked } = setup('http://127.0.0.1:8787/v1');
    await approvals.check('http://127.0.0.1:8787/v1', { interactive: false });
    assert.equal(asked.length, 0);
  });
});
