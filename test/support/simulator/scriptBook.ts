import { isJsonObject } from './jsonObject';
import type { Fault, RecordedRequest, ScriptedReply, ScriptHandler, TimesOption } from './types';

/** Options for `injectFault`. */
export interface FaultOptions extends TimesOption {
  /** Which requests it hits; default every `POST /v1/chat/completions`. */
  match?: (req: RecordedRequest) => boolean;
}

interface ScriptEntry {
  readonly handler: ScriptHandler;
  remaining: number;
}

interface FaultEntry {
  readonly fault: Fault;
  readonly match: (req: RecordedRequest) => boolean;
  remaining: number;
}

/** The scripted replies and injected faults of one simulator, matched in registration order. */
export class ScriptBook {
  private readonly scripts: ScriptEntry[] = [];
  private readonly faults: FaultEntry[] = [];

  /** Adds a handler (unlimited uses unless `times`). Returns a function removing it. */
  script(handler: ScriptHandler, options: TimesOption = {}): () => void {
    const entry: ScriptEntry = { handler, remaining: options.times ?? Infinity };
    this.scripts.push(entry);
    return () => remove(this.scripts, entry);
  }

  /** Adds a fault for the next `times` (default 1) matching requests. Returns a function removing it. */
  injectFault(fault: Fault, options: FaultOptions = {}): () => void {
    const entry: FaultEntry = {
      fault,
      match: options.match ?? ((req) => req.method === 'POST' && req.path === '/v1/chat/completions'),
      remaining: options.times ?? 1,
    };
    this.faults.push(entry);
    return () => remove(this.faults, entry);
  }

  /** The first handler's reply for `record` (uses up one of its `times`). */
  findReply(record: RecordedRequest): ScriptedReply | undefined {
    for (const entry of this.scripts) {
      if (entry.remaining <= 0) {
        continue;
      }
      const reply = entry.handler(record);
      if (reply) {
        entry.remaining--;
        return reply;
      }
    }
    return undefined;
  }

  /** The first fault matching `record` (uses up one of its `times`). */
  takeFault(record: RecordedRequest): Fault | undefined {
    const entry = this.faults.find((f) => f.remaining > 0 && f.match(record));
    if (!entry) {
      return undefined;
    }
    entry.remaining--;
    return entry.fault;
  }

  clear(): void {
    this.scripts.length = 0;
    this.faults.length = 0;
  }
}

/** All message text of a request (string contents and text parts), for marker matching. */
export function requestText(req: RecordedRequest): string {
  const messages = req.body?.messages;
  if (!Array.isArray(messages)) {
    return '';
  }
  const texts: string[] = [];
  for (const message of messages) {
    const content: unknown = isJsonObject(message) ? message.content : undefined;
    if (typeof content === 'string') {
      texts.push(content);
    } else if (Array.isArray(content)) {
      for (const part of content) {
        if (isJsonObject(part) && typeof part.text === 'string') {
          texts.push(part.text);
        }
      }
    }
  }
  return texts.join('\n');
}

function remove<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) {
    list.splice(index, 1);
  }
}
