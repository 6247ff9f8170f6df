/**
 * What Moonpilot says in Restricted Mode (a folder the user has not trusted). Moonpilot keeps
 * working there, as Copilot does: the user opened the folder and asks for help with it. What a
 * cloned repository must not decide is how Moonpilot behaves with the user's key and money, so
 * every setting listed in package.json's `capabilities.untrustedWorkspaces.restrictedConfigurations`
 * (models, budgets, prices, rate limits, file size limit, timeouts, where completion runs) is
 * ignored at workspace level by VS Code itself until the folder is trusted. Settings a repository
 * can only use to send less (`moonpilot.context.exclude`) stay honoured.
 */

export const SET_API_KEY = 'Set API Key';
export const MANAGE_TRUST = 'Manage Workspace Trust';

export interface RestrictedNotice {
  message: string;
  actions: string[];
}

/**
 * The notice for an untrusted folder. `ignored`: the restricted settings (full ids) its settings
 * files set; `hasKey`: whether an API key is available (otherwise Set API Key is offered first).
 */
export function restrictedModeNotice(ignored: readonly string[], hasKey: boolean): RestrictedNotice {
  const which = ignored.length > 0 ? `ignores this folder's ${ignored.join(', ')}` : "ignores this folder's own settings for models, budgets, prices, rate limits and file sizes";
  const message =
    `Moonpilot works in Restricted Mode with your user settings, and ${which}: an untrusted repository must not choose ` +
    'how your key and money are used. Trust the folder to apply its settings.' +
    (hasKey ? '' : ' Set your Kimi API key to start.');
  return { message, actions: hasKey ? [MANAGE_TRUST] : [SET_API_KEY, MANAGE_TRUST] };
}
