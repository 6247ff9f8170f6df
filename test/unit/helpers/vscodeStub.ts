// A minimal stand-in for the `vscode` module, for unit tests of the activation shell in plain
// Node: it records what is registered with VS Code and lets the test call it as VS Code would.
import Module from 'node:module';

type Listener<T> = (value: T) => void;

export class Disposable {
  constructor(private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of this.listeners) {
      listener(value);
    }
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** The language model parts, as plain classes (the adapter tells them apart with `instanceof`). */
export class LanguageModelTextPart {
  constructor(public value: string) {}
}
export class LanguageModelToolCallPart {
  constructor(public callId: string, public name: string, public input: object) {}
}
export class LanguageModelToolResultPart {
  constructor(public callId: string, public content: unknown[]) {}
}
export class LanguageModelPromptTsxPart {
  constructor(public value: unknown) {}
}
export const LanguageModelChatMessageRole = { User: 1, Assistant: 2 } as const;

/** Everything registered through the stub, by kind and id. */
export const registered = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  views: new Map<string, { resolveWebviewView(...args: unknown[]): unknown }>(),
  contentProviders: new Map<string, { provideTextDocumentContent(...args: unknown[]): unknown; onDidChange?: (l: Listener<unknown>) => Disposable }>(),
  chatModelProviders: new Map<string, { provideLanguageModelChatInformation(...args: unknown[]): unknown; onDidChangeLanguageModelChatInformation?: (l: Listener<void>) => Disposable }>(),
  inlineProviders: [] as { selector: unknown; provider: { provideInlineCompletionItems(...args: unknown[]): unknown } }[],
  logLines: [] as string[],
  clear(): void {
    this.commands.clear();
    this.views.clear();
    this.contentProviders.clear();
    this.chatModelProviders.clear();
    this.inlineProviders.length = 0;
    this.logLines.length = 0;
  },
};

const stub = {
  Disposable,
  EventEmitter,
  LanguageModelTextPart,
  LanguageModelToolCallPart,
  LanguageModelToolResultPart,
  LanguageModelPromptTsxPart,
  LanguageModelChatMessageRole,
  commands: {
    registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
      if (registered.commands.has(id)) {
        throw new Error(`command '${id}' already exists`);
      }
      registered.commands.set(id, handler);
      return new Disposable(() => registered.commands.delete(id));
    },
  },
  window: {
    registerWebviewViewProvider(id: string, provider: { resolveWebviewView(...args: unknown[]): unknown }): Disposable {
      registered.views.set(id, provider);
      return new Disposable(() => registered.views.delete(id));
    },
    createOutputChannel(): unknown {
      const line = (level: string) => (message: string): void => void registered.logLines.push(`[${level}] ${message}`);
      return { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), dispose: () => undefined };
    },
  },
  workspace: {
    registerTextDocumentContentProvider(scheme: string, provider: never): Disposable {
      registered.contentProviders.set(scheme, provider);
      return new Disposable(() => registered.contentProviders.delete(scheme));
    },
  },
  lm: {
    registerLanguageModelChatProvider(vendor: string, provider: never): Disposable {
      registered.chatModelProviders.set(vendor, provider);
      return new Disposable(() => registered.chatModelProviders.delete(vendor));
    },
  },
  languages: {
    registerInlineCompletionItemProvider(selector: unknown, provider: never): Disposable {
      const entry = { selector, provider };
      registered.inlineProviders.push(entry);
      return new Disposable(() => registered.inlineProviders.splice(registered.inlineProviders.indexOf(entry), 1));
    },
  },
};

/** Makes `require('vscode')` return the stub; returns the function that undoes it. */
export function installVscodeStub(): () => void {
  const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = loader._load;
  loader._load = function (request: string, ...rest: unknown[]): unknown {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  return () => {
    loader._load = load;
  };
}
