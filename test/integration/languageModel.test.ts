// Kimi in VS Code's own chat: the Moonpilot language model provider (vendor `moonpilot`) in the
// real VS Code against the simulator: its models are listed from `/models`, a tool-calling
// conversation replays the earlier reasoning, cancelling closes the connection, the meter counts,
// and an endpoint the user has not allowed gets the same host prompt as the other features.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MoonpilotApi } from '../../src/vscode/moonpilotApi';
import type { KimiSimulator } from '../support/simulator/kimiSimulator';
import type { RecordedRequest } from '../support/simulator/types';
import { getExtensionApi, waitFor } from './helpers';
import { suiteSimulator, useSimulatorKey } from './simulatorSession';

const CHAT_PATH = '/v1/chat/completions';
const VENDOR = 'moonpilot';

interface WireMessage {
  role: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  reasoning_content?: string;
}

interface ListedModel {
  id: string;
  supports_reasoning?: boolean;
}

function messagesOf(req: RecordedRequest): WireMessage[] {
  return (req.body?.messages as WireMessage[] | undefined) ?? [];
}

const chatWith = (marker: string) => (r: RecordedRequest) => r.path === CHAT_PATH && r.rawBody.includes(marker);

/** The simulator's `/models`, read the way any client reads it. */
async function simulatorModels(sim: KimiSimulator): Promise<ListedModel[]> {
  const res = await fetch(`${sim.baseUrl}/models`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
  return ((await res.json()) as { data: ListedModel[] }).data;
}

/** Reads a response to the end: its text and its tool calls. */
async function collect(response: vscode.LanguageModelChatResponse): Promise<{ text: string; calls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) {
      text += part.value;
    } else if (part instanceof vscode.LanguageModelToolCallPart) {
      calls.push(part);
    }
  }
  return { text, calls };
}

