/**
 * Every `moonpilot.*` command id, the one list. `COMMANDS` are the ones package.json contributes
 * (test/unit/config/commandIds.test.ts checks both directions); `INTERNAL_COMMANDS` are registered but
 * not contributed (no palette entry). In the core because the core names commands too (the
 * endpoint label's click). The activation shell (src/shell/) may import nothing outside it: it
 * reads the contributed ids from package.json instead.
 */
export const COMMANDS = {
  setApiKey: 'moonpilot.setApiKey',
  clearApiKey: 'moonpilot.clearApiKey',
  testConnection: 'moonpilot.testConnection',
  approveEndpoint: 'moonpilot.approveEndpoint',
  manageEndpoints: 'moonpilot.manageEndpoints',
  mockupToCode: 'moonpilot.mockupToCode',
  toggleCompletion: 'moonpilot.toggleCompletion',
  explainSelection: 'moonpilot.explainSelection',
  addToChat: 'moonpilot.addToChat',
  newChat: 'moonpilot.newChat',
  showContext: 'moonpilot.showContext',
} as const;

/** Commands registered but not contributed: the completion status bar's click on a failure. */
export const INTERNAL_COMMANDS = {
  showCompletionError: 'moonpilot.showCompletionError',
} as const;

/** A contributed command id. */
export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
