import { existsSync } from 'node:fs';
import * as assert from 'node:assert/strict';
import { ResultAccumulator } from '../../../src/core/kimi/chunkEvents';
import { KimiClient, type KimiClientOptions } from '../../../src/core/kimi/kimiClient';
import { KimiError, type KimiErrorKind } from '../../../src/core/kimi/kimiErrors';
import type { ChatRequest, StreamEvent } from '../../../src/core/kimi/kimiTypes';
import { kimiErrors } from '../../support/simulator/kimiErrorReplies';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { listRecordings, loadRecording, recordingsDir } from '../../support/simulator/sseRecordings';
import { skipWithoutRecordings } from '../helpers/skipWithoutRecordings';

const ask: ChatRequest = { model: 'kimi-k2.6', messages: [{ role: 'user', content: 'Say OK' }], maxTokens: 256 };

/** What a recording holds, read straight from its raw JSON (independently of chunkEvents.ts). */
function expectedFrom(payloads: readonly string[]): { content: string; reasoning: string; finish?: string; cached?: number; toolArgs: string } {
  let content = '';
  let reasoning = '';
  let finish: string | undefined;
  let cached: number | undefined;
  let toolArgs = '';
  for (const payload of payloads) {
    const chunk = JSON.parse(payload);
    const choice = chunk.choices?.[0];
    content += choice?.delta?.content ?? '';
    reasoning += choice?.delta?.reasoning_content ?? '';
    for (const call of choice?.delta?.tool_calls ?? []) {
      toolArgs += call.function?.arguments ?? '';
    }
    finish = choice?.finish_reason ?? finish;
    const usage = chunk.usage ?? choice?.usage;
    if (usage) {
      cached = usage.cached_tokens ?? usage.prompt_tokens_details?.cached_tokens ?? 0;
    }
  }
  return { content, reasoning, finish, cached, toolArgs };
}

