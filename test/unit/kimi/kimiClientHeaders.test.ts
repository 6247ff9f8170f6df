// Only what Moonpilot chose goes out: the `openai` SDK reads OPENAI_* variables from the environment
// and would add them to every Kimi request (an `Authorization:` line in OPENAI_CUSTOM_HEADERS even
// replaces the user's Kimi key). The requests the simulator records must carry exactly Moonpilot's
// headers plus what Node's fetch adds to any request.
import * as assert from 'node:assert/strict';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import type { ChatRequest } from '../../../src/core/kimi/kimiTypes';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';

const ask: ChatRequest = { model: 'kimi-k2.6', messages: [{ role: 'user', content: 'Say OK' }], maxTokens: 64 };

/** Every environment variable the installed openai SDK's client reads (node_modules/openai/client.js). */
const SDK_ENVIRONMENT: Record<string, string> = {
  OPENAI_ORG_ID: 'org-from-environment',
  OPENAI_PROJECT_ID: 'proj-from-environment',
  OPENAI_CUSTOM_HEADERS: 'Authorization: Bearer sk-openai-from-environment\nX-Leak: from-environment',
  OPENAI_ADMIN_KEY: 'sk-admin-from-environment',
  OPENAI_API_KEY: 'sk-openai-api-key-from-environment',
  OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
  OPENAI_WEBHOOK_SECRET: 'whsec-from-environment',
  OPENAI_LOG: 'debug',
};

/** The headers Moonpilot means to send, besides what the fetch implementation adds to any request. */
const MOONPILOT_HEADERS = ['authorization', 'content-type', 'accept', 'user-agent'];

describe('Kimi client sends exactly its own headers', function () {
  this.timeout(20_000);
  let sim: KimiSimulator;
  const saved: Record<string, string | undefined> = {};
  let transportHeaders: string[] = [];

  before(async () => {
    sim = await startSimulator();
    for (const [name, value] of Object.entries(SDK_ENVIRONMENT)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    // What Node's fetch sends on its own (host, connection, accept-encoding …), learned, not listed.
    await fetch(`${sim.baseUrl}/models`, { method: 'POST', body: '{}' }).then((r) => r.text());
    transportHeaders = Object.keys(sim.requests[0].headers);
    sim.reset();
  });
  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    await sim.close();
  });
  afterEach(() => sim.reset());

  const allowed = (): Set<string> => new Set([...transportHeaders, ...MOONPILOT_HEADERS, 'x-referer-for-test']);

  it('streams, completes and lists models with the user key only, whatever OPENAI_* says', async () => {
    const client = new KimiClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, dialect: 'moonshot', retry: false, headers: { 'X-Referer-For-Test': 'moonpilot' } });
    await client.streamToResult(ask);
    await client.complete(ask);
    await client.listModels();
    assert.equal(sim.requests.length, 3);
    for (const request of sim.requests) {
      const names = Object.keys(request.headers);
      const extra = names.filter((name) => !allowed().has(name));
      assert.deepEqual(extra, [], `${request.method} ${request.path} carried headers Moonpilot did not choose`);
      assert.equal(request.headers.authorization, `Bearer ${sim.apiKey}`);
      assert.equal(request.headers['x-referer-for-test'], 'moonpilot', 'headers the caller chose still go out');
      assert.ok(!JSON.stringify(request.headers).includes('from-environment'));
    }
  });
});
