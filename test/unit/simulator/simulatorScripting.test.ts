import * as assert from 'node:assert/strict';
import OpenAI from 'openai';
import { kimiErrors } from '../../support/simulator/kimiErrorReplies';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { DEFAULT_ANSWER } from '../../support/simulator/replyPlan';
import { MALFORMED_LINE } from '../../support/simulator/responseWriter';
import { callSim, fetchSim, joinDeltas, sseChunks } from '../../support/simulator/simClient';
import { listRecordings, loadRecording, parseSse } from '../../support/simulator/sseRecordings';
import { skipWithoutRecordings } from '../helpers/skipWithoutRecordings';
import { simulatorPerSuite } from '../helpers/simulatorPerSuite';

const request = (text: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'kimi-k2.6',
  messages: [{ role: 'user', content: text }],
  stream: true,
  ...extra,
});

describe('Kimi simulator: scripting, replays and faults', () => {
  let sim!: KimiSimulator;
  simulatorPerSuite((s) => (sim = s));

  it('matches scripts in order, by marker, with limited uses', async () => {
    sim.onMarker('MARK-A', { content: 'answer A', reasoning: 'thinking A' }, { times: 1 });
    sim.script((req) => (req.body?.model === 'kimi-k2.6' ? { content: 'fallback' } : undefined));
    const first = joinDeltas(sseChunks((await callSim(sim, '/chat/completions', request('x MARK-A y'))).text).chunks);
    assert.deepEqual(first, { content: 'answer A', reasoning: 'thinking A' });
    const second = joinDeltas(sseChunks((await callSim(sim, '/chat/completions', request('x MARK-A y'))).text).chunks);
    assert.equal(second.content, 'fallback');
  });

  it('honours explicit chunks and chunk sizes', async () => {
    sim.reply({ chunks: ['Hel', 'lo', '!'], reasoningChunks: ['', 'think'] }, { times: 1 });
    const { chunks } = sseChunks((await callSim(sim, '/chat/completions', request('x'))).text);
    const deltas = chunks.slice(1, -1).map((c) => c.choices[0].delta);
    assert.deepEqual(deltas, [{ reasoning_content: '' }, { reasoning_content: 'think' }, { content: 'Hel' }, { content: 'lo' }, { content: '!' }]);
    sim.reply({ content: 'abcdefg', chunkSize: 3 });
    const sized = sseChunks((await callSim(sim, '/chat/completions', request('x', { thinking: { type: 'disabled' } }))).text).chunks;
    assert.deepEqual(sized.slice(1, -1).map((c) => c.choices[0].delta.content), ['abc', 'def', 'g']);
  });

  it('streams tool calls like Kimi (id + name, then arguments) with finish_reason tool_calls', async () => {
    sim.reply({ reasoning: 'need weather', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
    const { chunks } = sseChunks((await callSim(sim, '/chat/completions', request('weather?'))).text);
    const calls = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    assert.deepEqual(calls, [
      { index: 0, id: 'get_weather_0', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city":"Paris"}' } },
    ]);
    assert.equal(chunks[chunks.length - 1].choices[0].finish_reason, 'tool_calls');
    const json = JSON.parse((await callSim(sim, '/chat/completions', request('weather?', { stream: false }))).text);
    assert.equal(json.choices[0].message.tool_calls[0].function.name, 'get_weather');
    assert.equal(json.choices[0].message.content, null);
  });

  it('applies usage overrides and can omit usage', async () => {
    sim.reply({ content: 'x', usage: { prompt_tokens: 100, cached_tokens: 80 } }, { times: 1 });
    sim.reply({ content: 'x', usage: null }, { times: 1 });
    const overridden = JSON.parse((await callSim(sim, '/chat/completions', request('a', { stream: false }))).text);
    assert.equal(overridden.usage.prompt_tokens, 100);
    assert.equal(overridden.usage.cached_tokens, 80);
    const none = JSON.parse((await callSim(sim, '/chat/completions', request('a', { stream: false }))).text);
    assert.equal(none.usage, undefined);
  });

  it('replays every recording verbatim', async function () {
    skipWithoutRecordings(this);
    const names = listRecordings();
    assert.ok(names.includes('moonshotai-usage-live.chunks.txt') && names.includes('moonshotai-text.json'));
    for (const name of names) {
      sim.replay(name, { times: 1 });
      const call = await callSim(sim, '/chat/completions', request('replay'));
      const recording = loadRecording(name);
      if (recording.kind === 'json') {
        assert.equal(call.text, recording.bodyText, name);
        continue;
      }
      const { payloads, hasDone } = parseSse(call.text);
      assert.deepEqual(payloads, recording.payloads, name);
      assert.ok(hasDone, name);
      payloads.forEach((p) => JSON.parse(p));
    }
  });

  it('answers scripted and injected HTTP errors with Kimi bodies', async () => {
    sim.injectFault({ kind: 'http', ...kimiErrors.rateLimit(3) });
    const limited = await callSim(sim, '/chat/completions', request('a'));
    assert.equal(limited.status, 429);
    assert.match(JSON.parse(limited.text).error.message, /please try again after 3 seconds$/);
    assert.equal(JSON.parse(limited.text).error.type, 'rate_limit_reached_error');
    assert.equal((await callSim(sim, '/chat/completions', request('a'))).status, 200, 'a fault applies once by default');
    const kinds = [kimiErrors.quotaExceeded(), kimiErrors.contentFilter(), kimiErrors.serverError(), kimiErrors.permissionDenied()];
    for (const error of kinds) {
      sim.injectFault({ kind: 'http', ...error });
      const call = await callSim(sim, '/chat/completions', request('a'));
      assert.equal(call.status, error.status);
      assert.deepEqual(JSON.parse(call.text), error.body);
    }
    sim.injectFault({ kind: 'http', ...kimiErrors.gatewayTimeout() });
    const gateway = await callSim(sim, '/chat/completions', request('a'));
    assert.equal(gateway.status, 504);
    assert.match(gateway.contentType, /text\/html/);
    sim.onMarker('BOOM', { status: 400, error: { message: 'Input token length too long', type: 'invalid_request_error' } });
    const scripted = await callSim(sim, '/chat/completions', request('BOOM'));
    assert.equal(scripted.status, 400);
    assert.deepEqual(JSON.parse(scripted.text), { error: { message: 'Input token length too long', type: 'invalid_request_error' } });
  });

  it('delays the first byte (latency fault, firstByteDelayMs) and spaces chunks (chunkDelayMs)', async () => {
    sim.injectFault({ kind: 'latency', ms: 150 });
    const start = Date.now();
    const call = await callSim(sim, '/chat/completions', request('slow'));
    assert.ok(Date.now() - start >= 140, 'latency');
    assert.equal(joinDeltas(sseChunks(call.text).chunks).content, DEFAULT_ANSWER);
    sim.reply({ content: 'abcd', chunkSize: 1, firstByteDelayMs: 100, chunkDelayMs: 40 });
    const begin = Date.now();
    const response = await fetchSim(sim, '/chat/completions', request('paced', { thinking: { type: 'disabled' } }));
    assert.ok(Date.now() - begin >= 90, 'headers only after firstByteDelayMs');
    await response.text();
    // 1 role chunk + 4 content + finishing chunk + [DONE] = 6 gaps of 40 ms
    assert.ok(Date.now() - begin >= 100 + 6 * 40 - 20, `paced stream took ${Date.now() - begin} ms`);
  });

  it('records a client abort that happens before the first byte', async () => {
    sim.injectFault({ kind: 'latency', ms: 5000 });
    const controller = new AbortController();
    const pending = fetchSim(sim, '/chat/completions', request('early abort'), { signal: controller.signal });
    const recorded = await sim.waitForRequest((r) => r.rawBody.includes('early abort'));
    controller.abort();
    await assert.rejects(pending);
    await sim.waitForClose(recorded);
    assert.equal(recorded.closedByClient, true);
    assert.equal(recorded.status, undefined);
  });

  it('stalls mid-stream and records that the client closed the connection', async () => {
    sim.reply({ content: 'abcdefghijklmnop', chunkSize: 2, fault: { kind: 'stall', afterChunks: 3 } });
    const controller = new AbortController();
    const response = await fetchSim(sim, '/chat/completions', request('stall', { thinking: { type: 'disabled' } }), { signal: controller.signal });
    const reader = response.body!.getReader();
    let received = '';
    while ((received.match(/data: /g) ?? []).length < 3) {
      const { value } = await reader.read();
      received += new TextDecoder().decode(value);
    }
    const recorded = await sim.waitForRequest((r) => r.rawBody.includes('stall'));
    assert.equal(recorded.closedByClient, false);
    assert.equal(recorded.completed, false);
    controller.abort();
    await sim.waitForClose(recorded);
    assert.equal(recorded.closedByClient, true);
    assert.equal(recorded.completed, false);
    assert.ok(!received.includes('[DONE]'));
  });

  it('sees an openai SDK abort as the client closing the connection', async () => {
    sim.injectFault({ kind: 'stall', afterChunks: 2 });
    const client = new OpenAI({ baseURL: sim.baseUrl, apiKey: sim.apiKey, maxRetries: 0 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'kimi-k2.6', messages: [{ role: 'user', content: 'sdk abort' }], stream: true },
      { signal: controller.signal },
    );
    const recorded = await sim.waitForRequest((r) => r.rawBody.includes('sdk abort'));
    let chunksSeen = 0;
    try {
      for await (const chunk of stream) {
        chunksSeen += chunk.choices.length;
        controller.abort();
      }
    } catch {
      // the SDK may end the loop quietly or throw an abort error: either way the socket must close
    }
    assert.ok(chunksSeen > 0);
    await sim.waitForClose(recorded);
    assert.equal(recorded.closedByClient, true);
  });

  it('cuts the connection after K chunks', async () => {
    sim.injectFault({ kind: 'cut', afterChunks: 2 });
    const response = await fetchSim(sim, '/chat/completions', request('cut'));
    await assert.rejects(response.text());
    const recorded = await sim.waitForRequest((r) => r.rawBody.includes('cut'));
    await sim.waitForClose(recorded);
    assert.equal(recorded.cutByServer, true);
    assert.equal(recorded.closedByClient, false);
  });

  it('sends a malformed chunk, and a stream with choices: [] only', async () => {
    sim.injectFault({ kind: 'malformed', afterChunks: 1 });
    const malformed = await callSim(sim, '/chat/completions', request('m'));
    assert.ok(malformed.text.includes(MALFORMED_LINE));
    assert.ok(malformed.text.endsWith('data: [DONE]\n\n'));
    sim.injectFault({ kind: 'emptyChoices' });
    const empty = sseChunks((await callSim(sim, '/chat/completions', request('e'))).text);
    assert.ok(empty.done && empty.chunks.length > 0);
    assert.ok(empty.chunks.every((c) => c.choices.length === 0));
  });

  it('lets faults target other endpoints with a matcher', async () => {
    sim.injectFault({ kind: 'http', ...kimiErrors.serverError() }, { match: (r) => r.path === '/v1/models', times: 2 });
    assert.equal((await callSim(sim, '/models')).status, 500);
    assert.equal((await callSim(sim, '/chat/completions', request('a'))).status, 200);
    assert.equal((await callSim(sim, '/models')).status, 500);
    assert.equal((await callSim(sim, '/models')).status, 200);
    sim.injectFault({ kind: 'malformed', afterChunks: 0 }, { match: (r) => r.path === '/v1/models' });
    const broken = await callSim(sim, '/models');
    assert.equal(broken.status, 200);
    assert.throws(() => JSON.parse(broken.text));
  });

  it('waitForRequest times out instead of hanging', async () => {
    await assert.rejects(sim.waitForRequest((r) => r.path === '/never', 50), /timed out/);
  });

  it('close() ends stalled connections instead of hanging', async () => {
    const other = await startSimulator();
    other.injectFault({ kind: 'stall', afterChunks: 1 });
    const response = await fetchSim(other, '/chat/completions', request('stalled forever'));
    const reading = response.text();
    await other.close();
    await assert.rejects(reading);
  });
});