describe('Kimi client against the simulator', function () {
  this.timeout(20_000);
  let sim: KimiSimulator;
  const client = (extra: Partial<KimiClientOptions> = {}): KimiClient =>
    new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', retry: false, ...extra });

  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.close();
  });
  afterEach(() => sim.reset());

  describe('replays every recording in ../shared/data/sse', () => {
    if (!existsSync(recordingsDir())) {
      it(`skipped: ${recordingsDir()} is absent (../shared is not beside this clone)`, function () {
        this.skip();
      });
    }
    for (const name of existsSync(recordingsDir()) ? listRecordings() : []) {
      const recording = loadRecording(name);
      it(`${name} parses into the right events`, async () => {
        sim.replay(name);
        if (recording.kind === 'json') {
          const result = await client().complete(ask);
          const body = JSON.parse(recording.bodyText ?? '{}');
          assert.equal(result.content, body.choices[0].message.content ?? '');
          assert.equal(result.reasoning, body.choices[0].message.reasoning_content ?? '');
          assert.equal(result.toolCalls.length, body.choices[0].message.tool_calls?.length ?? 0);
          assert.equal(result.usage?.cachedTokens ?? 0, body.usage?.cached_tokens ?? body.usage?.prompt_tokens_details?.cached_tokens ?? 0);
          return;
        }
        const expected = expectedFrom(recording.payloads);
        const events: StreamEvent[] = [];
        const acc = new ResultAccumulator();
        try {
          for await (const event of client().stream(ask)) {
            events.push(event);
            acc.add(event);
          }
        } catch (err) {
          // Only a recording without a finish_reason may fail, and then as a cut stream.
          assert.equal(expected.finish, undefined, `unexpected failure: ${String(err)}`);
          assert.ok(KimiError.is(err, 'network'));
        }
        const result = acc.result();
        assert.equal(result.content, expected.content);
        assert.equal(result.reasoning, expected.reasoning);
        assert.equal(result.toolCalls.map((c) => c.function.arguments).join(''), expected.toolArgs);
        if (expected.finish) {
          assert.equal(result.finishReason, expected.finish);
        }
        if (expected.cached !== undefined) {
          assert.equal(result.usage?.cachedTokens, expected.cached);
        }
        const firstContent = events.findIndex((e) => e.kind === 'content');
        const lastThinking = events.map((e) => e.kind).lastIndexOf('thinking');
        if (firstContent >= 0 && lastThinking >= 0) {
          assert.ok(lastThinking < firstContent, 'thinking streams before content');
        }
      });
    }
  });

  it('reads cached tokens from both usage placements of a live Kimi recording', async function () {
    skipWithoutRecordings(this, 'moonshotai-usage-live.chunks.txt');
    sim.replay('moonshotai-usage-live.chunks.txt');
    const usages = [];
    for await (const e of client().stream(ask)) {
      if (e.kind === 'usage') {
        usages.push(e.usage);
      }
    }
    assert.equal(usages.length, 2, 'choices[0].usage and the trailing choices: [] chunk');
    assert.deepEqual(usages[0], usages[1]);
    assert.equal(usages[1].cachedTokens, 90);
    assert.equal(usages[1].reasoningTokens, 33);
  });

  it('continues a partial assistant message without repeating it, thinking off', async () => {
    sim.onMarker('PARTIAL-1', { content: '(a, b) {\n  return a + b;\n}' });
    const req: ChatRequest = {
      model: 'kimi-k2.6',
      thinking: false,
      maxTokens: 64,
      messages: [
        { role: 'user', content: 'PARTIAL-1 complete the code' },
        { role: 'assistant', content: 'function add', partial: true },
      ],
    };
    const result = await client().streamToResult(req);
    assert.equal(result.content, '(a, b) {\n  return a + b;\n}');
    assert.equal(result.reasoning, '');
    const body = sim.requests[0].body as Record<string, unknown>;
    assert.deepEqual(body.thinking, { type: 'disabled' });
    assert.ok(!('temperature' in body));
  });

  it('streams reasoning_content before content in thinking mode, and the simulator caches the prefix', async () => {
    const long = 'x'.repeat(8000);
    const req: ChatRequest = { ...ask, thinking: true, messages: [{ role: 'system', content: long }, { role: 'user', content: 'hi' }] };
    const first = await client().streamToResult(req);
    assert.ok(first.reasoning.length > 0);
    assert.ok(first.content.length > 0);
    const second = await client().streamToResult(req);
    assert.ok((second.usage?.cachedTokens ?? 0) >= 1024, `cached ${second.usage?.cachedTokens}`);
    assert.equal((second.usage?.cachedTokens ?? 0) % 256, 0);
  });

  it('sends image parts as data URLs and tools, and gets tool-call deltas back', async () => {
    sim.onMarker('TOOLS-1', { toolCalls: [{ name: 'read_file', arguments: { path: 'src/app.ts' } }] });
    const req: ChatRequest = {
      ...ask,
      thinking: true,
      toolChoice: 'auto',
      tools: [{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'TOOLS-1' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
    };
    const result = await client().streamToResult(req);
    assert.equal(result.finishReason, 'tool_calls');
    assert.equal(result.toolCalls[0].function.name, 'read_file');
    assert.deepEqual(JSON.parse(result.toolCalls[0].function.arguments), { path: 'src/app.ts' });
  });

  it('sends the key as a Bearer header', async () => {
    await client().streamToResult(ask);
    assert.equal(sim.requests[0].headers.authorization, `Bearer ${sim.apiKey}`);
  });

  it('sends a body with a reused (frozen) message as bytes: same JSON, headers and stream as any other', async () => {
    const frozen = Object.freeze({ role: 'user' as const, content: 'Say OK, with a reused context: 終わり' });
    const req: ChatRequest = { model: 'kimi-k2.6', messages: [frozen, { role: 'assistant', content: 'O', partial: true }], maxTokens: 16, thinking: false };
    sim.reply({ content: 'K', chunkSize: 1 });
    const first = await client().streamToResult(req);
    sim.reply({ content: 'K', chunkSize: 1 });
    await client().streamToResult({ ...req, messages: [...req.messages] });
    assert.equal(first.content, 'K', 'streamed answer parsed');
    const [a, b] = sim.requests;
    assert.equal(a.headers.authorization, `Bearer ${sim.apiKey}`);
    assert.match(a.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(a.body?.messages, [{ role: 'user', content: frozen.content }, { role: 'assistant', content: 'O', partial: true }]);
    assert.equal(a.body?.stream, true);
    assert.deepEqual(b.body, a.body, 'the second request, from the encoded message, is the same JSON');
  });

  describe('cancellation closes the HTTP connection at the server', () => {
    it('when the signal aborts mid-stream', async () => {
      sim.reply({ content: 'a'.repeat(400), chunkSize: 4, chunkDelayMs: 20 });
      const controller = new AbortController();
      let got = '';
      await assert.rejects(
        (async () => {
          for await (const e of client().stream(ask, controller.signal)) {
            if (e.kind === 'content') {
              got += e.text;
              if (got.length >= 8) {
                controller.abort();
              }
            }
          }
        })(),
        (e: unknown) => KimiError.is(e, 'cancelled'),
      );
      const closed = await sim.waitForClose(sim.requests[0], 5000);
      assert.equal(closed.closedByClient, true);
      assert.equal(closed.completed, false);
    });

    it('when the consumer stops reading early', async () => {
      sim.reply({ content: 'line one\nline two\nline three\n'.repeat(20), chunkSize: 5, chunkDelayMs: 15 });
      for await (const e of client().stream(ask)) {
        if (e.kind === 'content' && e.text.includes('\n')) {
          break;
        }
      }
      const closed = await sim.waitForClose(sim.requests[0], 5000);
      assert.equal(closed.closedByClient, true);
    });
  });

  describe('maps every failure to a kind with a message that never holds the key', () => {
    const cases: [string, () => void, KimiErrorKind][] = [
      ['401', () => sim.injectFault({ kind: 'http', ...kimiErrors.invalidAuthentication() }), 'auth'],
      ['403', () => sim.injectFault({ kind: 'http', ...kimiErrors.permissionDenied() }), 'permission'],
      ['404 model', () => sim.injectFault({ kind: 'http', ...kimiErrors.modelNotFound('kimi-k9') }), 'modelNotFound'],
      ['429 rate limit', () => sim.injectFault({ kind: 'http', ...kimiErrors.rateLimit(7) }), 'rateLimit'],
      ['429 quota', () => sim.injectFault({ kind: 'http', ...kimiErrors.quotaExceeded() }), 'quotaExhausted'],
      ['400 context', () => sim.injectFault({ kind: 'http', ...kimiErrors.contextTooLong(262144) }), 'contextTooLong'],
      ['400 content filter', () => sim.injectFault({ kind: 'http', ...kimiErrors.contentFilter() }), 'contentFilter'],
      ['500', () => sim.injectFault({ kind: 'http', ...kimiErrors.serverError() }), 'serverError'],
      ['504 html', () => sim.injectFault({ kind: 'http', ...kimiErrors.gatewayTimeout() }), 'timeout'],
      ['cut mid-stream', () => sim.injectFault({ kind: 'cut', afterChunks: 2 }), 'network'],
      ['malformed chunk', () => sim.injectFault({ kind: 'malformed', afterChunks: 1 }), 'malformedResponse'],
      ['empty choices', () => sim.injectFault({ kind: 'emptyChoices' }), 'network'],
    ];
    for (const [name, inject, kind] of cases) {
      it(`${name} → ${kind}`, async () => {
        inject();
        const err = await client()
          .streamToResult(ask)
          .then(() => undefined, (e: unknown) => e);
        assert.ok(KimiError.is(err, kind), `got ${String(err)}`);
        assert.ok(!err.message.includes(sim.apiKey));
      });
    }

    it('a real oversized prompt is rejected by the simulator as Kimi does → contextTooLong', async () => {
      const err = await client()
        .streamToResult({ ...ask, messages: [{ role: 'user', content: 'word '.repeat(220_000) }] })
        .then(() => undefined, (e: unknown) => e);
      assert.ok(KimiError.is(err, 'contextTooLong'), String(err));
    });

    it('a wrong key → auth', async () => {
      const err = await new KimiClient({ baseUrl: sim.baseUrl, apiKey: 'sk-wrong-key-123456', dialect: 'moonshot', retry: false })
        .streamToResult(ask)
        .then(() => undefined, (e: unknown) => e);
      assert.ok(KimiError.is(err, 'auth'));
      assert.ok(!err.message.includes('sk-wrong-key-123456'));
    });

    it('a stall mid-stream → timeout, keeping what arrived', async () => {
      sim.injectFault({ kind: 'stall', afterChunks: 3 });
      const seen: string[] = [];
      const err = await client({ idleTimeoutMs: 300 })
        .streamToResult({ ...ask, thinking: false }, undefined, (e) => (e.kind === 'content' ? seen.push(e.text) : undefined))
        .then(() => undefined, (e: unknown) => e);
      assert.ok(KimiError.is(err, 'timeout'), String(err));
      assert.ok(seen.length > 0, 'the partial answer reached the caller');
    });

    it('no first byte in time → timeout', async () => {
      sim.injectFault({ kind: 'latency', ms: 2000 });
      const err = await client({ firstByteTimeoutMs: 200 })
        .streamToResult(ask)
        .then(() => undefined, (e: unknown) => e);
      assert.ok(KimiError.is(err, 'timeout'), String(err));
    });

    it('connection refused and DNS failure → network', async () => {
      const closed = await startSimulator();
      const deadPort = closed.port;
      await closed.close();
      const refused = await new KimiClient({ baseUrl: `http://127.0.0.1:${deadPort}/v1`, apiKey: 'k', dialect: 'moonshot', retry: false })
        .streamToResult(ask)
        .then(() => undefined, (e: unknown) => e);
      assert.ok(KimiError.is(refused, 'network'), String(refused));
      const dns = await new KimiClient({ baseUrl: 'http://moonpilot-no-such-host.invalid/v1', apiKey: 'k', dialect: 'moonshot', retry: false })
        .streamToResult(ask)
        .then(() => undefined, (e: unknown) => e);
      assert.ok(KimiError.is(dns, 'network'), String(dns));
      assert.match(dns.message, /resolve|connection/i);
    });
  });

  describe('retries only what is safe', () => {
    it('retries a 500 once and succeeds', async () => {
      sim.injectFault({ kind: 'http', ...kimiErrors.serverError() });
      const result = await client({ retry: { maxRateLimitRetries: 3, maxWaitMs: 5000, baseDelayMs: 20 } }).streamToResult(ask);
      assert.ok(result.content.length > 0);
      assert.equal(sim.requests.length, 2);
    });
    it('waits the rate-limit time named in the message, then succeeds', async () => {
      sim.injectFault({ kind: 'http', ...kimiErrors.rateLimit(1) });
      const started = Date.now();
      await client({ retry: { maxRateLimitRetries: 2, maxWaitMs: 5000, baseDelayMs: 20 } }).streamToResult(ask);
      assert.equal(sim.requests.length, 2);
      assert.ok(Date.now() - started >= 1000, 'waited at least the named second');
    });
    it('never retries quota exhaustion or auth', async () => {
      for (const fault of [kimiErrors.quotaExceeded(), kimiErrors.invalidAuthentication()]) {
        sim.reset();
        sim.injectFault({ kind: 'http', ...fault });
        await assert.rejects(client({ retry: { maxRateLimitRetries: 3, maxWaitMs: 5000, baseDelayMs: 20 } }).streamToResult(ask));
        assert.equal(sim.requests.length, 1);
      }
    });
  });

  describe('GET /models', () => {
    it('exposes context length and image support', async () => {
      const models = await client().listModels();
      const k26 = models?.find((m) => m.id === 'kimi-k2.6');
      assert.equal(k26?.contextLength, 262144);
      assert.equal(k26?.supportsImages, true);
      assert.equal(models?.find((m) => m.id === 'kimi-k2.7-code')?.supportsImages, false);
    });
    it('resolves undefined where the endpoint has no /models', async () => {
      const bare = await startSimulator({ modelsEndpoint: false });
      try {
        const models = await new KimiClient({ baseUrl: bare.baseUrl, apiKey: bare.apiKey, dialect: 'moonshot' }).listModels();
        assert.equal(models, undefined);
      } finally {
        await bare.close();
      }
    });
  });
});
