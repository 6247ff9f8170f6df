import type * as vscode from 'vscode';
import type { FeatureLoadReport, LoadedFeatures, MoonpilotFeatures } from '../vscode/moonpilotApi';
import type { ShellHooks } from '../vscode/registrar';

/** dist/features.js (esbuild.mjs maps `../features` to it; from out/, tests load out/src/features.js). */
type FeaturesModule = typeof import('../features');


/**
 * Loads the features bundle once, on the first call of `load`, and keeps the outcome: the
 * features (their API and their warm-up), or the failure (logged once; every later call rejects
 * with it).
 */
export class FeatureLoader {
  private loading: Promise<LoadedFeatures> | undefined;
  private loaded: LoadedFeatures | undefined;
  private lastReport: FeatureLoadReport | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly hooks: ShellHooks,
    private readonly activatedAt: number,
  ) {}

  /** The features' API once loaded. */
  get api(): MoonpilotFeatures | undefined {
    return this.loaded?.api;
  }

  get report(): FeatureLoadReport | undefined {
    return this.lastReport;
  }

  load(reason: string): Promise<LoadedFeatures> {
    this.loading ??= new Promise((resolve) => resolve(this.loadNow(reason)));
    return this.loading;
  }

  private loadNow(reason: string): LoadedFeatures {
    const started = performance.now();
    const startedAfterMs = started - this.activatedAt;
    let required = started;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of the shell: loaded on first need
      const features = require('../features') as FeaturesModule;
      required = performance.now();
      this.loaded = features.activateFeatures(this.context, this.hooks);
      const report = { reason, startedAfterMs, requireMs: required - started, activateMs: performance.now() - required };
      this.lastReport = report;
      this.hooks.channel.info(
        `[shell] features loaded (${reason}) in ${(report.requireMs + report.activateMs).toFixed(1)} ms: ` +
          `require ${report.requireMs.toFixed(1)} ms, activateFeatures ${report.activateMs.toFixed(1)} ms; ` +
          `started ${Math.round(startedAfterMs)} ms after activation`,
      );
      return this.loaded;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.lastReport = { reason, startedAfterMs, requireMs: required - started, activateMs: 0, error };
      this.hooks.channel.error(`[shell] features failed to load (${reason}): ${err instanceof Error ? (err.stack ?? error) : error}`);
      throw err;
    }
  }
}
