import { COMMANDS } from '../config/commandIds';
import { hostOf, isMoonshotOrigin } from '../security/endpointTrust';
import type { ModelInfo } from './kimiTypes';

/** `owned_by` the local Kimi simulator (test/support/simulator) reports for its models. */
export const SIMULATOR_OWNER = 'moonpilot-simulator';

/**
 * What the endpoint status bar item shows. It complements the completion item ("Kimi"): it is
 * hidden for Moonshot's own API and without a key, and names any other host, and the simulator
 * clearly, so nobody mistakes scripted answers for Kimi's.
 */
export interface EndpointLabel {
  readonly visible: boolean;
  /** Status bar text (may hold `$(codicon)` references). */
  readonly text: string;
  readonly tooltip: string;
  /** Command run on click. */
  readonly command: typeof COMMANDS.setApiKey | typeof COMMANDS.testConnection;
  /** Draw attention: no key, or scripted answers instead of Kimi's. */
  readonly warn: boolean;
}

export interface EndpointFacts {
  readonly baseUrl: string;
  readonly baseUrlSource: 'user' | 'environment' | 'default';
  readonly hasKey: boolean;
  /** `/models` of the endpoint; undefined when not (yet) known. */
  readonly models: readonly ModelInfo[] | undefined;
}

/** True when `/models` came from the local simulator rather than a real Kimi endpoint. */
export function isSimulator(models: readonly ModelInfo[] | undefined): boolean {
  return models !== undefined && models.length > 0 && models.every((m) => m.ownedBy === SIMULATOR_OWNER);
}

const SOURCE: Record<EndpointFacts['baseUrlSource'], string> = {
  user: 'your settings (moonpilot.baseUrl)',
  environment: 'MOONSHOT_BASE_URL',
  default: 'the default',
};

/** The endpoint status: which host the requests go to, and clearly "simulator" for the local simulator. */
export function endpointLabel(facts: EndpointFacts): EndpointLabel {
  const host = hostOf(facts.baseUrl) ?? facts.baseUrl;
  const where = `${facts.baseUrl} (from ${SOURCE[facts.baseUrlSource]})`;
  if (!facts.hasKey) {
    return {
      visible: false,
      text: '$(key) Kimi: no key',
      tooltip: `Moonpilot has no API key for ${where}. Click to set one.`,
      command: COMMANDS.setApiKey,
      warn: true,
    };
  }
  if (isSimulator(facts.models)) {
    return {
      visible: true,
      text: '$(beaker) Kimi (simulator)',
      tooltip: `Moonpilot is talking to the local Kimi simulator at ${where}: answers are scripted, not Kimi's. Click to test the connection.`,
      command: COMMANDS.testConnection,
      warn: true,
    };
  }
  const models = facts.models ? `; ${facts.models.length} models` : '';
  // Plain http to a Moonshot host is named, like any other origin: it is not the trusted API.
  const moonshot = isMoonshotOrigin(facts.baseUrl);
  const shown = facts.baseUrl.toLowerCase().startsWith('http://') ? `http://${host}` : host;
  return {
    visible: !moonshot,
    text: moonshot ? '$(cloud) Kimi' : `$(cloud) Kimi: ${shown}`,
    tooltip: `Moonpilot sends requests to ${where}${models}. Click to test the connection.`,
    command: COMMANDS.testConnection,
    warn: false,
  };
}
