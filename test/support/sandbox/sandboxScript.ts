// Plausible scripted answers for the sandbox (and the end-to-end tests): the Kimi simulator answers
// inline completions in the sample workspace, chat questions with visible thinking, and mockup images
// with a login page. Deterministic: the same request always gets the same answer.
import { isJsonObject } from '../simulator/jsonObject';
import type { KimiSimulator } from '../simulator/kimiSimulator';
import { requestText } from '../simulator/scriptBook';
import type { JsonObject, RecordedRequest, ScriptedReply } from '../simulator/types';
import { LOGIN_PAGE_HTML, LOGIN_PAGE_REACT, LOGIN_PAGE_VUE } from './sandboxPages';

/** Function bodies by function name, one statement per line (indented by the caller). */
const FUNCTION_BODIES: Readonly<Record<string, readonly string[]>> = {
  add: ['return a + b;'],
  subtract: ['return a - b;'],
  multiply: ['return a * b;'],
  sum: ['return values.reduce((total, value) => total + value, 0);'],
  average: ['if (values.length === 0) {', '  return 0;', '}', 'return values.reduce((total, value) => total + value, 0) / values.length;'],
  clamp: ['return Math.min(Math.max(value, min), max);'],
  isEven: ['return n % 2 === 0;'],
  capitalize: ['return text.charAt(0).toUpperCase() + text.slice(1);'],
  fibonacci: ['let [a, b] = [0, 1];', 'for (let i = 0; i < n; i++) {', '  [a, b] = [b, a + b];', '}', 'return a;'],
  totalPrice: ['return items.reduce((total, item) => total + item.price * item.quantity, 0);'],
  greet: ['return `Hello, ${name}!`;'],
};

/** Values for `const <name> = ` by name. */
const CONST_VALUES: Readonly<Record<string, string>> = {
  greeting: "'Hello from Moonpilot!';",
  answer: '42;',
  taxRate: '0.2;',
  currency: "'EUR';",
  today: 'new Date();',
};

/** Code after a `// <comment>` line, by a keyword of the comment. */
const COMMENT_SNIPPETS: ReadonlyArray<{ keyword: RegExp; lines: readonly string[] }> = [
  { keyword: /\bsort/i, lines: ['const sorted = [...items].sort((a, b) => a.price - b.price);'] },
  { keyword: /\bfilter|\bcheap/i, lines: ['const cheap = items.filter((item) => item.price < 10);'] },
  { keyword: /\blog|\bprint/i, lines: ["console.log('Moonpilot says hi');"] },
];

const OPENER = /^\s*(?:export\s+)?(?:async\s+)?(?:function\s*\*?\s*)?(\w+)\s*\([^)]*\)\s*(?::\s*[^={]+)?\{\s*$/;

function indentOf(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}

function indentLines(lines: readonly string[], indent: string): string {
  return lines.map((line, i) => (i === 0 ? line : indent + line)).join('\n');
}

/**
 * The continuation for the text before the cursor (`prefix`) and after it (`suffix`); '' when the
 * script has nothing plausible to say (no ghost text, as a real model often does).
 */
export function sandboxCompletion(prefix: string, suffix: string): string {
  const lines = prefix.split('\n');
  const before = lines[lines.length - 1];
  const previous = lines.length > 1 ? lines[lines.length - 2] : '';
  const afterOnLine = suffix.split('\n')[0];

  // A blank line right after a function or method opener: its body.
  const opener = OPENER.exec(previous);
  if (before.trim() === '' && opener && !/^(if|for|while|switch|catch)$/.test(opener[1])) {
    const body = FUNCTION_BODIES[opener[1]] ?? [`throw new Error('${opener[1]} is not implemented yet');`];
    return indentLines(body, indentOf(before));
  }
  // `const name = ` at the end of a line.
  const constant = /\b(?:const|let)\s+(\w+)\s*(?::\s*[\w<>[\]]+\s*)?=\s*$/.exec(before);
  if (constant && afterOnLine.trim() === '') {
    return CONST_VALUES[constant[1]] ?? '';
  }
  // A blank line under a comment that says what to write.
  const comment = /^\s*\/\/\s*(.*)$/.exec(previous);
  if (before.trim() === '' && comment) {
    const snippet = COMMENT_SNIPPETS.find((s) => s.keyword.test(comment[1]));
    return snippet ? indentLines(snippet.lines, indentOf(before)) : '';
  }
  return '';
}

/** The question of a chat request: the last paragraph of the last user message (after any attachments). */
export function chatQuestion(messages: readonly JsonObject[]): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const content = lastUser?.content;
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => (isJsonObject(p) && typeof p.text === 'string' ? p.text : '')).join('\n') : '';
  const paragraphs = text.trim().split(/\n\s*\n/);
  return paragraphs[paragraphs.length - 1].trim();
}

