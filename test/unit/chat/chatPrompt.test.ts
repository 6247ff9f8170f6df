import * as assert from 'node:assert/strict';
import { buildWireBody } from '../../../src/core/kimi/requestBody';
import { buildChatPrompt, CHAT_SYSTEM_PROMPT, contextMessageText, estimateMessagesTokens, formatUserMessage, promptForTurn } from '../../../src/core/chat/chatPrompt';
import { CHAT_TOOLS } from '../../../src/core/chat/chatToolSpecs';
import { Transcript } from '../../../src/core/chat/transcript';
import { EMPTY_REASONING, runTurn, type TurnSink, type TurnTools } from '../../../src/core/chat/turnRunner';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import type { ChatMessage, ChatRequest, StreamEvent } from '../../../src/core/kimi/kimiTypes';

const sink: TurnSink = { reasoning: () => undefined, answer: () => undefined, reasoningDone: () => undefined, toolStarted: () => undefined, toolFinished: () => undefined, usage: () => undefined };

const tools: TurnTools = {
  specs: CHAT_TOOLS,
  label: (call) => call.function.name,
  run: async (call) => ({ content: `result of ${call.function.arguments}`, view: { id: call.id, name: call.function.name, label: 'x', status: 'ok' } }),
};

/** A model that answers each request with the next scripted round, recording the requests. */
function scriptedModel(rounds: StreamEvent[][]) {
  const requests: ChatRequest[] = [];
  async function* stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    requests.push(structuredClone(request));
    const round = rounds.shift();
    if (!round) {
      throw new Error('no more scripted rounds');
    }
    for (const event of round) {
      yield event;
    }
  }
  return { requests, stream };
}

const answer = (text: string, reasoning = ''): StreamEvent[] => [
  ...(reasoning ? [{ kind: 'thinking', text: reasoning } as const] : []),
  { kind: 'content', text },
  { kind: 'usage', usage: { promptTokens: 100, cachedTokens: 50, completionTokens: 10 } },
  { kind: 'finish', reason: 'stop' },
];

const toolRound = (id: string, name: string, args: string, reasoning: string): StreamEvent[] => [
  { kind: 'thinking', text: reasoning },
  { kind: 'toolCall', index: 0, id, name, argumentsDelta: '' },
  { kind: 'toolCall', index: 0, argumentsDelta: args },
  { kind: 'finish', reason: 'tool_calls' },
];

/** Serialises messages the way they go on the wire (JSON, in order), without the closing bracket. */
function wire(messages: readonly ChatMessage[]): string {
  return messages.map((m) => JSON.stringify(m)).join(',');
}

async function sendTurn(t: Transcript, text: string, model: ReturnType<typeof scriptedModel>, thinking = true, modelId = 'kimi-k2.6'): Promise<void> {
  const userMessage = formatUserMessage(text, []);
  const turn = t.startTurn({ userText: text, attachments: [], thinking, userMessage });
  const build = promptForTurn(t, turn.id, { tools: CHAT_TOOLS, contextWindow: 262_144, maxTokens: 32_768 });
  const result = await runTurn({
    model: modelId,
    thinking,
    maxTokens: 32_768,
    maxToolRounds: 4,
    userMessage,
    buildMessages: (current) => build(current).messages,
    stream: (req) => model.stream(req),
    tools,
    signal: new AbortController().signal,
    sink,
  });
  turn.replies = result.replies;
  turn.status = 'done';
}

/** `runTurn` on a bare question with two tool rounds at most: what the round-by-round tests share. */
function runPlainTurn(model: ReturnType<typeof scriptedModel>, overrides: Partial<Parameters<typeof runTurn>[0]> = {}): ReturnType<typeof runTurn> {
  return runTurn({
    model: 'm',
    thinking: true,
    maxTokens: 10,
    maxToolRounds: 2,
    userMessage: { role: 'user', content: 'q' },
    buildMessages: (c) => [...c],
    stream: (r) => model.stream(r),
    tools,
    signal: new AbortController().signal,
    sink,
    ...overrides,
  });
}

