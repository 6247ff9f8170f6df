// The fault matrix of issue 7 at the core level: each of the fifteen failures is injected into the
// real simulator (or the client points at a refused port or a `.invalid` host), and the real core
// meets it as users do. Completion: the keystroke resolves (never throws), completion pauses for
// the right reason (telling the user only when they must act), sends nothing while paused, and
// resumes by itself when the pause ends. Chat: the turn ends with the right error and actions,
// retries stay bounded, and text streamed before a failure is kept. Mockup and the VS Code side
// (status bar, inline chat errors, context shrinking) are in test/integration/resilience.test.ts.
import * as assert from 'node:assert/strict';
import type { PauseReason, PauseState } from '../../../src/core/completion/completionBackoff';
import { CompletionService } from '../../../src/core/completion/completionService';
import { turnErrorView } from '../../../src/core/chat/turnErrors';
import { runTurn } from '../../../src/core/chat/turnRunner';
import { KimiClient, type KimiClientOptions } from '../../../src/core/kimi/kimiClient';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import { RateLimiter } from '../../../src/core/kimi/rateLimiter';
import { parseSettings } from '../../../src/core/config/settings';
import { silentLogger } from '../../../src/core/log/logger';
import { closedLoopbackPort, FAULT_CASES, UNRESOLVABLE_BASE_URL, type FaultCase } from '../../support/simulator/faultCatalog';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { snap } from '../completion/completionHelpers';
import { FakeClock } from '../helpers/fakeClock';
import { FAULT_MESSAGES, INTERACTIVE_EXPECTATIONS } from './faultExpectations';

const limits = { concurrency: 4, requestsPerMinute: 1_000, tokensPerMinute: 10_000_000 };
/** Client timeouts short enough for a quick test, long enough for a loaded machine; the silence is longer. */
const TIMEOUTS = { firstByteTimeoutMs: 1_500, idleTimeoutMs: 1_500 };
const SILENCE = { silentMs: 6_000 };
const COMPLETION_TEXT = 'Value';
const CONTEXT = '// src/other.ts\nexport const CONTEXT_MARKER = 1;\n';
const CHAT_ANSWER = 'The answer is forty-two, because six times seven is forty-two.';

interface CompletionExpectation {
  /** HTTP attempts the keystroke makes. */
  attempts: number;
  pause: PauseReason | undefined;
  /** A notification (once) because the user must act. */
  notify: boolean;
  /** When the pause ends by itself (ms); 'keyOrSettings' = only when the key or settings change. */
  resumesAfter?: number | 'keyOrSettings';
  /** The keystroke still gets a suggestion (the failure was handled inside the request). */
  served?: boolean;
}

const offline = (resumesAfter = 2_000): CompletionExpectation => ({ attempts: 1, pause: 'offline', notify: false, resumesAfter });
const COMPLETION: Record<string, CompletionExpectation> = {
  '401 bad key': { attempts: 1, pause: 'auth', notify: true, resumesAfter: 'keyOrSettings' },
  '403 permission': { attempts: 1, pause: 'permission', notify: true, resumesAfter: 'keyOrSettings' },
  '404 unknown model': { attempts: 1, pause: 'model', notify: true, resumesAfter: 'keyOrSettings' },
  '429 rate limit': { attempts: 1, pause: 'rateLimit', notify: false, resumesAfter: 1_000 },
  '429 quota exhausted': { attempts: 1, pause: 'quota', notify: true, resumesAfter: 10 * 60_000 },
  '400 context too long': { attempts: 2, pause: undefined, notify: false, served: true },
  '400 content filter': { attempts: 1, pause: undefined, notify: false },
  '500 server error': offline(),
  '504 gateway timeout': offline(),
  'connection refused': offline(),
  'DNS failure': offline(),
  'no bytes for too long': offline(),
  'stall mid-stream': offline(),
  'connection cut mid-stream': offline(),
  'malformed chunk': { attempts: 1, pause: 'badRequest', notify: false, resumesAfter: 10_000 },
  'empty choices': offline(),
};

