import * as vscode from 'vscode';
import type { CommandHandler, Registrar } from '../vscode/registrar';

/** Loads the features (once); rejects when they cannot load (the loader has logged why). */
export type LoadFeatures = (reason: string) => Promise<unknown>;

/** The scheme of "Show Context for Current Editor"'s virtual document (src/vscode/context/contextView.ts). */
export const CONTEXT_SCHEME = 'moonpilot-context';

/** What package.json contributes that needs a stand-in: command ids, webview view ids, language model vendors. */
export interface Contributions {
  readonly commands: readonly string[];
  readonly webviewViews: readonly string[];
  readonly languageModelVendors: readonly string[];
}

/** Reads the command and webview view ids from the extension's package.json. */
export function contributionsOf(packageJSON: unknown): Contributions {
  const contributes = (
    packageJSON as { contributes?: { commands?: { command: string }[]; views?: Record<string, { id: string; type?: string }[]>; languageModelChatProviders?: { vendor: string }[] } }
  ).contributes;
  return {
    commands: (contributes?.commands ?? []).map((c) => c.command),
    webviewViews: Object.values(contributes?.views ?? {}).flat().filter((v) => v.type === 'webview').map((v) => v.id),
    languageModelVendors: (contributes?.languageModelChatProviders ?? []).map((p) => p.vendor),
  };
}

/** One implementation a stand-in delegates to, bound by the features once they load. */
class Slot<T> {
  current: T | undefined;

  constructor(private readonly what: string) {}

  bind(implementation: T): vscode.Disposable {
    if (this.current !== undefined) {
      throw new Error(`${this.what} is already bound`);
    }
    this.current = implementation;
    return new vscode.Disposable(() => {
      if (this.current === implementation) {
        this.current = undefined;
      }
    });
  }
}

/** Time the first completion waited for the features to load, when it was the one loading them. */
export interface FirstCompletionWait {
  readonly waitedMs: number;
}

export interface StandIns {
  readonly registrar: Registrar;
  /** Stand-ins the features left unbound (each would fail when called); empty when all is well. */
  unbound(): string[];
  firstCompletionWait(): FirstCompletionWait | undefined;
}

/**
 * Registers, at activation, a cheap stand-in for everything VS Code may call before the features
 * have loaded: every contributed command, the inline completion provider, the webview views and
 * the context document provider and the language model chat providers. Each stand-in loads the features on first use and then
 * delegates to the implementation the features bound through the returned registrar.
 */
