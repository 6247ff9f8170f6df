// Every shared peer clean-up case (Tabby's and Continue's own test data, read at test time from
// ../shared/data/peer-cleanup: see its README and NOTICE; nothing is copied here) run through
// Moonpilot's completion path (peerCases.ts), and each disagreement with the peer judged:
// - a defect when what Moonpilot shows is visibly wrong (the detectors below, written apart from
//   the clean-up they judge, or a hand judgement in judgements.json): the test fails on any;
// - policy when one line of POLICY (README, "Inline completion" → "What is shown where") says
//   why Moonpilot shows something else; a disagreement no line covers fails the test too.
import * as assert from 'node:assert/strict';
import { completionMode, endsWithOpener } from '../../../src/core/completion/completionPrompt';
import { cursorLine, indentOf, indentWidth, type CursorSnapshot } from '../../../src/core/completion/completionTypes';
import { scanRulesFor } from '../../../src/core/completion/bracketScan';
import { accepted, expectedDocument, indentFor, loadJudgements, loadPeerFiles, showFor, type PeerCase, type Shown } from './peerCases';

interface Seen {
  c: PeerCase;
  shown: Shown | undefined;
  snapshot: Pick<CursorSnapshot, 'prefix' | 'suffix' | 'indent' | 'languageId'>;
  before: string;
  after: string;
}

/** What is shown is the start of what the peer shows (one line of its block, or nothing of it). */
function showsLess(s: Seen): boolean {
  const expected = s.c.expected;
  if (expected === null) {
    return false;
  }
  if (!s.shown) {
    return true;
  }
  const got = accepted(s.c, s.shown);
  const want = expectedDocument(s.c);
  // Same text up to the end of what is shown, the peer going on from there.
  const shownEnd = s.c.prefix.length + s.shown.text.length;
  return want.startsWith(got.slice(0, shownEnd)) && want.length > got.slice(0, shownEnd).length;
}

const noIndent = (text: string): string => text.split('\n').map((l) => l.trimStart()).join('\n');

/**
 * The policy table, as README states it. Each line: the situation, what Moonpilot shows, and
 * which disagreements with a peer it accounts for.
 */
export const POLICY: { id: string; situation: string; shown: string; covers: (s: Seen) => boolean }[] = [
  {
    id: 'line-end',
    situation: 'cursor at the end of a line of code that opens no block',
    shown: 'the rest of that line (one line is asked for; nothing when the model starts a new line)',
    covers: (s) => completionMode(s.snapshot) === 'singleLine' && s.after.trim() === '' && s.before.trim() !== '' && !endsWithOpener(s.before, s.c.languageId) && showsLess(s),
  },
  {
    id: 'block-goes-on',
    situation: 'blank line, or after a block opener, where the block already goes on below',
    shown: 'one line',
    covers: (s) => completionMode(s.snapshot) === 'singleLine' && s.after.trim() === '' && (s.before.trim() === '' || endsWithOpener(s.before, s.c.languageId)) && showsLess(s),
  },
  {
    id: 'mid-line',
    situation: 'text after the cursor on its line (closers the editor added included)',
    shown: 'the rest of that line only, written over closers it types itself',
    covers: (s) => s.after.trim() !== '' && showsLess(s),
  },
  {
    id: 'block-end',
    situation: 'a block to write (blank line or opener with nothing of the block below)',
    shown: 'the block, up to its closer, a dedent or a blank line, at most 12 lines; closers the file already has are not written again',
    covers: (s) => completionMode(s.snapshot) === 'multiLine' && showsLess(s),
  },
  {
    id: 'editor-indent',
    situation: "the model's or the file's indentation differs from the editor's (tab size, tabs or spaces)",
    shown: "the editor's indentation",
    covers: (s) => s.shown !== undefined && s.c.expected !== null && noIndent(s.shown.text) === noIndent(s.c.expected) && (s.shown.overwrite === (s.c.expectedReplace ?? 0)),
  },
  {
    id: 'short',
    situation: 'a completion of fewer than 4 characters',
    shown: 'it is shown (no minimum length)',
    covers: (s) => s.c.expected === null && s.shown !== undefined && s.shown.text.replace(/\s/g, '').length < 4,
  },
  {
    id: 'finish-the-line',
    situation: 'mid-line, the model finishes the line (a closing tag or bracket the line lacks)',
    shown: 'the whole rest of the line',
    covers: (s) => s.shown !== undefined && s.c.expected !== null && !s.shown.text.includes('\n') && s.shown.text.startsWith(s.c.expected) && s.shown.text.length > s.c.expected.length,
  },
  {
    id: 'unopened-closer',
    situation: 'the model closes a bracket nothing in the file opened',
    shown: 'the completion without that closer',
    covers: (s) => {
      const rules = scanRulesFor(s.c.languageId);
      return rules !== undefined && s.c.expected !== null && s.shown !== undefined && unmatchedClosers(expectedDocument(s.c), s.c.languageId) > unmatchedClosers(s.c.prefix + s.c.suffix, s.c.languageId) && s.c.expected.startsWith(s.shown.text);
    },
  },
];

