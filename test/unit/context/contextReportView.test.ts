import * as assert from 'node:assert/strict';
import { packContext } from '../../../src/core/context/contextPacker';
import { renderContextView } from '../../../src/core/context/contextReportView';
import { renderWorkspaceSummary } from '../../../src/core/context/workspaceSummary';

describe('context view and workspace summary', () => {
  it('shows the budget, each block with its tokens, what was left out and the exact text', () => {
    const packed = packContext({
      purpose: 'chat',
      budgetTokens: 10_000,
      documents: [
        { uri: 'file:///w/a.ts', path: 'a.ts', languageId: 'typescript', text: 'export const a = 1;\n', firstOpened: 0 },
        { uri: 'file:///w/.env', path: '.env', languageId: 'dotenv', text: 'K=v\n', firstOpened: 1 },
        { uri: 'file:///w/b|c.ts', path: 'b|c.ts', languageId: 'typescript', text: 'b\n', firstOpened: 2 },
      ],
      activeUri: 'file:///w/b|c.ts',
      preExcluded: [{ path: 'output:tasks', reason: 'not a file (output: scheme)', kind: 'scheme' }],
    });
    const view = renderContextView(packed, { model: 'kimi-k2.5', windowTokens: 262_144, outputReserveTokens: 32_768, activePath: 'b|c.ts' });
    assert.match(view, /^# Moonpilot context: chat for b\|c\.ts\n/);
    assert.match(view, /window 262,144 tokens, output reserve 32,768, safety margin 15 % → context budget 10,000 tokens\./);
    assert.match(view, new RegExp(`Total: ${packed.tokens} of 10,000 estimated tokens`));
    assert.match(view, /\| 2 \| open file: a\.ts \| \d+ \|/);
    assert.match(view, /\| 3 \| active file: b\\\|c\.ts \| \d+ \|/);
    assert.match(view, /\| output:tasks \| not a file \(output: scheme\) \|/);
    assert.match(view, /\| \.env \| secret file \(\.env\*\) \|/);
    for (const block of packed.blocks) {
      assert.ok(view.includes(block.text), `${block.key} is shown exactly`);
    }
  });

  it('renders the same summary bytes whatever order the files come in', () => {
    const files = ['src/b.ts', 'README.md', 'src/a.ts', 'docs/guide.md', 'package.json', 'src/deep/x/y.py'];
    const one = renderWorkspaceSummary({ folders: ['ws'], files });
    const two = renderWorkspaceSummary({ folders: ['ws'], files: [...files].reverse() });
    assert.equal(one, two);
    assert.equal(
      one,
      '# Workspace\nFolders: ws\nLanguages: Markdown (2), TypeScript (2), JSON (1), Python (1)\nFiles (6):\n- README.md\n- docs/guide.md\n- package.json\n- src/a.ts\n- src/b.ts\n- src/deep/x/y.py\n\n',
    );
    const short = renderWorkspaceSummary({ folders: ['ws'], files, totalFiles: 500 }, 3);
    assert.match(short, /Files \(the 3 shallowest of 500\):\n- README\.md\n- docs\/guide\.md\n- package\.json\n\n$/);
  });
});
