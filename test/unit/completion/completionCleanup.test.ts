// Golden cases for completion clean-up, each from a failure pattern seen in real model output.
import * as assert from 'node:assert/strict';
import { cleanCompletion } from '../../../src/core/completion/completionCleanup';
import { completionMode } from '../../../src/core/completion/completionPrompt';
import type { CompletionMode, CursorSnapshot } from '../../../src/core/completion/completionTypes';
import { snap } from './completionHelpers';

interface Golden {
  name: string;
  /** The file with `█` at the cursor. */
  file: string;
  raw: string;
  /** The expected text, or undefined when the completion must be dropped. */
  want: string | undefined;
  overwrite?: number;
  snapshot?: Partial<CursorSnapshot>;
  /** Default: what the prompt asks for at this cursor. */
  mode?: CompletionMode;
  /** The server stopped at the output limit (finish_reason `length`). */
  cutByLimit?: boolean;
}

const goldens: Golden[] = [
  {
    name: 'markdown fence around the code',
    file: 'function add(a: number, b: number) {\n  █\n}\n',
    raw: '```typescript\nreturn a + b;\n```',
    want: 'return a + b;',
  },
  {
    name: 'chatty preamble, fence and explanation',
    file: 'function add(a: number, b: number) {\n  █\n}\n',
    raw: "Here's the completion:\n```ts\nreturn a + b;\n```\nThis returns the sum of both numbers.",
    want: 'return a + b;',
  },
  {
    name: 'prose after a blank line',
    file: 'function add(a: number, b: number) {\n  █\n}\n',
    raw: 'return a + b;\n\nThis function returns the sum of a and b.',
    want: 'return a + b;',
  },
  {
    name: 'the fence closes the code the model thought it was in',
    file: 'const xs = [1, 2, 3];\nconst doubled = █\n',
    raw: 'xs.map((x) => x * 2);\n```',
    want: 'xs.map((x) => x * 2);',
  },
  {
    name: 'the current line repeated from its start',
    file: 'import { add } from "./math";\n  const total = █\n',
    raw: 'const total = add(40, 2);',
    want: 'add(40, 2);',
  },
  {
    name: 'the rest of the line written again',
    file: 'console.log(█);\n',
    raw: "'ready');",
    want: "'ready'",
  },
  {
    name: 'the start of the rest of the line written again',
    file: 'const m = Math.max(█, 0);\n',
    raw: 'value, 0',
    want: 'value',
  },
  {
    name: 'a closer and semicolon written over the auto-closed paren',
    file: 'foo(█)\n',
    raw: 'a, b);',
    want: 'a, b);',
    overwrite: 1,
  },
  {
    name: 'mid-line: never a second line',
    file: 'const total = add(█);\nconsole.log(total);\n',
    raw: '1, 2);\nconsole.log(total);',
    want: '1, 2',
  },
  {
    name: 'extra closing brace the file already has',
    file: 'function f() {\n  █\n}\n',
    raw: 'return 1;\n}',
    want: 'return 1;',
  },
  {
    name: 'closing a block the suffix does not close is kept',
    file: 'function f(x: boolean) {\n  if (x) {\n    █\n}\n',
    raw: 'run();\n  }',
    want: 'run();\n  }',
  },
  {
    name: 'brackets in strings and comments are not counted',
    file: 'const open = "(";\n// ) [\nfunction f() {\n  █\n}\n',
    raw: 'return open;\n}',
    want: 'return open;',
  },
  {
    name: 'extra closers at the end of a mid-line call',
    file: 'const s = String(Math.abs(█));\n',
    raw: 'n)));',
    want: 'n',
  },
  {
    name: 'the next line after the cursor repeated',
    file: 'function f() {\n  const a = 1;\n  █\n  return a;\n}\n',
    raw: 'const b = a + 1;\n  return a;\n}',
    want: 'const b = a + 1;',
  },
  {
    name: 'second indentation on a line the editor already indented',
    file: 'function f() {\n    █\n}\n',
    raw: '    return 1;',
    want: 'return 1;',
    snapshot: { indent: { insertSpaces: true, tabSize: 4 } },
  },
  {
    name: 'indentation completed on a half-indented line is kept',
    file: 'function f() {\n  █\n}\n',
    raw: '  return 1;',
    want: '  return 1;',
    snapshot: { indent: { insertSpaces: true, tabSize: 4 } },
  },
  {
    name: "tabs on following lines in a file indented with spaces",
    file: 'function f(xs: number[]) {\n  █\n}\n',
    raw: 'for (const x of xs) {\n\t\tconsole.log(x);\n\t}',
    want: 'for (const x of xs) {\n    console.log(x);\n  }',
  },
  {
    name: 'whitespace only is dropped',
    file: 'let x = 1;\n█',
    raw: '  \n  ',
    want: undefined,
  },
  {
    name: 'nothing left after removing what already follows is dropped',
    file: 'foo(a, █b);\n',
    raw: 'b);',
    want: undefined,
  },
  {
    name: 'python: # comments and brackets',
    file: 'def area(r):\n    # uses math.pi (see docs\n    █\n',
    raw: 'return math.pi * r ** 2',
    want: 'return math.pi * r ** 2',
    snapshot: { languageId: 'python', indent: { insertSpaces: true, tabSize: 4 } },
  },
  {
    name: 'markdown keeps its fences',
    file: '# Usage\n\n█',
    raw: '```ts\nconst x = 1;\n```',
    want: '```ts\nconst x = 1;\n```',
    snapshot: { languageId: 'markdown' },
  },
  {
    // Seen replaying semver's range.js: `} else if (…) {` was cut to nothing because the file
    // already has the block's `}`; the completion reopens as many as it closes.
    name: 'a closer that reopens (`} else {`) is kept when the file already closes the block',
    file: 'function f(a) {\n  if (a) {\n    x();\n█\n  }\n}\n',
    raw: '  } else {\n    y();',
    want: '  } else {\n    y();',
  },
  {
    name: 'a closer too many is still cut when the completion does not reopen',
    file: 'function f(a) {\n  if (a) {\n    x();\n█\n  }\n}\n',
    raw: '    y();\n  }',
    want: '    y();',
  },
  {
    // From a review: closers with nothing open must not count as reopened.
    name: 'closers beyond what is open are still cut (one call left open, three closers)',
    file: 'console.log(a, b█',
    raw: '));',
    want: ')',
  },
  {
    name: 'a closer with nothing open at all gives no completion',
    file: 'const a = 1;\n█',
    raw: '}',
    want: undefined,
  },
  {
    name: 'two closers for one open block keep one',
    file: 'function f() {\n  return 1;\n█',
    raw: '}\n}',
    want: '}',
  },
  {
    name: 'a `} else {` the file already has next is not written again',
    file: 'function f() {\n  if (a) {\n    x();\n█\n  } else {\n    y();\n  }\n}\n',
    raw: '  } else {\n    z();',
    want: undefined,
  },
  // Defects seen running the peer clean-up cases (../shared/data/peer-cleanup) through this path.
  {
    name: 'a closer the line already has after the cursor is not written again',
    file: 'function f(█) {\n}\n',
    raw: 'a: string[]): string[] {',
    want: 'a: string[]',
  },
  {
    name: 'single-line mode: the next existing line is not written again',
    file: 'function print(obj) {\n  █\n  console.log(obj);\n}\n',
    raw: 'console.log(obj);',
    want: undefined,
  },
  {
    name: 'the next existing line repeated with other indentation',
    file: 'function f() {\n  █\n  return a;\n}\n',
    raw: 'const b = 1;\n    return a;',
    want: 'const b = 1;',
    mode: 'multiLine',
  },
  {
    name: 'in front of `;`: a line that would become the next existing line',
    file: 'function f() {\n  █;\n\n  return () => clear(i);\n}\n',
    raw: 'return () => clear(i);',
    want: undefined,
  },
  {
    name: 'a line written again and again is shown once',
    file: 'function hello() {}\nhello();\n█',
    raw: 'hello();\nhello();\nhello();\nhello();',
    want: 'hello();',
  },
  {
    name: 'a loop within a line is dropped',
    file: 'let foo = █',
    raw: 'foo = foo = foo = foo = foo = foo =',
    want: undefined,
  },
  {
    name: 'one pattern enumerated until the answer stops mid-statement: its first line only',
    file: 'const a = 1;\n█',
    raw: 'const b = 1;\nconst c = 1;\nconst d = 1;\nconst e = 1;\nconst f =',
    want: 'const b = 1;',
  },
  {
    name: 'cut by the output limit: the unfinished last line is dropped',
    file: 'function f() {\n  █\n}\n',
    raw: 'const a = 1;\n  const b = compute(a, ',
    want: 'const a = 1;',
    cutByLimit: true,
  },
  {
    name: 'cut by the output limit on its only line: nothing is shown',
    file: 'const x = █\n',
    raw: 'compute(1, 2, ',
    want: undefined,
    cutByLimit: true,
  },
  {
    name: 'a line one column off its neighbour is put back in line',
    file: 'if (ok) {\n  if (c) {\n    █\n  }\n}\n',
    raw: 'a();\n     b();',
    want: 'a();\n    b();',
  },
  {
    name: 'a first line one column right of the editor indentation is put back',
    file: 'function test() {\n  █\n}\n',
    raw: ' const x = 1;',
    want: 'const x = 1;',
    mode: 'multiLine',
  },
  {
    name: 'a body indented with 2 spaces in an editor set to 4 is indented with 4',
    file: 'function clamp(n: number) {\n█\n}\n',
    raw: '  if (n > 1) {\n    return 1;\n  }\n  return n;',
    want: '    if (n > 1) {\n        return 1;\n    }\n    return n;',
    snapshot: { indent: { insertSpaces: true, tabSize: 4 } },
  },
  {
    name: 'a body indented with 4 spaces in an editor set to 2 is indented with 2',
    file: 'def f(a):█',
    raw: '\n    x = a\n    if x:\n        return x',
    want: '\n  x = a\n  if x:\n    return x',
    snapshot: { languageId: 'python', indent: { insertSpaces: true, tabSize: 2 } },
  },
  {
    name: 'a hanging indent that is no body step is left alone',
    file: 'function f() {\n    █\n}\n',
    raw: 'call(a,\n      b);',
    want: 'call(a,\n      b);',
    snapshot: { indent: { insertSpaces: true, tabSize: 4 } },
    mode: 'multiLine',
  },
  {
    name: 'no doubled space after `x = ` when the model starts with one',
    file: 'const x = █\n',
    raw: ' 1;',
    want: '1;',
  },
  {
    name: 'mid-line, the space in front of the existing text is kept',
    file: 'console.log(█message);\n',
    raw: 'error, ',
    want: 'error, ',
  },
  {
    name: 'mid-line, the rest of the line written again inside the completion is cut',
    file: 'console.log(█, "p1", );\n',
    raw: '"Hello", "p1", x);',
    want: '"Hello"',
  },
  {
    name: 'a docstring whose last line ends with a full stop is not taken as cut off',
    file: 'def area(r):\n    """█\n',
    raw: 'Area of a circle.\n    Uses pi.',
    want: 'Area of a circle.\n    Uses pi.',
    snapshot: { languageId: 'python', indent: { insertSpaces: true, tabSize: 4 } },
    mode: 'multiLine',
  },
  {
    name: 'repeated values that are data, not a loop, are kept',
    file: 'const bytes = [█];\n',
    raw: '0x00, 0x00, 0x00, 0x00, 0x00',
    want: '0x00, 0x00, 0x00, 0x00, 0x00',
  },
  {
    name: 'trailing whitespace trimmed',
    file: 'const x = █\n',
    raw: '42;   ',
    want: '42;',
  },
];

describe('completion clean-up goldens', () => {
  for (const g of goldens) {
    it(g.name, () => {
      const s = snap(g.file, g.snapshot);
      const got = cleanCompletion(g.raw, s, g.mode ?? completionMode(s), { cutByLimit: g.cutByLimit });
      if (g.want === undefined) {
        assert.equal(got, undefined, `got ${JSON.stringify(got)}`);
      } else {
        assert.deepEqual(got, { text: g.want, overwrite: g.overwrite ?? 0 });
      }
    });
  }
});
