import { runTurn } from '../../../src/core/chat/turnRunner';
import type { KimiClient } from '../../../src/core/kimi/kimiClient';
import { KimiError } from '../../../src/core/kimi/kimiErrors';
import type { ChatMessage } from '../../../src/core/kimi/kimiTypes';
import type { Logger } from '../../../src/core/log/logger';
import type { SourceFile } from '../completionTyping';
import type { StoredChat } from './storedChat';

/** How the soak's chat turns ended. */
export interface ChatCounts {
  turns: number;
  ok: number;
  failed: number;
  answerChars: number;
}

/** What a soak chat turn needs: the client, the workspace, where the turn is stored and logged. */
export interface SoakChatDeps {
  client: KimiClient;
  model: string;
  files: readonly SourceFile[];
  /** The chat pack of the workspace as it is now. */
  contextText: () => string;
  /** The file being typed into now. */
  activeFile: () => SourceFile;
  stored: StoredChat;
  log: Logger;
}

/**
 * Chat turns through the core turn runner, stored as ChatSession stores them; `turn(n)` runs the
 * n-th and never throws (a failure is counted and logged).
 */
export function soakChat(deps: SoakChatDeps): { counts: ChatCounts; turn: (n: number) => Promise<void> } {
  const { client: chatClient, files, stored, log } = deps;
  const chat: ChatCounts = { turns: 0, ok: 0, failed: 0, answerChars: 0 };
  const chatTurn = async (n: number): Promise<void> => {
    chat.turns++;
    const controller = new AbortController();
    const contextText = deps.contextText();
    stored.transcript.setWorkspaceContext({ text: contextText, tokens: 0, files: [] });
    const userMessage = { role: 'user' as const, content: `Explain the code around line ${n} of ${deps.activeFile().name}.` };
    const turn = stored.transcript.startTurn({ userText: userMessage.content, attachments: [], thinking: n % 2 === 0, userMessage });
    stored.persist('start');
    const ticks = setInterval(() => stored.persist('tick'), 2_000);
    try {
      let answer = '';
      const result = await runTurn({
        model: deps.model,
        thinking: n % 2 === 0,
        maxTokens: 4_096,
        maxToolRounds: 0,
        userMessage,
        buildMessages: (current) => [{ role: 'system', content: 'You are Moonpilot.' }, { role: 'user', content: contextText }, ...current],
        stream: (request, signal) => chatClient.stream(request, signal),
        tools: { specs: [], label: () => '', run: () => Promise.reject(new Error('no tools in the soak')) },
        signal: controller.signal,
        sink: {
          reasoning: (t) => (turn.reasoning += t),
          answer: (t) => {
            answer += t;
            turn.answer += t;
          },
          reasoningDone: () => undefined,
          toolStarted: () => undefined,
          toolFinished: () => undefined,
          usage: () => undefined,
        },
      });
      // As a chat turn that read two files (the soak's turns call no tools): two read_file
      // results of real source files, cut at the tool's 60,000 characters.
      const reads = [0, 1].flatMap((k): ChatMessage[] => {
        const file = files[(n * 2 + k) % files.length];
        const id = `call_${n}_${k}`;
        return [
          { role: 'assistant', content: '', reasoning_content: 'I should read the file.', tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: file.name }) } }] },
          { role: 'tool', tool_call_id: id, name: 'read_file', content: file.text.slice(0, 60_000) },
        ];
      });
      turn.replies = [...reads, ...result.replies];
      turn.status = 'done';
      chat.ok++;
      chat.answerChars += answer.length;
    } catch (err) {
      turn.status = 'error';
      chat.failed++;
      log.warn('chat', `turn failed: ${KimiError.is(err) ? `${err.kind}: ${err.message}` : String(err)}`);
    } finally {
      clearInterval(ticks);
      stored.persist('end', turn);
    }
  };
  return { counts: chat, turn: chatTurn };
}
