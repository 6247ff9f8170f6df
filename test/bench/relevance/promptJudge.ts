import type { buildCompletionPrompt } from '../../../src/core/completion/completionPrompt';
import type { PackedContext } from '../../../src/core/context/contextTypes';
import { estimateTokens } from '../../../src/core/context/tokenEstimate';
import type { Sample } from './lineSampling';

/** What one prompt shows of a sample's gold definitions. */
export interface Outcome {
  found: number;
  files: number;
  all: boolean;
  tokens: number;
}

/** Which gold definitions the prompt shows outside the current file (see the comment atop relevance.bench.ts). */
export function judge(packed: PackedContext, prompt: ReturnType<typeof buildCompletionPrompt>, sample: Sample, currentPath: string): Outcome {
  const byPath = new Map<string, string[]>();
  const add = (p: string, text: string): void => {
    byPath.set(p, [...(byPath.get(p) ?? []), text]);
  };
  for (const b of packed.blocks) {
    if (b.kind === 'file' && b.key !== currentPath) {
      add(b.key, b.text);
    } else if (b.kind === 'definitions') {
      for (const section of b.text.split('\n### ').slice(1)) {
        add(section.slice(0, section.indexOf(', line ')), section);
      }
    }
  }
  let found = 0;
  const files = new Set<string>();
  for (const g of sample.gold) {
    const texts = byPath.get(g.path);
    if (texts) {
      files.add(g.path);
    }
    if (texts?.some((t) => t.includes(g.text))) {
      found++;
    }
  }
  const goldFiles = new Set(sample.gold.map((g) => g.path));
  const tokens = prompt.request.messages.reduce((n, m) => n + estimateTokens(typeof m.content === 'string' ? m.content : ''), 0);
  return { found, files: [...goldFiles].filter((f) => files.has(f)).length, all: found === sample.gold.length, tokens };
}
