import { parse as parseJsonc } from 'jsonc-parser';

/**
 * Where the API key may go. Moonshot's own API hosts are trusted; any other host needs the
 * user's one-time approval (remembered per host), except the host of `MOONSHOT_BASE_URL`, which
 * the user set in their own environment just like `MOONSHOT_API_KEY`. A workspace can never
 * choose the endpoint: the settings that decide it are machine-scoped and read only at user level.
 */

export const MOONSHOT_API_HOSTS: readonly string[] = ['api.moonshot.ai', 'api.moonshot.cn', 'api.kimi.com', 'api.kimi.ai'];

/** Settings a workspace must not be able to set (they decide where requests and the key go). */
export const ENDPOINT_SETTINGS: readonly string[] = ['baseUrl', 'apiDialect'];

/** `host[:port]` of a URL, lower-cased; undefined when it does not parse. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

export function isMoonshotHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/:443$/, '');
  return MOONSHOT_API_HOSTS.includes(bare);
}

export type TrustDecision = 'trusted' | 'approved' | 'denied' | 'ask';

export function trustFor(
  host: string,
  remembered: Readonly<Record<string, boolean>>,
  environmentBaseUrl: string | undefined,
): TrustDecision {
  if (isMoonshotHost(host)) {
    return 'trusted';
  }
  if (environmentBaseUrl && hostOf(environmentBaseUrl) === host) {
    return 'trusted';
  }
  if (remembered[host] === true) {
    return 'approved';
  }
  if (remembered[host] === false) {
    return 'denied';
  }
  return 'ask';
}

/** The endpoint settings a workspace or folder tried to set (they are ignored). */
export function workspaceOverrides(inspect: (key: string) => { workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined): string[] {
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
  const parsed: unknown = parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false });
  const root = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const settings = workspaceFile ? root.settings : root;
  if (!settings || typeof settings !== 'object') {
    return [];
  }
  const flat = settings as Record<string, unknown>;
  const nested = flat.moonpilot && typeof flat.moonpilot === 'object' ? (flat.moonpilot as Record<string, unknown>) : {};
  return ENDPOINT_SETTINGS.filter((key) => `moonpilot.${key}` in flat || key in nested);
}
