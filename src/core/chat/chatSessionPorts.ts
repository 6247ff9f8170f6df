import type { Settings } from '../config/settings';
import type { PackedContext } from '../context/contextTypes';
import type { KimiClient } from '../kimi/kimiClient';
import type { ModelInfo, ReasoningEffort } from '../kimi/kimiTypes';
import type { ModelProblem, ModelSetting } from '../kimi/modelMigration';
import type { Logger } from '../log/logger';
import type { Clock } from '../platform/clock';
import type { HostToWebview } from './protocol';
import type { Attachment } from './transcriptTypes';
import type { TurnTools } from './turnRunner';

/** The chat as it is stored per workspace. */
export interface StoredSession {
  /** The transcript as `TranscriptSerializer` writes it (a JSON string; an object before 0.1.1). */
  transcript: unknown;
  attachments: Attachment[];
  thinking: boolean;
  /** Effort for the next new chat on an effort-controlled model (absent in older saves). */
  effort?: ReasoningEffort;
  draft: string;
}

/** Where the session is kept between windows (the VS Code adapter: workspace state). */
export interface ChatSessionStorage {
  get(): StoredSession | undefined;
  update(session: StoredSession): PromiseLike<void> | void;
}

/** What the chat needs of the connection to Kimi: settings, a client, the endpoint's models, the model check. */
export interface ChatConnection {
  readonly settingsNow: Settings;
  /** Throws why there is no client (no key, origin not approved); the signal cancels a pending question. */
  client(feature: string, options: { signal?: AbortSignal }): Promise<KimiClient>;
  modelList(client: KimiClient, signal?: AbortSignal): Promise<readonly ModelInfo[] | undefined>;
  readonly migration: {
    /** A problem with the configured model (unlisted: retired or unknown), told to the user once. */
    check(setting: ModelSetting, client: KimiClient): Promise<ModelProblem | undefined>;
    /** The message for a 404 on `model`, naming what replaces it. */
    notFound(setting: ModelSetting, client: KimiClient | undefined, model?: string): Promise<ModelProblem>;
  };
}

/** Where the chat gets the workspace context it sends once, at the start of a conversation. */
export interface ChatContextSource {
  /** The packed context for chat, or undefined when there is nothing to send. */
  packForChat(options: { otherPromptTokens: number; outputReserveTokens: number }): Promise<PackedContext | undefined>;
}

export interface ChatSessionDeps {
  connection: ChatConnection;
  log: Logger;
  context: ChatContextSource;
  tools: TurnTools;
  storage: ChatSessionStorage;
  /** Every change, as the message the webview needs to show it. */
  emit: (message: HostToWebview) => void;
  /**
   * Asks the user before a change that re-sends the conversation uncached (model or effort
   * mid-chat); resolves true to go ahead.
   */
  confirm: (message: string, action: string) => Promise<boolean>;
  /** Called as each turn starts (e.g. to refresh the tools' ignore rules). */
  beforeTurn?: () => void;
  /** Timers for the idle write and the clock for rate-limit waits; default the real ones. */
  clock?: Clock;
}
