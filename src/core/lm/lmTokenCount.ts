import { estimateTokens } from '../context/tokenEstimate';
import type { LmMessage } from './lmTypes';

/** Tokens charged per message for its role and separators (Kimi's chat template adds a few). */
const MESSAGE_OVERHEAD_TOKENS = 4;
/**
 * An image's tokens: Kimi's cost is dynamic (grows with the pixels); Moonpilot downscales its own
 * screenshots, VS Code does not, so count a generous flat figure rather than under-count.
 */
export const IMAGE_TOKENS = 1_500;

/** `provideTokenCount`: Moonpilot's token estimate (`tokenEstimate.ts`) for a text or a whole message. */
export function countLmTokens(input: string | LmMessage): number {
  if (typeof input === 'string') {
    return estimateTokens(input);
  }
  let tokens = MESSAGE_OVERHEAD_TOKENS;
  for (const part of input.parts) {
    switch (part.kind) {
      case 'text':
        tokens += estimateTokens(part.text);
        break;
      case 'toolCall':
        tokens += estimateTokens(part.name) + estimateTokens(JSON.stringify(part.input ?? {}));
        break;
      case 'toolResult':
        tokens += estimateTokens(part.text);
        break;
      case 'data':
        tokens += part.mimeType.startsWith('image/') ? IMAGE_TOKENS : estimateTokens(new TextDecoder().decode(part.data));
        break;
    }
  }
  return tokens;
}