describe("Kimi in VS Code's chat (language model provider)", () => {
  let sim: KimiSimulator;
  let api: MoonpilotApi;
  let listed: ListedModel[];

  before(async () => {
    sim = await suiteSimulator();
    api = await getExtensionApi<MoonpilotApi>();
    await useSimulatorKey(sim);
    listed = await simulatorModels(sim);
  });

  afterEach(() => sim.reset());

  /** The vendor's models once VS Code lists all of the simulator's. */
  async function moonpilotModels(): Promise<vscode.LanguageModelChat[]> {
    return waitFor(
      async () => {
        const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
        return models.length === listed.length && models;
      },
      15_000,
      `vscode.lm.selectChatModels to list the simulator's ${listed.length} models`,
    );
  }

  /** A model the simulator says reasons (so it streams reasoning_content). */
  async function reasoningModel(): Promise<vscode.LanguageModelChat> {
    const id = listed.find((m) => m.supports_reasoning === true)?.id;
    assert.ok(id, `the simulator lists a reasoning model: ${JSON.stringify(listed)}`);
    const model = (await moonpilotModels()).find((m) => m.id === id);
    assert.ok(model, `model ${id} is listed`);
    return model;
  }

  it('vscode.lm.selectChatModels({ vendor: "moonpilot" }) finds the simulator\'s models with their windows', async () => {
    const models = await moonpilotModels();
    assert.deepEqual(models.map((m) => m.id).sort(), listed.map((m) => m.id).sort());
    for (const model of models) {
      assert.equal(model.vendor, VENDOR);
      assert.ok(model.maxInputTokens > 0, `${model.id} has an input limit`);
    }
    assert.ok(sim.requests.some((r) => r.path === '/v1/models'), 'the list came from the endpoint\'s /models');
  });

  it('a tool call, then the tool result: later requests replay the earlier replies\' reasoning and tool call; the meter counts them', async () => {
    const model = await reasoningModel();
    const before = api.languageModels?.usage().requests ?? 0;
    sim.script((req) => {
      if (!chatWith('MARK-lm-tools')(req)) {
        return undefined;
      }
      return messagesOf(req).some((m) => m.role === 'tool')
        ? { reasoning: 'The tool said 42, so that is the answer.', content: 'The answer is 42.' }
        : { reasoning: 'I should look it up with the tool.', content: 'Looking it up.', toolCalls: [{ id: 'lookup:0', name: 'lookup', arguments: { query: 'answer' } }] };
    });
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'lookup', description: 'Looks a fact up.', inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } }];
    const question = vscode.LanguageModelChatMessage.User('What is the answer? MARK-lm-tools');

    const first = await collect(await model.sendRequest([question], { tools }, new vscode.CancellationTokenSource().token));
    assert.equal(first.text, 'Looking it up.');
    assert.deepEqual(first.calls.map((c) => [c.callId, c.name, c.input]), [['lookup:0', 'lookup', { query: 'answer' }]]);

    const second = await collect(
      await model.sendRequest(
        [
          question,
          vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelTextPart(first.text), ...first.calls]),
          vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('lookup:0', [new vscode.LanguageModelTextPart('42')])]),
        ],
        { tools },
        new vscode.CancellationTokenSource().token,
      ),
    );
    assert.equal(second.text, 'The answer is 42.');

    // A third request after the text-only answer: models that want every reply's reasoning back (K3) get that one's too.
    const history = [
      question,
      vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelTextPart(first.text), ...first.calls]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('lookup:0', [new vscode.LanguageModelTextPart('42')])]),
      vscode.LanguageModelChatMessage.Assistant(second.text),
      vscode.LanguageModelChatMessage.User('Thanks.'),
    ];
    await collect(await model.sendRequest(history, { tools }, new vscode.CancellationTokenSource().token));

    const chats = sim.requests.filter(chatWith('MARK-lm-tools'));
    assert.equal(chats.length, 3);
    assert.deepEqual(chats.map((r) => r.status), [200, 200, 200]);
    if (chats[2].reasoningReplayed !== undefined) {
      // The simulator checks replay for models that need every earlier reasoning (K3).
      assert.deepEqual(chats.slice(1).map((r) => r.reasoningReplayed), [true, true], `${model.id}: every earlier reasoning replayed`);
      const answers = messagesOf(chats[2]).filter((m) => m.role === 'assistant');
      assert.deepEqual(answers.map((m) => m.reasoning_content), ['I should look it up with the tool.', 'The tool said 42, so that is the answer.']);
    }
    const [firstBody, secondBody] = chats.map((r) => r.body ?? {});
    assert.ok(typeof firstBody.max_tokens === 'number' || typeof firstBody.max_completion_tokens === 'number', 'the output limit is always set');
    assert.equal(['temperature', 'top_p', 'n', 'presence_penalty', 'frequency_penalty'].filter((k) => k in firstBody).length, 0, 'no sampling parameters');
    const replayed = messagesOf(chats[1]).find((m) => m.role === 'assistant');
    assert.equal(replayed?.reasoning_content, 'I should look it up with the tool.', 'the earlier reasoning is replayed');
    assert.equal(replayed?.content, 'Looking it up.');
    assert.deepEqual(replayed?.tool_calls?.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]), [['lookup:0', 'lookup', { query: 'answer' }]]);
    const result = messagesOf(chats[1]).find((m) => m.role === 'tool');
    assert.deepEqual([result?.tool_call_id, result?.content], ['lookup:0', '42']);
    assert.deepEqual((secondBody.tools as { function: { name: string } }[]).map((t) => t.function.name), ['lookup']);

    const usage = api.languageModels?.usage();
    assert.equal((usage?.requests ?? 0) - before, 3, 'every request reached the meter');
    assert.ok(usage && usage.promptTokens > 0 && usage.outputTokens > 0 && usage.cost > 0, JSON.stringify(usage));
    assert.match(api.languageModels?.statusText() ?? '', /Kimi \$/);
  });

  it('cancelling a response closes the connection', async () => {
    const model = await reasoningModel();
    sim.onMarker('MARK-lm-cancel', { content: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 30 });
    const cts = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Write a lot. MARK-lm-cancel')], {}, cts.token);
    let text = '';
    for await (const chunk of response.text) {
      text += chunk;
      if (text.length > 20) {
        cts.cancel();
        break;
      }
    }
    const req = await sim.waitForRequest(chatWith('MARK-lm-cancel'), 5_000);
    const closed = await sim.waitForClose(req, 5_000);
    assert.equal(closed.closedByClient, true, 'the client closed the connection');
    assert.equal(closed.completed, false);
  });

  it('an endpoint the user has not allowed gets the same host prompt as the other features, and nothing is sent before the answer', async () => {
    const model = await reasoningModel();
    const config = vscode.workspace.getConfiguration('moonpilot');
    const host = `localhost:${sim.port}`;
    await config.update('baseUrl', `http://${host}/v1`, vscode.ConfigurationTarget.Global);
    const cts = new vscode.CancellationTokenSource();
    try {
      const prompts = () => api.notifications().filter((n) => n.message.includes(host) && n.actions.includes('Allow'));
      assert.equal(prompts().length, 0);
      const pending = Promise.resolve(model.sendRequest([vscode.LanguageModelChatMessage.User('hello MARK-lm-host')], {}, cts.token)).then(collect).catch((err: unknown) => err);
      const [prompt] = await waitFor(() => prompts().length > 0 && prompts(), 10_000, `the host prompt for ${host}`);
      assert.equal(prompt.severity, 'warning');
      assert.ok(prompt.message.includes('API key'), prompt.message);
      assert.equal(sim.requests.filter((r) => r.headers.host === host).length, 0, 'no request went to the host before the user answered');
      cts.cancel();
      await pending;
      assert.equal(sim.requests.filter((r) => r.headers.host === host).length, 0, 'nor after the request was cancelled unanswered');
    } finally {
      cts.dispose();
      await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
