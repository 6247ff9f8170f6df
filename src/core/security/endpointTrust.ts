import { parse as parseJsonc } from 'jsonc-parser';
import type { SettingKey } from '../config/settings';

/**
 * Where the API key may go, decided per origin (scheme, host and port): Moonshot's own API hosts
 * over `https:` are trusted; any other origin needs the user's approval (remembered per origin, so
 * approving `https://h` does not approve `http://h`), except the origin of `MOONSHOT_BASE_URL`,
 * which the user set in their own environment just like `MOONSHOT_API_KEY`. A workspace can never
 * choose the endpoint: the settings that decide it are machine-scoped and read only at user level.
 */

export const MOONSHOT_API_HOSTS: readonly string[] = ['api.moonshot.ai', 'api.moonshot.cn', 'api.kimi.com', 'api.kimi.ai'];

/** Settings a workspace must not be able to set (they decide where requests and the key go). */
export const ENDPOINT_SETTINGS: readonly SettingKey[] = ['baseUrl', 'apiDialect'];

/** `scheme://host[:port]` of an http(s) URL, lower-cased, default port dropped; undefined otherwise. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** `host[:port]` of a URL, lower-cased; undefined when it does not parse. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Whether an origin is one of Moonshot's API hosts over https (plain `http:` is not). */
export function isMoonshotOrigin(origin: string): boolean {
  const parsed = originOf(origin);
  if (!parsed?.startsWith('https://')) {
    return false;
  }
  return MOONSHOT_API_HOSTS.includes(parsed.slice('https://'.length));
}

export type TrustDecision = 'trusted' | 'approved' | 'denied' | 'ask';

/** Remembered answers, keyed by origin: true = approved, false = refused. */
export type OriginDecisions = Readonly<Record<string, boolean>>;

export function trustFor(origin: string, remembered: OriginDecisions, environmentBaseUrl: string | undefined): TrustDecision {
  const key = originOf(origin);
  if (!key) {
    return 'denied';
  }
  if (isMoonshotOrigin(key)) {
    return 'trusted';
  }
  if (environmentBaseUrl && originOf(environmentBaseUrl) === key) {
    return 'trusted';
  }
  if (remembered[key] === true) {
    return 'approved';
  }
  if (remembered[key] === false) {
    return 'denied';
  }
  return 'ask';
}

/** The endpoint settings a workspace or folder tried to set (they are ignored). */
export function workspaceOverrides(inspect: (key: SettingKey) => { workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined): SettingKey[] {
  return ENDPOINT_SETTINGS.filter((key) => {
    const i = inspect(key);
    return i !== undefined && (i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
  });
}

/**
 * The endpoint settings a workspace's settings file (JSONC, `.vscode/settings.json` or the
 * `settings` of a `.code-workspace`) tries to set. VS Code drops machine-scoped values from
 * workspace scope silently, so Moonpilot reads the files itself to tell the user.
 */
export function endpointKeysInSettingsText(text: string, workspaceFile = false): string[] {
  return settingKeysInSettingsText(text, ENDPOINT_SETTINGS, workspaceFile);
}

/** Which of `keys` (without the `moonpilot.` prefix) a workspace settings file sets, flat or nested. */
export function settingKeysInSettingsText(text: string, keys: readonly string[], workspaceFile = false): string[] {
  const parsed: unknown = parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false });
  const root = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const settings = workspaceFile ? root.settings : root;
  if (!settings || typeof settings !== 'object') {
    return [];
  }
  const flat = settings as Record<string, unknown>;
  const nested = flat.moonpilot && typeof flat.moonpilot === 'object' ? (flat.moonpilot as Record<string, unknown>) : {};
  return keys.filter((key) => `moonpilot.${key}` in flat || key in nested);
}
