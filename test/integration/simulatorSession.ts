// The one Kimi simulator of an integration run. It listens inside the extension host on the port
// the launcher chose (MOONPILOT_SIM_PORT), which the launcher also passed to the extension as
// MOONSHOT_BASE_URL, so the extension talks to it from its first request. Every suite file shares it:
// call `suiteSimulator()` in `before`, `sim.reset()` in `afterEach`.
import * as vscode from 'vscode';
import { startSimulator, type KimiSimulator } from '../support/simulator/kimiSimulator';

let shared: Promise<KimiSimulator> | undefined;

export function suiteSimulator(): Promise<KimiSimulator> {
  shared ??= (async () => {
    const port = Number(process.env.MOONPILOT_SIM_PORT ?? 0);
    if (!port) {
      throw new Error('MOONPILOT_SIM_PORT is not set: run the suite through a launcher (npm run test:integration)');
    }
    return startSimulator({ port });
  })();
  return shared;
}

/** Stores the simulator's key through the extension's own command (into SecretStorage). */
export async function useSimulatorKey(sim: KimiSimulator): Promise<void> {
  const stored = await vscode.commands.executeCommand<boolean>('moonpilot.setApiKey', sim.apiKey);
  if (!stored) {
    throw new Error('moonpilot.setApiKey did not store the key');
  }
}
