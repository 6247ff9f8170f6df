import type { ChatRequest } from './kimiTypes';

/** A cheap upper-bound token estimate for the limiter (about 3 characters a token). */
export function roughTokens(req: ChatRequest): number {
  let chars = 0;
  for (const m of req.messages) {
    if (typeof m.content === 'string') {
      chars += m.content.length;
    } else {
      for (const part of m.content) {
        chars += part.type === 'text' ? part.text.length : 1_000 * 3;
      }
    }
  }
  return Math.ceil(chars / 3);
}
