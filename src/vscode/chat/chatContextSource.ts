import type { ChatContextSource } from '../../core/chat/chatSessionPorts';
import type { PackedContext } from '../../core/context/contextTypes';
import type { ContextTracker } from '../context/contextTracker';

/**
 * The chat context caps itself below the window: it is frozen for the whole conversation, so the
 * conversation needs the rest of the window to grow into.
 */
export const CHAT_CONTEXT_SHARE_OF_WINDOW = 0.4;

/** The context builder's tracker as the chat's context source. */
export class TrackerContextSource implements ChatContextSource {
  constructor(private readonly tracker: Pick<ContextTracker, 'pack' | 'budgetFor' | 'whenRulesLoaded'>) {}

  async packForChat(options: { otherPromptTokens: number; outputReserveTokens: number }): Promise<PackedContext | undefined> {
    await this.tracker.whenRulesLoaded();
    const { windowTokens } = this.tracker.budgetFor('chat', options);
    const packed = this.tracker.pack('chat', { ...options, budgetTokens: Math.floor(windowTokens * CHAT_CONTEXT_SHARE_OF_WINDOW) });
    return packed.blocks.some((b) => b.kind !== 'instructions') ? packed : undefined;
  }
}
