import * as vscode from 'vscode';
import type { MoonpilotApi } from '../vscode/moonpilotApi';
import { FeatureLoader } from './featureLoader';
import { contributionsOf, registerStandIns } from './standIns';

/**
 * How long after activation the features load and warm up (the context tracker's first scan, the
 * openai SDK) when nothing has needed them yet, so the status bar items appear and the first
 * completion pays for none of it. The one timer that defers work: nothing else in the extension
 * waits on a clock to start. `MOONPILOT_FEATURES_PRELOAD_MS` overrides it; the activation
 * benchmark sets it high to measure a first use that loads the features.
 */
const PRELOAD_DELAY_MS = preloadDelayMs(process.env.MOONPILOT_FEATURES_PRELOAD_MS);

function preloadDelayMs(override: string | undefined): number {
  const ms = Number(override);
  return override !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : 2_000;
}

/**
 * The activation shell (dist/extension.js, a few KB): registers a stand-in for every command,
 * view and provider, and loads the features (dist/features.js, src/features.ts) on first need
 * or once the host is idle.
 */
export function activate(context: vscode.ExtensionContext): MoonpilotApi {
  const activatedAt = performance.now();
  const channel = vscode.window.createOutputChannel('Moonpilot', { log: true });
  context.subscriptions.push(channel);
  const load = (reason: string): Promise<unknown> => features.load(reason);
  const standIns = registerStandIns(context, contributionsOf(context.extension.packageJSON), load, channel);
  const features = new FeatureLoader(context, { channel, registrar: standIns.registrar }, activatedAt);

  const preload = setTimeout(() => void features.load('idle preload').then((loaded) => loaded.warmUp(), () => undefined), PRELOAD_DELAY_MS);
  context.subscriptions.push({ dispose: () => clearTimeout(preload) });
  channel.info(`[shell] activated in ${(performance.now() - activatedAt).toFixed(1)} ms; the features load on first use or in ${PRELOAD_DELAY_MS} ms, then warm up`);

  return {
    ready: async () => {
      await features.load('api');
    },
    lazyLoad: () => {
      const report = features.report;
      return report && { ...report, unbound: standIns.unbound(), firstCompletionWaitMs: standIns.firstCompletionWait()?.waitedMs };
    },
    notifications: () => features.api?.notifications() ?? [],
    get completion() {
      return features.api?.completion;
    },
    get languageModels() {
      return features.api?.languageModels;
    },
    get chat() {
      if (!features.api) {
        throw new Error('Moonpilot features are not loaded yet: await api.ready() first');
      }
      return features.api.chat;
    },
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
