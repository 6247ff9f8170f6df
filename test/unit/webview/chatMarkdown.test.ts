import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { codeActionOf, decorateCodeBlocks } from '../../../src/webview/chat/codeBlocks';
import { createMarkdownRenderer } from '../../../src/webview/chat/markdown';
import { BlockScanner, StreamingMarkdown } from '../../../src/webview/chat/streamingMarkdown';

/** Model output that tries to run script or smuggle HTML, each on its own and all together. */
const PAYLOADS = [
  '<script>window.__pwned = true</script>',
  '<img src=x onerror="window.__pwned = true">',
  '<svg onload="window.__pwned = true"><circle r="1"/></svg>',
  '<iframe src="javascript:window.__pwned=true"></iframe>',
  '<a href="javascript:window.__pwned=true">click</a>',
  '[click me](javascript:window.__pwned=true)',
  '[click me](JaVaScRiPt:window.__pwned=true)',
  '[click me](  javascript:window.__pwned=true)',
  '[click](&#106;avascript:window.__pwned=true)',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD10cnVlPC9zY3JpcHQ+)',
  '[vb](vbscript:msgbox(1))',
  '[cmd](command:workbench.action.terminal.new)',
  '[file](file:///etc/passwd)',
  '![img](https://evil.example/track.png)',
  '![x](x" onerror="window.__pwned=true)',
  '<https://ok.example/>" onmouseover="window.__pwned=true',
  '```html\n<script>window.__pwned = true</script>\n<img src=x onerror=alert(1)>\n```',
  '```"><script>window.__pwned=true</script>\ncode\n```',
  '<style>body{background:url(https://evil.example)}</style>',
  '<form action="https://evil.example"><input name=x><button>go</button></form>',
  '<div style="position:fixed;inset:0" onclick="window.__pwned=true">overlay</div>',
  '<details open ontoggle="window.__pwned=true">x</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=true>',
  '[a](https://ok.example "title\\" onmouseover=\\"window.__pwned=true")',
  '<object data="javascript:window.__pwned=true"></object><embed src="x">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=true">',
  '<base href="https://evil.example/">',
];

function dom() {
  const jsdom = new JSDOM('<!DOCTYPE html><body><div id="out"></div></body>', { runScripts: 'dangerously' });
  const win = jsdom.window as unknown as Window & { __pwned?: boolean };
  win.__pwned = false;
  return { win, out: win.document.getElementById('out') as HTMLElement };
}

function assertInert(root: Element, win: Window & { __pwned?: boolean }, source: string): void {
  assert.equal(win.__pwned, false, `script ran for ${source}`);
  const forbidden = root.querySelectorAll('script, iframe, img, svg, math, style, form, input, button:not([data-code-action]), object, embed, meta, base, details, link');
  assert.equal(forbidden.length, 0, `forbidden element from ${source}: ${root.innerHTML}`);
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      assert.ok(!/^on/i.test(attr.name), `event handler ${attr.name} from ${source}`);
      assert.ok(attr.name !== 'style', `style attribute from ${source}`);
      if (attr.name === 'href') {
        assert.match(attr.value, /^(https?:\/\/|mailto:)/i, `unsafe href ${attr.value} from ${source}`);
      }
    }
  }
}

describe('chat markdown: untrusted model output', () => {
  it('renders every XSS payload inert, with the raw HTML shown as text', () => {
    const { win, out } = dom();
    const md = createMarkdownRenderer(win);
    for (const payload of [...PAYLOADS, PAYLOADS.join('\n\n')]) {
      md.renderInto(out, payload);
      decorateCodeBlocks(out);
      // Events that would fire handlers, had any survived.
      for (const el of Array.from(out.querySelectorAll('*'))) {
        for (const type of ['load', 'error', 'click', 'mouseover', 'toggle']) {
          el.dispatchEvent(new (win as unknown as { Event: typeof Event }).Event(type));
        }
      }
      assertInert(out, win, payload);
      // The string form too: every tag that survives is on the allow-list, with no handler or unsafe link.
      const html = md.toHtml(payload);
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
        assert.match(tag, /^<(a|blockquote|br|code|del|div|em|h[1-6]|hr|li|ol|p|pre|s|span|strong|sub|sup|table|tbody|td|th|thead|tr|ul)[\s>]/i, `tag ${tag} from ${payload}`);
        for (const [, name, value] of tag.matchAll(/\s([a-z-]+)="([^"]*)"/gi)) {
          assert.ok(['href', 'title', 'class', 'start', 'rel'].includes(name), `attribute ${name} in ${tag} from ${payload}`);
          assert.ok(name !== 'href' || /^(https?:\/\/|mailto:)/i.test(value), `href in ${tag} from ${payload}`);
        }
      }
    }
    md.renderInto(out, '<script>window.__pwned = true</script>');
    assert.equal(out.textContent?.trim(), '<script>window.__pwned = true</script>', 'raw HTML survives only as visible text');
  });

  it('keeps HTML inside code fences as highlighted text', () => {
    const { win, out } = dom();
    const md = createMarkdownRenderer(win);
    md.renderInto(out, '```html\n<script>window.__pwned = true</script>\n```');
    const code = out.querySelector('pre code');
    assert.ok(code);
    assert.equal(code.textContent, '<script>window.__pwned = true</script>\n');
    assert.ok(code.querySelector('span.hljs-tag'), 'highlighted by highlight.js');
    assert.equal(out.querySelectorAll('script').length, 0);
  });

  it('keeps ordinary markdown: headings, lists, tables, emphasis, http links', () => {
    const { win, out } = dom();
    const md = createMarkdownRenderer(win);
    md.renderInto(out, '# Title\n\n- **bold** and `code`\n- [docs](https://platform.moonshot.ai/docs)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nsee https://example.com/x');
    assert.equal(out.querySelector('h1')?.textContent, 'Title');
    assert.equal(out.querySelectorAll('li').length, 2);
    assert.ok(out.querySelector('strong'));
    assert.ok(out.querySelector('table td'));
    const links = Array.from(out.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    assert.deepEqual(links, ['https://platform.moonshot.ai/docs', 'https://example.com/x']);
    assert.ok(Array.from(out.querySelectorAll('a')).every((a) => a.getAttribute('rel') === 'noopener noreferrer'));
  });

  it('adds Copy / Insert / Open buttons to code blocks and reads the code back from the DOM', () => {
    const { win, out } = dom();
    const md = createMarkdownRenderer(win);
    md.renderInto(out, 'Try:\n\n```ts\nconst x: number = 1;\n```\n');
    decorateCodeBlocks(out);
    decorateCodeBlocks(out);
    const buttons = out.querySelectorAll('.code-block button[data-code-action]');
    assert.equal(buttons.length, 3, 'decorating twice adds one toolbar');
    assert.deepEqual(Array.from(buttons).map((b) => b.getAttribute('aria-label')), ['Copy', 'Insert at Cursor', 'Open in New Editor']);
    assert.deepEqual(codeActionOf(buttons[1].querySelector('span')), { action: 'insert', code: 'const x: number = 1;\n', language: 'ts' });
    assert.equal(codeActionOf(out.querySelector('p')), undefined);
  });
});