/**
 * Closers that close nothing, or close the wrong kind of bracket (`{)`), counted apart from the
 * clean-up's own scanner (which pairs any closer with any opener): strings and comments removed
 * roughly, then a stack that checks the pairs.
 */
function unmatchedClosers(text: string, languageId: string): number {
  if (!scanRulesFor(languageId)) {
    return 0;
  }
  const hash = /python|ruby|r|yaml|shell|perl|julia/.test(languageId);
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(hash ? /#[^\n]*/g : /\/\/[^\n]*/g, '')
    .replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`/g, '""');
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let bad = 0;
  for (const ch of code) {
    if (ch === '(' || ch === '[' || ch === '{') {
      stack.push(ch);
    } else if (ch in pairs) {
      if (stack[stack.length - 1] === pairs[ch]) {
        stack.pop();
      } else {
        bad++;
      }
    }
  }
  return bad;
}

/** Visible defects in what is shown, each checked on the document as it would be after accepting it. */
const DEFECTS: { id: string; found: (s: Seen) => boolean }[] = [
  {
    id: 'a closer the file already has written again',
    found: (s) => s.shown !== undefined && unmatchedClosers(accepted(s.c, s.shown), s.c.languageId) > unmatchedClosers(s.c.prefix + s.c.suffix, s.c.languageId),
  },
  {
    id: 'the next line of the file repeated',
    found: (s) => {
      const next = s.c.suffix.split('\n').slice(1).find((l) => l.trim() !== '')?.trim();
      if (!s.shown || next === undefined || !/[A-Za-z0-9_]/.test(next) || /^(?:end|fi|done|esac)\b\W*$|^<\/[\w.:-]+>$/.test(next)) {
        return false;
      }
      const lines = s.shown.text.split('\n');
      const first = (s.before + lines[0] + (lines.length === 1 ? s.after.slice(s.shown.overwrite) : '')).trim();
      return first === next || lines.slice(1).some((l) => l.trim() === next);
    },
  },
  {
    id: 'a repetition loop',
    found: (s) => {
      if (!s.shown) {
        return false;
      }
      const lines = s.shown.text.split('\n');
      const inLine = /([^\n]{3,}?)\1{3,}/.exec(s.shown.text);
      return lines.some((l, i) => i > 0 && /[A-Za-z]/.test(l) && l.trim() === lines[i - 1].trim()) || (inLine !== null && /[A-Za-z_]/.test(inLine[1]));
    },
  },
  {
    id: 'a last line cut off',
    found: (s) => s.shown !== undefined && s.after.trim() === '' && s.shown.text.includes('\n') && /(?:\s=|&&|\|\||=>|\s[+\-*/])\s*$/.test(s.shown.text),
  },
  {
    id: 'indentation off by a column, or in another step than the editor',
    found: (s) => {
      if (!s.shown) {
        return false;
      }
      const { tabSize } = s.snapshot.indent;
      // The line above the cursor's line too, when the completion starts a line under it.
      const above = s.before.trim() === '' ? s.c.prefix.split('\n').slice(0, -1).reverse().find((l) => l.trim() !== '') : undefined;
      const lines = [...(above !== undefined ? [above] : []), ...(s.before + s.shown.text).split('\n')];
      const widths = lines.map((l) => indentWidth(indentOf(l), tabSize));
      let prev: number | undefined;
      for (let i = 0; i < lines.length; i++) {
        if (lines[i].trim() === '') {
          continue;
        }
        if (prev !== undefined && !/^\s*\*/.test(lines[i])) {
          const w = widths[i];
          const p = widths[prev];
          if (Math.abs(w - p) === 1 || (endsWithOpener(lines[prev], s.c.languageId) && w > p && w - p !== tabSize && s.snapshot.indent.insertSpaces)) {
            return true;
          }
        }
        prev = i;
      }
      return false;
    },
  },
  {
    id: 'a doubled space',
    found: (s) => s.shown !== undefined && ((/\S\s$/.test(s.before) && /^ /.test(s.shown.text)) || (/ $/.test(s.shown.text) && /^ /.test(s.after.slice(s.shown.overwrite)))),
  },
  {
    id: 'the rest of the line written again',
    found: (s) => {
      const rest = s.after.slice(s.shown?.overwrite ?? 0).trim();
      return s.shown !== undefined && rest.length >= 4 && /[A-Za-z0-9_]/.test(rest.slice(0, 4)) && s.shown.text.includes(rest.slice(0, 4));
    },
  },
];

describe('peer clean-up cases through the completion path', function () {
  this.timeout(60_000);
  const files = loadPeerFiles();

  if (typeof files === 'string') {
    it(`skipped: ${files}`, function () {
      this.skip();
    });
    return;
  }

  it('every case agrees, or differs only where the policy table says why; no defect', async () => {
    const judgements = loadJudgements();
    const report: string[] = [];
    const problems: string[] = [];
    const policyUse = new Map<string, number>();
    for (const file of files) {
      const counts = { agree: 0, defect: 0, policy: 0 };
      for (const c of file.cases) {
        const shown = await showFor(c);
        if (accepted(c, shown) === expectedDocument(c)) {
          counts.agree++;
          continue;
        }
        const snapshot = { prefix: c.prefix, suffix: c.suffix, indent: indentFor(c), languageId: c.languageId };
        const seen: Seen = { c, shown, snapshot, ...cursorLine(snapshot) };
        const got = JSON.stringify(shown ? [shown.text, shown.overwrite] : null);
        const judged = judgements.get(c.id);
        const byHand = judged && judged.got === got ? judged : undefined;
        const defect = byHand?.class === 'defect' ? `${byHand.reason} (judgements.json)` : DEFECTS.find((d) => d.found(seen))?.id;
        const policy = defect === undefined ? POLICY.find((p) => p.covers(seen)) : undefined;
        if (process.env.PEER_CLEANUP_VERBOSE) {
          console.log(`${c.id}: ${defect ?? policy?.id ?? 'uncovered'}: shows ${got}, the peer ${JSON.stringify(c.expected)}`);
        }
        if (policy) {
          counts.policy++;
          policyUse.set(policy.id, (policyUse.get(policy.id) ?? 0) + 1);
        } else {
          counts.defect++;
          problems.push(`${c.id}: ${defect ?? 'a disagreement no policy line covers'}: shows ${got}, the peer ${JSON.stringify(c.expected)}`);
        }
      }
      report.push(`${file.peer}: ${file.cases.length} cases, ${counts.agree} agree, ${counts.defect} defect, ${counts.policy} policy`);
    }
    report.push(`policy lines used: ${[...policyUse].map(([id, n]) => `${id} ${n}`).join(', ')}`);
    console.log(`      ${report.join('\n      ')}`);
    assert.deepEqual(problems, [], 'defects, or disagreements the policy table does not cover');
  });

  it('each defect detector fires on the defect it names (so a zero above means something)', () => {
    const c = (prefix: string, suffix: string, text: string, overwrite = 0): Seen => {
      const pc: PeerCase = { id: 'probe', peer: 'probe', source: '', languageId: 'typescript', filename: 'a.ts', prefix, suffix, raw: text, expected: null, mode: 'multi' };
      const snapshot = { prefix, suffix, indent: { insertSpaces: true, tabSize: 4 }, languageId: 'typescript' };
      return { c: pc, shown: { text, overwrite }, snapshot, ...cursorLine(snapshot) };
    };
    const probes: [string, Seen][] = [
      ['a closer the file already has written again', c('function f(', ') {\n}\n', 'a: string[]): string[] {')],
      ['the next line of the file repeated', c('function f() {\n    ', '\n    console.log(obj);\n}\n', 'console.log(obj);')],
      ['a repetition loop', c('', '', 'hello();\nhello();')],
      ['a last line cut off', c('', '', 'const b = 1;\nconst k =')],
      ['indentation off by a column, or in another step than the editor', c('function f() {\n', '\n}\n', '  return 1;')],
      ['a doubled space', c('x = ', '\n', ' 1;')],
      ['the rest of the line written again', c('console.log(', ', "param1", )\n', '"a", "param1", x')],
    ];
    for (const [id, probe] of probes) {
      const detector = DEFECTS.find((d) => d.id === id);
      assert.ok(detector?.found(probe), id);
    }
  });
});