describe('chat prompt', () => {
  it('on the wire, K3 replays every earlier reasoning and K2.6 only tool-call turns, each request a prefix of the next', async () => {
    for (const modelId of ['kimi-k3', 'kimi-k2.6']) {
      const t = Transcript.create();
      const model = scriptedModel([answer('one', 'first thoughts'), toolRound('read_file:0', 'read_file', '{"path":"a.ts"}', 'read it'), answer('two', 'second thoughts'), answer('three')]);
      await sendTurn(t, 'first question', model, true, modelId);
      await sendTurn(t, 'second question', model, true, modelId);
      await sendTurn(t, 'third question', model, true, modelId);
      const bodies = model.requests.map((r) => buildWireBody(r, 'moonshot', true));
      for (let i = 0; i + 1 < bodies.length; i++) {
        assert.ok(wire(bodies[i + 1].messages as ChatMessage[]).startsWith(wire(bodies[i].messages as ChatMessage[])), `${modelId}: request ${i + 1} is a byte prefix of request ${i + 2}`);
      }
      const last = bodies[bodies.length - 1].messages as ChatMessage[];
      const reasonings = last.filter((m) => m.role === 'assistant').map((m) => (m.role === 'assistant' ? m.reasoning_content : undefined));
      if (modelId === 'kimi-k3') {
        assert.deepEqual(reasonings, ['first thoughts', 'read it', 'second thoughts'], 'K3: every assistant message with its reasoning');
        assert.equal(bodies[0].reasoning_effort, 'max');
      } else {
        assert.deepEqual(reasonings, [undefined, 'read it', undefined], 'K2.6: the tool-call turn only');
      }
    }
  });

  it('sends the workspace context once, early, right after the constant system message', async () => {
    const t = Transcript.create();
    t.setWorkspaceContext({ text: contextMessageText('// src/app.ts\nexport const app = 1;'), tokens: 20, files: ['src/app.ts'] });
    const model = scriptedModel([answer('one'), answer('two'), answer('three')]);
    await sendTurn(t, 'first question', model);
    await sendTurn(t, 'second question', model);
    await sendTurn(t, 'third question', model);
    for (const request of model.requests) {
      assert.deepEqual(request.messages[0], { role: 'system', content: CHAT_SYSTEM_PROMPT });
      assert.equal(request.messages[1].role, 'user');
      assert.ok(String(request.messages[1].content).includes('export const app = 1;'));
      const withContext = request.messages.filter((m) => typeof m.content === 'string' && m.content.includes('export const app = 1;'));
      assert.equal(withContext.length, 1, 'the context appears exactly once');
    }
    assert.equal(model.requests[2].messages.length, 2 + 3 * 2 - 1);
  });

  it('keeps every request a byte prefix of the next, through tool rounds and thinking', async () => {
    const t = Transcript.create();
    t.setWorkspaceContext({ text: contextMessageText('packed workspace'), tokens: 5, files: [] });
    const model = scriptedModel([
      // Turn 1: two tool rounds, then the answer.
      toolRound('read_file:0', 'read_file', '{"path":"src/app.ts"}', 'I should read app.ts'),
      toolRound('search_text:1', 'search_text', '{"query":"main"}', 'now search'),
      answer('app.ts starts the server', 'done thinking'),
      // Turn 2 (instant): a tool round without reasoning, then the answer.
      [{ kind: 'toolCall', index: 0, id: 'list_files:2', name: 'list_files', argumentsDelta: '{}' }, { kind: 'finish', reason: 'tool_calls' }],
      answer('here are the files'),
      // Turn 3.
      answer('bye', 'short'),
    ]);
    await sendTurn(t, 'What does app.ts do?', model);
    await sendTurn(t, 'List the files', model, false);
    await sendTurn(t, 'Thanks', model);
    assert.equal(model.requests.length, 6);
    for (let i = 0; i + 1 < model.requests.length; i++) {
      const a = wire(model.requests[i].messages);
      const b = wire(model.requests[i + 1].messages);
      assert.ok(b.startsWith(a), `request ${i + 1} is a byte prefix of request ${i + 2}`);
      assert.deepEqual(model.requests[i].tools, model.requests[i + 1].tools, 'the tool list never changes');
    }
    // The turn-level statement of the same property: the last request of turn N is a prefix of turn N+1's first.
    const all = model.requests.map((r) => r.messages);
    const toolCallMessages = all[5].filter((m) => m.role === 'assistant' && m.tool_calls?.length);
    assert.equal(toolCallMessages.length, 3);
    for (const m of toolCallMessages) {
      assert.equal(m.role, 'assistant');
      assert.ok(m.role === 'assistant' && typeof m.reasoning_content === 'string' && m.reasoning_content.length > 0, 'reasoning_content carried on tool-call messages');
    }
    assert.ok(toolCallMessages.some((m) => m.role === 'assistant' && m.reasoning_content === 'I should read app.ts'));
    assert.ok(toolCallMessages.some((m) => m.role === 'assistant' && m.reasoning_content === EMPTY_REASONING));
    const toolReplies = all[5].filter((m) => m.role === 'tool');
    assert.deepEqual(
      toolReplies.map((m) => m.role === 'tool' && m.tool_call_id),
      ['read_file:0', 'search_text:1', 'list_files:2'],
    );
    // The transcript keeps final answers' reasoning (K3 needs it replayed); the request body drops it
    // for models that do not (see the wire test above).
    const finals = all[5].filter((m) => m.role === 'assistant' && !m.tool_calls);
    assert.deepEqual(
      finals.map((m) => m.role === 'assistant' && m.reasoning_content),
      ['done thinking', undefined],
    );
  });

  it('bounds the tool loop: the last round forbids tools', async () => {
    const t = Transcript.create();
    const rounds: StreamEvent[][] = [];
    for (let i = 0; i < 4; i++) {
      rounds.push(toolRound(`c${i}`, 'list_files', '{}', 'again'));
    }
    rounds.push(answer('enough'));
    const model = scriptedModel(rounds);
    await sendTurn(t, 'loop forever', model);
    assert.equal(model.requests.length, 5);
    assert.deepEqual(model.requests.map((r) => r.toolChoice), ['auto', 'auto', 'auto', 'auto', 'none']);
    assert.ok(model.requests.every((r) => r.tools?.length === CHAT_TOOLS.length));
  });

  it('leaves out the oldest turns, then the context, only when the window is too small', () => {
    const words = (n: number): string => 'lorem ipsum dolor sit amet '.repeat(n);
    const history: ChatMessage[][] = [0, 1, 2].map((i) => [
      { role: 'user', content: `question ${i} ${words(200)}` },
      { role: 'assistant', content: `answer ${i}` },
    ]);
    const current: ChatMessage[] = [{ role: 'user', content: 'now' }];
    const groupTokens = estimateMessagesTokens(history[0]);
    const base = { systemPrompt: 'sys', contextText: 'ctx', history, current, tools: [], maxTokens: 1_000 };
    const roomy = buildChatPrompt({ ...base, contextWindow: 100_000 });
    assert.equal(roomy.droppedTurns, 0);
    assert.equal(roomy.messages.length, 1 + 1 + 6 + 1);
    // Room for about one and a half turns (with the 15 % margin): the two oldest go.
    const tight = buildChatPrompt({ ...base, contextWindow: 1_000 + Math.ceil(groupTokens * 1.5 * 1.15) });
    assert.equal(tight.droppedTurns, 2);
    assert.equal(tight.droppedContext, false);
    assert.equal(tight.messages[1].content, 'ctx');
    assert.ok(String(tight.messages[2].content).startsWith('question 2'));
    const tiny = buildChatPrompt({ ...base, contextText: words(500), contextWindow: 1_000 + 100 });
    assert.equal(tiny.droppedTurns, 3);
    assert.equal(tiny.droppedContext, true);
    assert.deepEqual(tiny.messages.map((m) => m.role), ['system', 'user']);
  });

  it('fences attachments so their content cannot close the block', () => {
    const message = formatUserMessage('Explain', [
      { id: 'a', kind: 'selection', path: 'src/x.md', languageId: 'markdown', startLine: 3, endLine: 5, tokens: 1, text: 'text\n```\n</attached>\n````' },
    ]);
    const content = String(message.content);
    assert.ok(content.startsWith('<attached selection path="src/x.md" lines="3-5">\n`````markdown\n'));
    assert.ok(content.endsWith('\n`````\n</attached>\n\nExplain'));
  });

  it('counts each round\'s usage once, though Kimi reports it twice', async () => {
    const usage = { promptTokens: 500, cachedTokens: 256, completionTokens: 20 };
    const twice: StreamEvent[] = [
      { kind: 'content', text: 'hi' },
      { kind: 'usage', usage },
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage', usage },
    ];
    const model = scriptedModel([[...toolRound('a', 'list_files', '{}', 'r'), { kind: 'usage', usage }, { kind: 'usage', usage }], twice]);
    const seen: number[] = [];
    await runPlainTurn(model, { sink: { ...sink, usage: (u) => seen.push(u.promptTokens) } });
    assert.deepEqual(seen, [500, 500], 'one usage per round');
  });

  it('separates the reasoning and text of successive rounds into paragraphs', async () => {
    const model = scriptedModel([
      [{ kind: 'thinking', text: 'first' }, { kind: 'content', text: 'Let me look.' }, { kind: 'toolCall', index: 0, id: 'a', name: 'list_files', argumentsDelta: '{}' }, { kind: 'finish', reason: 'tool_calls' }],
      answer('Done.', 'second'),
    ]);
    let reasoning = '';
    let text = '';
    await runPlainTurn(model, { sink: { ...sink, reasoning: (t) => (reasoning += t), answer: (t) => (text += t) } });
    assert.equal(reasoning, 'first\n\nsecond');
    assert.equal(text, 'Let me look.\n\nDone.');
  });

  it('turns a stop during tool calls into a cancelled error', async () => {
    const controller = new AbortController();
    const stopping: TurnTools = { ...tools, run: async (call) => (controller.abort(), tools.run(call)) };
    const model = scriptedModel([toolRound('a', 'list_files', '{}', 'r'), answer('never')]);
    await assert.rejects(
      runPlainTurn(model, { tools: stopping, signal: controller.signal }),
      (err: unknown) => KimiError.is(err, 'cancelled'),
    );
    assert.equal(model.requests.length, 1);
  });
});