describe('chat markdown: streaming', () => {
  it('finds settled blocks only outside code fences', () => {
    const scanner = new BlockScanner();
    const text = 'para one\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nlast para';
    assert.equal(scanner.scan('para one\n\n'), 0);
    assert.equal(scanner.scan(text.slice(0, text.indexOf('const b'))), 'para one\n\n'.length);
    assert.equal(scanner.scan(text), 'para one\n\n'.length, 'a blank line inside a fence settles nothing');
    assert.equal(scanner.scan(`${text}\n`), text.indexOf('last para'));
  });

  it('renders each settled block once and re-renders only the open tail', function () {
    this.timeout(30_000);
    const { win, out } = dom();
    const md = createMarkdownRenderer(win);
    let parsedChars = 0;
    const counting = {
      toHtml: md.toHtml,
      renderInto(target: Element, source: string) {
        parsedChars += source.length;
        md.renderInto(target, source);
      },
    };
    const view = new StreamingMarkdown(out, counting, decorateCodeBlocks);
    const paragraphs = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} with some words to make it longer than a token or two.`);
    const full = `${paragraphs.join('\n\n')}\n\n\`\`\`ts\nconst done = true;\n\`\`\`\n`;
    let text = '';
    for (let i = 0; i < full.length; i += 9) {
      text = full.slice(0, i + 9);
      view.update(text);
    }
    // Whole re-parse per update would cost ~ full.length² / 14 characters; incremental costs about full.length per settled block plus small tails.
    const quadratic = (full.length * full.length) / 18;
    assert.ok(parsedChars < quadratic / 20, `parsed ${parsedChars} chars, a full re-parse per update would parse ~${Math.round(quadratic)}`);
    assert.equal(out.querySelectorAll('p').length, 80);
    assert.equal(out.querySelectorAll('.code-block').length, 1);
    assert.ok(view.settledLength > full.length * 0.9);
    assert.equal(out.textContent?.includes('Paragraph 79 with'), true);
  });

  it('ends up showing what a single full render shows', () => {
    const { win, out } = dom();
    const md = createMarkdownRenderer(win);
    const answer = [
      '## Plan',
      '',
      'First we read **app.ts**, then:',
      '',
      '1. open `math.ts`',
      '2. check `add`',
      '',
      '```ts',
      'export function add(a: number, b: number) {',
      '',
      '  return a + b;',
      '}',
      '```',
      '',
      '> Note: tests live in `test/`.',
      '',
      '| file | role |',
      '|------|------|',
      '| app.ts | entry |',
      '',
      '- a',
      '  - nested',
      '',
      'Done. See https://example.com.',
      '',
    ].join('\n');
    const view = new StreamingMarkdown(out, md, decorateCodeBlocks);
    for (let i = 1; i <= answer.length; i += 3) {
      view.update(answer.slice(0, i));
    }
    view.update(answer);
    const full = win.document.createElement('div');
    md.renderInto(full, answer);
    decorateCodeBlocks(full);
    const shape = (root: Element) => ({
      text: (root.textContent ?? '').replace(/\s+/g, ' ').trim(),
      tags: ['h2', 'strong', 'ol', 'li', 'pre', 'blockquote', 'table', 'td', 'a', '.code-block'].map((sel) => `${sel}:${root.querySelectorAll(sel).length}`),
    });
    assert.deepEqual(shape(out), shape(full));
  });

  it('starts over when the text is replaced rather than extended', () => {
    const { win, out } = dom();
    const view = new StreamingMarkdown(out, createMarkdownRenderer(win));
    view.update('first\n\nsecond\n\nthird');
    view.update('other');
    assert.equal(out.textContent?.trim(), 'other');
  });
});