/** A chat answer with thinking first, streamed at a readable pace. */
export function sandboxChatReply(question: string): ScriptedReply {
  const short = question.length > 80 ? `${question.slice(0, 77)}…` : question;
  const reasoning = [
    `The user asks: "${short}".`,
    'This is the Moonpilot sandbox, so the workspace is the small Lunar Shop app: src/cart.ts holds the cart, src/format.ts formats prices.',
    'A short answer with one code example fits best; I will point to the files and keep the example runnable.',
  ].join(' ');
  const topic = /\btest/i.test(question)
    ? [
        'Here is a test for the cart total, using Node\'s built-in test runner:',
        '',
        '```ts',
        "import { test } from 'node:test';",
        "import * as assert from 'node:assert/strict';",
        "import { Cart } from './cart';",
        '',
        "test('total adds price × quantity', () => {",
        '  const cart = new Cart();',
        "  cart.add({ name: 'Moon lamp', price: 20, quantity: 2 });",
        '  assert.equal(cart.total(), 40);',
        '});',
        '```',
      ]
    : [
        'In this workspace, `Cart` in **src/cart.ts** keeps the items and `formatPrice` in **src/format.ts** turns a number into a price:',
        '',
        '```ts',
        "import { Cart } from './cart';",
        "import { formatPrice } from './format';",
        '',
        'const cart = new Cart();',
        "cart.add({ name: 'Moon lamp', price: 20, quantity: 2 });",
        'console.log(formatPrice(cart.total())); // "€40.00"',
        '```',
        '',
        '- `add` merges items with the same name',
        '- `total` multiplies price by quantity',
      ];
  const content = [`*(Scripted answer from the Kimi simulator.)*`, '', ...topic].join('\n');
  return { reasoning, content, chunkSize: 6, chunkDelayMs: 20 };
}

/** A mockup answer in the requested target's fence. */
export function sandboxMockupReply(taskText: string): ScriptedReply {
  const [fence, code] = /```tsx/.test(taskText) ? ['tsx', LOGIN_PAGE_REACT] : /```vue/.test(taskText) ? ['vue', LOGIN_PAGE_VUE] : ['html', LOGIN_PAGE_HTML];
  return { content: `\`\`\`${fence}\n${code}\`\`\`\n`, chunkSize: 24, chunkDelayMs: 8 };
}

function hasImage(messages: readonly JsonObject[]): boolean {
  return messages.some((m) => Array.isArray(m.content) && m.content.some((p) => isJsonObject(p) && p.type === 'image_url'));
}

/** The sandbox's answer to any chat completion request. */
export function sandboxReply(req: RecordedRequest): ScriptedReply | undefined {
  const messages = req.body?.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return undefined; // Let the simulator reject it as Kimi would.
  }
  const objects = messages.filter(isJsonObject);
  const last = objects[objects.length - 1];
  if (last?.role === 'assistant' && last.partial === true) {
    const userText = objects.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    const suffix = /<text_after_cursor>\n([\s\S]*)\n<\/text_after_cursor>/.exec(userText)?.[1] ?? '';
    return { content: sandboxCompletion(typeof last.content === 'string' ? last.content : '', suffix), chunkSize: 16 };
  }
  if (hasImage(objects)) {
    return sandboxMockupReply(requestText(req));
  }
  return sandboxChatReply(chatQuestion(objects));
}

export interface SandboxScriptOptions {
  /** false: no delay between streamed chunks (unit tests). Default true: a readable, live pace. */
  paced?: boolean;
}

/** Adds the sandbox's answers to a simulator; returns a function removing them. */
export function installSandboxScript(sim: KimiSimulator, options: SandboxScriptOptions = {}): () => void {
  return sim.script((req) => {
    const reply = sandboxReply(req);
    return reply && options.paced === false ? { ...reply, chunkDelayMs: 0 } : reply;
  });
}
