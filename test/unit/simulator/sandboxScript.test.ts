import * as assert from 'node:assert/strict';
import { buildCompletionPrompt } from '../../../src/core/completion/completionPrompt';
import { buildMockupRequest } from '../../../src/core/mockup/mockupPrompt';
import { buildWireBody } from '../../../src/core/kimi/requestBody';
import { chatQuestion, installSandboxScript, sandboxCompletion } from '../../support/sandbox/sandboxScript';
import { startSimulator, type KimiSimulator } from '../../support/simulator/kimiSimulator';
import { callSim, joinDeltas, sseChunks } from '../../support/simulator/simClient';

describe('sandbox script', () => {
  it('completes a function body on the blank line after its opener, indented like the cursor', () => {
    assert.equal(sandboxCompletion('function add(a: number, b: number): number {\n  ', '\n}\n'), 'return a + b;');
    assert.equal(
      sandboxCompletion('export function average(values: number[]): number {\n  ', '\n}'),
      'if (values.length === 0) {\n    return 0;\n  }\n  return values.reduce((total, value) => total + value, 0) / values.length;',
    );
    assert.match(sandboxCompletion('  mystery(x: string) {\n    ', '\n  }'), /^throw new Error\('mystery is not implemented yet'\);$/);
  });

  it('completes known constants and comment requests, and stays silent elsewhere', () => {
    assert.equal(sandboxCompletion('const greeting = ', ''), "'Hello from Moonpilot!';");
    assert.equal(sandboxCompletion('// sort the items by price\n', ''), 'const sorted = [...items].sort((a, b) => a.price - b.price);');
    assert.equal(sandboxCompletion('if (ready) {\n  ', '\n}'), '');
    assert.equal(sandboxCompletion('const unknownThing = ', ''), '');
    assert.equal(sandboxCompletion('cart.', ''), '');
  });

  it('takes the question from the end of the last user message', () => {
    assert.equal(chatQuestion([{ role: 'system', content: 's' }, { role: 'user', content: '<attached file>\nx\n</attached>\n\nWhat does the cart do?' }]), 'What does the cart do?');
  });

  describe('through the simulator', () => {
    let sim: KimiSimulator;
    before(async () => {
      sim = await startSimulator();
      installSandboxScript(sim, { paced: false });
    });
    after(() => sim.close());

    it('answers a real completion request (partial mode) with the continuation only', async () => {
      const { request } = buildCompletionPrompt(
        {
          docKey: 'file:///w/src/playground.ts',
          path: 'src/playground.ts',
          languageId: 'typescript',
          prefix: 'function add(a: number, b: number): number {\n  ',
          suffix: '\n}\n',
          indent: { insertSpaces: true, tabSize: 2 },
          explicit: false,
        },
        '',
        'kimi-k2.6',
      );
      const response = await callSim(sim, '/chat/completions', buildWireBody(request, 'moonshot', true));
      assert.equal(response.status, 200, response.text);
      assert.equal(joinDeltas(sseChunks(response.text).chunks).content, 'return a + b;');
    });

    it('answers a chat question with thinking, then a markdown answer', async () => {
      const body = {
        model: 'kimi-k2.6',
        stream: true,
        max_tokens: 4096,
        messages: [{ role: 'user', content: 'Write a test for the cart' }],
      };
      const { content, reasoning } = joinDeltas(sseChunks((await callSim(sim, '/chat/completions', body)).text).chunks);
      assert.match(reasoning, /The user asks: "Write a test for the cart"/);
      assert.match(content, /```ts\nimport \{ test \} from 'node:test';/);
    });

    it('answers a mockup request with a page in the requested fence', async () => {
      const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
      for (const [target, fence] of [['html', '```html\n<!DOCTYPE html>'], ['react', '```tsx\nexport default function SignIn()'], ['vue', '```vue\n<script setup lang="ts">']] as const) {
        const request = buildMockupRequest('kimi-k2.6', { target, imageDataUrl: pixel, width: 1, height: 1 });
        const response = await callSim(sim, '/chat/completions', buildWireBody(request, 'moonshot', true));
        assert.equal(response.status, 200, response.text);
        assert.ok(joinDeltas(sseChunks(response.text).chunks).content.startsWith(fence), `${target} answer starts with ${fence}`);
      }
    });
  });
});
