// Rate limits across features (issue 7): one limiter per account; chat and mockup (interactive)
// wait their turn and go before completions (background); a completion that cannot start at once
// is dropped, never queued, so no stale request goes out later, and the drop is silent (no pause).
import * as assert from 'node:assert/strict';
import { CompletionService } from '../../../src/core/completion/completionService';
import type { ManagerEvent } from '../../../src/core/completion/requestTypes';
import { parseSettings } from '../../../src/core/config/settings';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import type { ChatRequest } from '../../../src/core/kimi/kimiTypes';
import { RateLimiter } from '../../../src/core/kimi/rateLimiter';
import { silentLogger } from '../../../src/core/log/logger';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { snap } from '../completion/completionHelpers';
import { FakeClock, flush } from '../helpers/fakeClock';


describe('rate limits: interactive work first, stale completions dropped', function () {
  this.timeout(15_000);

  it('a completion that would fit is refused while chat or mockup work waits for the budget', async () => {
    const limiter = new RateLimiter({ concurrency: 10, requestsPerMinute: 100, tokensPerMinute: 1_000 }, new FakeClock());
    const release = await limiter.acquire(600, 'interactive');
    let chatStarted = false;
    const chat = limiter.acquire(500, 'interactive').then((r) => {
      chatStarted = true;
      return r;
    });
    await flush();
    assert.equal(chatStarted, false, '600 + 500 tokens exceed the minute');
    // 600 + 100 would fit, but the waiting chat request goes first.
    await assert.rejects(limiter.acquire(100, 'background'), (e: unknown) => KimiError.is(e, 'rateLimit') && e.status === undefined);
    release();
    assert.equal(chatStarted, false, 'still over the TPM budget');
    assert.equal(limiter.active, 0);
    void chat;
  });

  describe('against the simulator, with the clients sharing one limiter (concurrency 1)', () => {
    let sim: KimiSimulator;
    before(async () => {
      sim = await startSimulator();
    });
    after(() => sim.close());
    afterEach(() => sim.reset());

    it('while a chat answer streams, a keystroke sends nothing, shows nothing, pauses nothing; the next one after it does', async () => {
      const limiter = new RateLimiter({ concurrency: 1, requestsPerMinute: 100, tokensPerMinute: 10_000_000 });
      const chatClient = new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', limiter, priority: 'interactive' });
      const completionClient = new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', limiter, priority: 'background', retry: false });
      // The extension's completion service on that client (its pauses on a clock that stands still).
      const ended: ManagerEvent[] = [];
      const notified: KimiError[] = [];
      const completion = new CompletionService<KimiClient>({
        connection: { client: () => Promise.resolve(completionClient) },
        settings: () => parseSettings({ get: () => undefined, userValue: () => undefined }, {}),
        completionSettings: parseSettings({ get: () => undefined, userValue: () => undefined }, {}).completion,
        log: silentLogger,
        clock: new FakeClock(),
        onNotify: (error) => notified.push(error),
        observe: (e) => (e.kind === 'ended' ? ended.push(e) : undefined),
      });
      sim.onMarker('LONG-CHAT', { content: 'chat answer '.repeat(20), chunkSize: 6, chunkDelayMs: 15 });
      sim.reply({ content: 'Value' });
      const ask: ChatRequest = { model: 'kimi-k2.6', thinking: false, maxTokens: 256, messages: [{ role: 'user', content: 'LONG-CHAT please' }] };

      const chat = chatClient.streamToResult(ask);
      await sim.waitForRequest((r) => r.path === '/v1/chat/completions', 5_000);
      const during = await completion.complete(snap('const total = a█;\n', { explicit: true }), new AbortController().signal);
      assert.equal(during, undefined);
      assert.equal(sim.requests.length, 1, 'the completion was not sent');
      assert.equal(ended.length, 1);
      assert.ok(ended[0].kind === 'ended' && KimiError.is(ended[0].error, 'rateLimit') && ended[0].error.status === undefined, 'dropped by our own limiter');
      assert.equal(completion.lastError, undefined, 'dropped quietly: nothing to show');
      assert.equal(completion.status().pause, undefined, 'completion not paused');
      assert.equal(notified.length, 0, 'nobody told');

      const answered = await chat;
      assert.equal(answered.content, 'chat answer '.repeat(20), 'the chat answer is whole');
      assert.equal(sim.requests.length, 1, 'the dropped completion never went out later (it was not queued)');
      const after = await completion.complete(snap('const total = ab█;\n', { explicit: true }), new AbortController().signal);
      assert.equal(after?.text, 'Value');
      assert.equal(sim.requests.length, 2);
      assert.equal(limiter.peakInFlight, 1, 'never more than the concurrency setting');
    });

    it('a mockup request arriving while chat streams waits for the slot instead of failing', async () => {
      const limiter = new RateLimiter({ concurrency: 1, requestsPerMinute: 100, tokensPerMinute: 10_000_000 });
      const client = new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', limiter, priority: 'interactive' });
      sim.onMarker('FIRST', { content: 'first '.repeat(10), chunkSize: 6, chunkDelayMs: 15 });
      sim.onMarker('SECOND', { content: 'second' });
      const first = client.streamToResult({ model: 'kimi-k2.6', thinking: false, maxTokens: 64, messages: [{ role: 'user', content: 'FIRST' }] });
      await sim.waitForRequest(undefined, 5_000);
      const second = client.streamToResult({ model: 'kimi-k2.6', thinking: false, maxTokens: 64, messages: [{ role: 'user', content: 'SECOND' }] });
      await flush();
      assert.equal(sim.requests.length, 1, 'the second waits for the slot');
      assert.equal((await first).content, 'first '.repeat(10));
      assert.equal((await second).content, 'second');
      assert.equal(limiter.peakInFlight, 1);
    });
  });
});
