/**
 * Markdown → safe HTML for model output, which is untrusted. Three layers:
 * 1. markdown-it with raw HTML off (`<script>` becomes text), images off, and links limited to
 *    http(s) and mailto (anything else stays literal text);
 * 2. highlight.js (core plus common languages) emits only `<span class>`;
 * 3. DOMPurify with a short allow-list of tags and attributes, no `style`, and every link made
 *    inert (clicks are turned into `openLink` messages that the host validates again).
 * The webview's CSP (`default-src 'none'`, nonce'd script) is the backstop behind all three.
 */
import createDOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdownLang from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, markdown: markdownLang, php, plaintext, python, ruby, rust, scss, shell, sql, swift, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) {
  if (!hljs.getLanguage(name)) {
    hljs.registerLanguage(name, language);
  }
}

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 's',
  'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start'];

/** The language id of a fence's info string (`ts title=x` → `ts`), if highlight.js knows it. */
export function fenceLanguage(info: string): string {
  const name = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return /^[\w+#.-]{1,40}$/.test(name) ? name : '';
}

function highlight(code: string, info: string): string {
  const lang = fenceLanguage(info);
  if (lang && hljs.getLanguage(lang)) {
    try {
      return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    } catch {
      return '';
    }
  }
  return ''; // markdown-it escapes the code itself.
}

export interface MarkdownRenderer {
  /** Sanitised HTML for a markdown source. */
  toHtml(source: string): string;
  /** Replaces `target`'s children with the rendered markdown (no string HTML ever reaches the DOM unsanitised). */
  renderInto(target: Element, source: string): void;
}

/** Creates the renderer for a window (the webview's, or a jsdom window in tests). */
export function createMarkdownRenderer(win: Window): MarkdownRenderer {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false, highlight });
  md.disable('image');
  md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());

  const purify = createDOMPurify(win as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (!SAFE_LINK.test(href)) {
        node.removeAttribute('href');
      }
      node.setAttribute('rel', 'noopener noreferrer');
      node.removeAttribute('target');
    }
    const cls = node.getAttribute('class');
    if (cls !== null) {
      // Only the classes markdown-it and highlight.js emit.
      const kept = cls.split(/\s+/).filter((name) => /^(hljs(-[\w-]+)?|language-[\w+#.-]+)$/.test(name) || /^[\w-]+_$/.test(name));
      if (kept.length > 0) {
        node.setAttribute('class', kept.join(' '));
      } else {
        node.removeAttribute('class');
      }
    }
  });
  const config = {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    KEEP_CONTENT: true,
  };
  const toHtml = (source: string): string => String(purify.sanitize(md.render(source), config));
  return {
    toHtml,
    renderInto(target: Element, source: string): void {
      const fragment = purify.sanitize(md.render(source), { ...config, RETURN_DOM_FRAGMENT: true }) as unknown as DocumentFragment;
      target.replaceChildren(fragment);
    },
  };
}