describe('fault matrix (core against the simulator)', function () {
  this.timeout(30_000);
  let sim: KimiSimulator;
  let refusedBaseUrl: string;

  before(async () => {
    sim = await startSimulator();
    refusedBaseUrl = `http://127.0.0.1:${await closedLoopbackPort()}/v1`;
  });
  after(() => sim.close());
  afterEach(() => sim.reset());

  const baseUrlOf = (c: FaultCase): string => (c.endpoint === 'closedPort' ? refusedBaseUrl : c.endpoint === 'unresolvable' ? UNRESOLVABLE_BASE_URL : sim.baseUrl);

  /** A client whose HTTP attempts are counted (refused and unresolved ones never reach the simulator). */
  function countedClient(baseUrl: string, extra: Partial<KimiClientOptions>): { client: KimiClient; attempts: () => number } {
    let attempts = 0;
    const counted: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const client = new KimiClient({ baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', limiter: new RateLimiter(limits), fetch: counted, ...TIMEOUTS, ...extra });
    return { client, attempts: () => attempts };
  }

  /**
   * The extension's completion service (background client, fetcher, request manager, back-off), on
   * a fake clock for its pauses. No `/models` look-up: the attempts counted are the keystroke's.
   */
  function completionPipeline(baseUrl: string) {
    const clock = new FakeClock();
    const { client, attempts } = countedClient(baseUrl, { priority: 'background', retry: false });
    const settings = parseSettings({ get: () => undefined, userValue: () => undefined }, {});
    /** Failures the user was told about (a missing model through the connection, the rest through `onNotify`). */
    const notified: string[] = [];
    const service = new CompletionService<KimiClient>({
      connection: { client: () => Promise.resolve(client), modelNotFound: async () => notified.push('modelNotFound') },
      settings: () => settings,
      completionSettings: parseSettings({ get: () => undefined, userValue: () => undefined }, {}).completion,
      context: () => CONTEXT,
      log: silentLogger,
      clock,
      onNotify: (error) => notified.push(error.kind),
    });
    let typed = '';
    /** Types one more character and asks for a completion, as the inline provider does. */
    const keystroke = async (): Promise<string | undefined> => {
      typed += 'x';
      const shown = await service.complete(snap(`const total = ${typed}█;\n`, { explicit: true }), new AbortController().signal);
      await new Promise((resolve) => setImmediate(resolve)); // a missing model is told once the client is at hand
      return shown?.text;
    };
    const paused = (): PauseState | undefined => service.status().pause;
    return { clock, service, paused, notified, attempts, keystroke };
  }

  describe('completion: typing goes on, pauses are bounded and end by themselves', () => {
    for (const c of FAULT_CASES) {
      const expected = COMPLETION[c.name];
      it(`${c.name} → ${expected.pause ? `paused (${expected.pause})` : 'not paused'}${expected.notify ? ', told once' : ''}`, async () => {
        sim.reply({ content: COMPLETION_TEXT, chunkSize: 1, chunkDelayMs: 5 });
        c.inject(sim, 1, SILENCE);
        const p = completionPipeline(baseUrlOf(c));

        const first = await p.keystroke(); // resolves: a failure never reaches the editor as an exception
        assert.equal(p.attempts(), expected.attempts, 'HTTP attempts for the keystroke');
        assert.equal(first, expected.served ? COMPLETION_TEXT : undefined);
        if (expected.served) {
          const retried = sim.requests.filter((r) => r.path === '/v1/chat/completions');
          assert.match(JSON.stringify(retried[0].body), /CONTEXT_MARKER/, 'the first request carried the context');
          assert.doesNotMatch(JSON.stringify(retried[1].body), /CONTEXT_MARKER/, 'the retry left the context out');
        }
        if (!expected.served) {
          assert.ok(p.service.lastError, 'the failure is reported');
        }
        const pause = p.paused();
        assert.equal(pause?.reason, expected.pause, 'pause reason');
        assert.equal(p.notified.length > 0, expected.notify, 'notification');
        assert.ok(p.notified.length <= 1, 'told once');
        if (pause) {
          assert.match(pause.message, FAULT_MESSAGES[c.name]);
          assert.ok(!pause.message.includes(sim.apiKey), 'no key in the message');
        }

        if (expected.pause === undefined) {
          // Nothing is held back: the next keystroke asks again (and, the fault gone, gets the completion).
          const next = await p.keystroke();
          assert.equal(p.attempts(), expected.attempts + 1);
          assert.equal(next, COMPLETION_TEXT);
          return;
        }
        assert.equal(await p.keystroke(), undefined, 'paused: nothing to show');
        assert.equal(p.attempts(), expected.attempts, 'paused: no request sent');
        if (expected.resumesAfter === 'keyOrSettings') {
          await p.clock.advance(60 * 60_000);
          assert.ok(p.paused(), 'still paused an hour later: only a new key or settings help');
          p.service.resume();
        } else {
          await p.clock.advance((expected.resumesAfter ?? 0) - 1);
          assert.ok(p.paused(), 'still paused just before the pause ends');
          await p.clock.advance(1);
          assert.equal(p.paused(), undefined, 'resumed by itself');
        }
        const after = await p.keystroke();
        assert.equal(p.attempts(), expected.attempts + 1, 'one request once resumed');
        assert.equal(after, c.endpoint === 'simulator' ? COMPLETION_TEXT : undefined);
      });
    }
  });

  describe('chat: the turn fails with the right actions, retries are bounded, streamed text is kept', () => {
    async function chatTurn(c: FaultCase): Promise<{ error: unknown; answer: string; attempts: number }> {
      const { client, attempts } = countedClient(baseUrlOf(c), { priority: 'interactive' });
      let answer = '';
      let error: unknown;
      try {
        await runTurn({
          model: 'kimi-k2.6',
          thinking: false,
          maxTokens: 256,
          maxToolRounds: 1,
          userMessage: { role: 'user', content: 'What is six times seven?' },
          buildMessages: (current) => [...current],
          stream: (request, signal) => client.stream(request, signal),
          tools: { specs: [], label: () => '', run: () => Promise.reject(new Error('no tools here')) },
          signal: new AbortController().signal,
          sink: { reasoning: () => undefined, answer: (t) => (answer += t), reasoningDone: () => undefined, toolStarted: () => undefined, toolFinished: () => undefined, usage: () => undefined },
        });
      } catch (err) {
        error = err;
      }
      return { error, answer, attempts: attempts() };
    }

    for (const c of FAULT_CASES) {
      const expected = INTERACTIVE_EXPECTATIONS[c.name];
      it(`${c.name} → ${expected.kind} after ${expected.attempts} attempt(s), actions [${expected.actions.join(', ')}]`, async () => {
        sim.reply({ content: CHAT_ANSWER, chunkSize: 4, chunkDelayMs: 10 });
        c.inject(sim, 10, SILENCE);
        const failed = await chatTurn(c);
        assert.ok(KimiError.is(failed.error, expected.kind), `got ${String(failed.error)}`);
        assert.equal(failed.attempts, expected.attempts, 'HTTP attempts (1 + automatic retries)');
        const now = Date.now();
        const view = turnErrorView(failed.error, now);
        assert.deepEqual(view.actions, expected.actions);
        assert.match(view.message, FAULT_MESSAGES[c.name]);
        assert.ok(!view.message.includes(sim.apiKey), 'no key in the message');
        if (expected.kind === 'rateLimit') {
          assert.equal(view.retryAt, now + 1_000, 'Retry waits as long as Kimi asked');
        }
        if (c.midStream) {
          assert.ok(failed.answer.length > 0 && CHAT_ANSWER.startsWith(failed.answer) && failed.answer.length < CHAT_ANSWER.length, `partial answer kept: ${JSON.stringify(failed.answer)}`);
        } else {
          assert.equal(failed.answer, '', 'nothing was streamed');
        }
        if (expected.attempts > 1 && c.endpoint === 'simulator') {
          // The automatic retries recover when the fault clears within them.
          sim.reset();
          sim.reply({ content: CHAT_ANSWER, chunkSize: 4 });
          c.inject(sim, expected.attempts - 1, SILENCE);
          const recovered = await chatTurn(c);
          assert.equal(recovered.error, undefined, String(recovered.error));
          assert.equal(recovered.answer, CHAT_ANSWER);
          assert.equal(recovered.attempts, expected.attempts);
        }
      });
    }
  });
});