export function registerStandIns(
  context: vscode.ExtensionContext,
  contributions: Contributions,
  load: LoadFeatures,
  log: vscode.LogOutputChannel,
): StandIns {
  const commands = new Map(contributions.commands.map((id) => [id, new Slot<CommandHandler>(`command ${id}`)]));
  const views = new Map(contributions.webviewViews.map((id) => [id, new Slot<vscode.WebviewViewProvider>(`view ${id}`)]));
  const inline = new Slot<vscode.InlineCompletionItemProvider>('the inline completion provider');
  const contextDocs = new Slot<vscode.TextDocumentContentProvider>(`the ${CONTEXT_SCHEME} provider`);
  const contextDocsChanged = new vscode.EventEmitter<vscode.Uri>();
  const chatModels = new Map(contributions.languageModelVendors.map((vendor) => [vendor, { slot: new Slot<vscode.LanguageModelChatProvider>(`language models ${vendor}`), changed: new vscode.EventEmitter<void>() }]));
  let firstCompletionWait: FirstCompletionWait | undefined;

  /** The bound implementation, loading the features first when nothing is bound yet. */
  const loaded = async <T>(slot: Slot<T>, reason: string): Promise<T> => {
    if (slot.current === undefined) {
      await load(reason);
    }
    if (slot.current === undefined) {
      throw new Error(`Moonpilot loaded without ${reason}`);
    }
    return slot.current;
  };

  for (const [id, slot] of commands) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => (await loaded(slot, `command ${id}`))(...(args as never[]))),
    );
  }
  for (const [id, slot] of views) {
    context.subscriptions.push(
      vscode.window.registerWebviewViewProvider(id, {
        resolveWebviewView: async (view, viewContext, token) => {
          const provider = await loaded(slot, `view ${id}`).catch((err: unknown) => {
            view.webview.html = '<p>Moonpilot could not load; the Moonpilot output has the details.</p>';
            throw err;
          });
          await provider.resolveWebviewView(view, viewContext, token);
        },
      }),
    );
  }
  for (const [vendor, { slot, changed }] of chatModels) {
    // VS Code lists every vendor's models silently as the workbench starts: that alone does not
    // load the features (the list is empty until they load and fire the change event); a
    // non-silent listing (the user manages models) or a request does.
    context.subscriptions.push(
      changed,
      vscode.lm.registerLanguageModelChatProvider(vendor, {
        onDidChangeLanguageModelChatInformation: changed.event,
        provideLanguageModelChatInformation: async (options, token) =>
          slot.current === undefined && options.silent ? [] : (await loaded(slot, `language models ${vendor}`)).provideLanguageModelChatInformation(options, token),
        provideLanguageModelChatResponse: async (model, messages, options, progress, token) =>
          (await loaded(slot, `language models ${vendor}`)).provideLanguageModelChatResponse(model, messages, options, progress, token),
        provideTokenCount: async (model, text, token) => (await loaded(slot, `language models ${vendor}`)).provideTokenCount(model, text, token),
      }),
    );
  }
  context.subscriptions.push(
    contextDocsChanged,
    vscode.workspace.registerTextDocumentContentProvider(CONTEXT_SCHEME, {
      onDidChange: contextDocsChanged.event,
      provideTextDocumentContent: async (uri, token) => (await loaded(contextDocs, 'the context view')).provideTextDocumentContent(uri, token),
    }),
    vscode.languages.registerInlineCompletionItemProvider(
      { pattern: '**' },
      {
        provideInlineCompletionItems: async (document, position, completionContext, token) => {
          if (inline.current) {
            return inline.current.provideInlineCompletionItems(document, position, completionContext, token);
          }
          // The first keystroke before the idle preload pays for loading the features, once.
          const started = performance.now();
          try {
            await load('inline completion');
          } catch {
            return undefined; // The loader has logged why.
          }
          if (firstCompletionWait === undefined) {
            firstCompletionWait = { waitedMs: performance.now() - started };
            log.info(`[shell] the first inline completion waited ${firstCompletionWait.waitedMs.toFixed(1)} ms for the features to load`);
          }
          const provider = inline.current as vscode.InlineCompletionItemProvider | undefined; // bound by the load
          return token.isCancellationRequested ? undefined : provider?.provideInlineCompletionItems(document, position, completionContext, token);
        },
      },
    ),
  );

  const registrar: Registrar = {
    registerLanguageModelChatProvider: (vendor, provider) => {
      const standIn = chatModels.get(vendor);
      if (!standIn) {
        return vscode.lm.registerLanguageModelChatProvider(vendor, provider);
      }
      const forwarding = provider.onDidChangeLanguageModelChatInformation?.(() => standIn.changed.fire());
      const binding = standIn.slot.bind(provider);
      standIn.changed.fire(); // The models can be listed now.
      return new vscode.Disposable(() => {
        forwarding?.dispose();
        binding.dispose();
      });
    },
    registerCommand: (id, handler) => commands.get(id)?.bind(handler) ?? vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown),
    registerInlineCompletionItemProvider: (provider) => inline.bind(provider),
    registerWebviewViewProvider: (viewId, provider) => views.get(viewId)?.bind(provider) ?? vscode.window.registerWebviewViewProvider(viewId, provider),
    registerTextDocumentContentProvider: (scheme, provider) => {
      if (scheme !== CONTEXT_SCHEME) {
        return vscode.workspace.registerTextDocumentContentProvider(scheme, provider);
      }
      const forwarding = provider.onDidChange?.((uri) => contextDocsChanged.fire(uri));
      const binding = contextDocs.bind(provider);
      return new vscode.Disposable(() => {
        forwarding?.dispose();
        binding.dispose();
      });
    },
  };
  return {
    registrar,
    unbound: () => [
      ...[...commands].filter(([, slot]) => slot.current === undefined).map(([id]) => `command ${id}`),
      ...[...views].filter(([, slot]) => slot.current === undefined).map(([id]) => `view ${id}`),
      ...(inline.current ? [] : ['the inline completion provider']),
      ...(contextDocs.current ? [] : [`the ${CONTEXT_SCHEME} provider`]),
      ...[...chatModels].filter(([, m]) => m.slot.current === undefined).map(([vendor]) => `language models ${vendor}`),
    ],
    firstCompletionWait: () => firstCompletionWait,
  };
}
