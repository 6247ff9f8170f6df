import type * as vscode from 'vscode';
import { UsageMeter, type MeteredRequest, type MeterTotals } from '../../core/lm/usageMeter';
import type { Registrar } from '../registrar';
import type { ApiKeyStore } from '../apiKeyStore';
import type { EndpointGuard } from '../endpointGuard';
import type { KimiConnection } from '../kimiConnection';
import type { OutputLogger } from '../outputLogger';
import type { SettingsReader } from '../settingsReader';
import { KimiChatProvider, LM_VENDOR } from './kimiChatProvider';
import { LmUsageStatus } from './lmUsageStatus';

/** Read-only diagnostics of the language model provider (the integration tests read them). */
export interface LanguageModelDiagnostics {
  /** The meter's totals for this window. */
  usage(): MeterTotals;
  last(): MeteredRequest | undefined;
  /** Replies whose reasoning is kept for replay. */
  rememberedReplies(): number;
  statusText(): string;
}

/** Kimi in VS Code's own chat and agent mode: the provider (vendor `moonpilot`) and its meter. */
export function registerLanguageModels(
  context: vscode.ExtensionContext,
  deps: { registrar: Registrar; connection: KimiConnection; keys: ApiKeyStore; guard: EndpointGuard; settings: SettingsReader; log: OutputLogger },
): LanguageModelDiagnostics {
  const meter = new UsageMeter();
  const status = new LmUsageStatus(meter);
  const provider = new KimiChatProvider({ ...deps, storage: context.workspaceState, meter, onMetered: () => status.render() });
  context.subscriptions.push(status, provider, deps.registrar.registerLanguageModelChatProvider(LM_VENDOR, provider));
  return {
    usage: () => meter.totals,
    last: () => meter.last,
    rememberedReplies: () => provider.rememberedReplies,
    statusText: () => status.text,
  };
}
