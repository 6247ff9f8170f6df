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
