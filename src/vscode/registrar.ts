// The contract between the activation shell (dist/extension.js) and the features bundle
// (dist/features.js), kept with the features so that no feature file imports the shell. Types only:
// the shell imports it with `import type`, so nothing from here is bundled into the shell
// (esbuild.mjs fails the build if it is).
import type * as vscode from 'vscode';

/** A command handler as VS Code calls it. */
export type CommandHandler = (...args: never[]) => unknown;

/**
 * Where the features register what the shell already registered with VS Code at activation
 * (VS Code refuses a second `registerCommand` for the same id). Each call binds the shell's
 * stand-in to the real implementation; anything the shell has no stand-in for is registered
 * with VS Code directly. The returned disposable unbinds (or unregisters) it.
 */
export interface Registrar {
  registerCommand(id: string, handler: CommandHandler): vscode.Disposable;
  /** The one inline completion provider (the shell registered it for `{ pattern: '**' }`). */
  registerInlineCompletionItemProvider(provider: vscode.InlineCompletionItemProvider): vscode.Disposable;
  registerWebviewViewProvider(viewId: string, provider: vscode.WebviewViewProvider): vscode.Disposable;
  registerTextDocumentContentProvider(scheme: string, provider: vscode.TextDocumentContentProvider): vscode.Disposable;
  /** A language model chat provider for a vendor package.json contributes (`languageModelChatProviders`). */
  registerLanguageModelChatProvider(vendor: string, provider: vscode.LanguageModelChatProvider): vscode.Disposable;
}

/** What the shell hands `activateFeatures`. */
export interface ShellHooks {
  /** The "Moonpilot" log channel; the shell creates it so it can log a failed load. */
  readonly channel: vscode.LogOutputChannel;
  readonly registrar: Registrar;
}
