/**
 * The user's approvals of origins that may receive the API key, and the question that asks for
 * one. Pure: the VS Code adapter (`vscode/endpointGuard.ts`) hands in the stored answers and the
 * two ways of asking.
 *
 * The question must stay answerable until it is answered: a request the user just started (chat,
 * mockup, Test Connection) asks with a modal, which VS Code never hides; completion, which must
 * not interrupt typing, asks once with a notification and then leaves the origin in `awaiting`,
 * which the status bar shows as "approve ORIGIN" until the user answers (its click asks again, as
 * a modal). Each wait takes an `AbortSignal`, so a Stop cancels it.
 */
import { KimiError } from '../kimi/kimiErrors';
import { originOf, trustFor, type OriginDecisions } from './endpointTrust';

/** Where the answers live (VS Code's global state in the adapter). */
export interface ApprovalStore {
  get(): OriginDecisions;
  set(next: OriginDecisions): PromiseLike<void>;
}

/** How the user is asked; each resolves true (allow), false (refuse) or undefined (no answer). */
export interface ApprovalPrompts {
  /** A modal question, for a request the user just started. */
  modal(origin: string): PromiseLike<boolean | undefined>;
  /** A notification that may be hidden before it is answered (completion's first ask). */
  notification(origin: string): PromiseLike<boolean | undefined>;
}

export interface ApprovalCheck {
  /** The user started this request and is waiting for it: ask with a modal. */
  interactive: boolean;
  /** Cancels the wait for the answer (the question, if shown, stays answerable). */
  signal?: AbortSignal;
}

export class EndpointApprovals {
  private readonly modals = new Map<string, Promise<boolean | undefined>>();
  private readonly notified = new Set<string>();
  private readonly waiting = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: ApprovalStore,
    private readonly prompts: ApprovalPrompts,
    private readonly environmentBaseUrl: () => string | undefined,
  ) {}

  /** Origins completion asked about that the user has not answered yet (oldest first). */
  get awaiting(): readonly string[] {
    return [...this.waiting];
  }

  /** Called whenever an answer is recorded or forgotten, or an origin starts awaiting one. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Resolves when the key may be sent to `baseUrl`; otherwise throws a `KimiError`:
   * `endpointNotApproved` (refused, or not answered) or `cancelled` (the signal aborted the wait).
   */
  async check(baseUrl: string, options: ApprovalCheck): Promise<void> {
    const origin = originOf(baseUrl);
    if (!origin) {
      throw new KimiError('endpointNotApproved', `Moonpilot sends your API key only over http or https; ${baseUrl} is neither.`);
    }
    const decision = trustFor(origin, this.store.get(), this.environmentBaseUrl());
    if (decision === 'trusted' || decision === 'approved') {
      return;
    }
    if (decision === 'denied') {
      throw refusedError(origin);
    }
    if (!options.interactive) {
      this.await(origin);
      throw unansweredError(origin);
    }
    const answer = await abortable(this.askModal(origin), options.signal);
    if (answer !== true) {
      throw answer === false ? refusedError(origin) : unansweredError(origin);
    }
  }

  /**
   * What is decided about `baseUrl` without asking: true (trusted or approved before), false
   * (refused before, or not an http(s) URL), undefined (not asked yet). Never prompts.
   */
  decided(baseUrl: string): boolean | undefined {
    const origin = originOf(baseUrl);
    if (!origin) {
      return false;
    }
    const decision = trustFor(origin, this.store.get(), this.environmentBaseUrl());
    return decision === 'trusted' || decision === 'approved' ? true : decision === 'denied' ? false : undefined;
  }

  /** Asks about `baseUrl`'s origin now, as a modal (the status bar's "approve" click). */
  async askAgain(baseUrl: string, signal?: AbortSignal): Promise<boolean | undefined> {
    const origin = originOf(baseUrl);
    return origin ? abortable(this.askModal(origin), signal) : false;
  }

  /** Every remembered answer, sorted by origin. */
  list(): { origin: string; allowed: boolean }[] {
    return Object.entries(this.store.get())
      .map(([origin, allowed]) => ({ origin, allowed }))
      .sort((a, b) => a.origin.localeCompare(b.origin));
  }

  /** Forgets the answers for these origins: the next request asks again. */
  async forget(origins: readonly string[]): Promise<void> {
    const next: Record<string, boolean> = { ...this.store.get() };
    for (const origin of origins) {
      delete next[origin];
      this.notified.delete(origin);
    }
    await this.store.set(next);
    this.fire();
  }

  private await(origin: string): void {
    if (!this.waiting.has(origin)) {
      this.waiting.add(origin);
      this.fire();
    }
    if (!this.notified.has(origin)) {
      this.notified.add(origin);
      void noAnswerOnFailure(this.prompts.notification(origin)).then((answer) => this.record(origin, answer));
    }
  }

  /** One modal per origin at a time, shared by every caller that waits for it. */
  private askModal(origin: string): Promise<boolean | undefined> {
    let pending = this.modals.get(origin);
    if (!pending) {
      pending = noAnswerOnFailure(this.prompts.modal(origin)).then(async (answer) => {
        this.modals.delete(origin);
        await this.record(origin, answer);
        return answer;
      });
      this.modals.set(origin, pending);
    }
    return pending;
  }

  private async record(origin: string, answer: boolean | undefined): Promise<void> {
    if (answer === undefined) {
      return; // Dismissed: ask again next time.
    }
    this.waiting.delete(origin);
    await this.store.set({ ...this.store.get(), [origin]: answer });
    this.fire();
  }

  private fire(): void {
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

function refusedError(origin: string): KimiError {
  return new KimiError('endpointNotApproved', `You refused sending your API key to ${origin}. "Moonpilot: Manage Endpoint Approvals" can undo that.`);
}

function unansweredError(origin: string): KimiError {
  return new KimiError('endpointNotApproved', `Waiting for your approval to send your API key to ${origin} (not a Moonshot API origin).`);
}

/** A question that could not be shown (VS Code refuses dialogs in some modes) counts as unanswered. */
function noAnswerOnFailure(question: PromiseLike<boolean | undefined>): Promise<boolean | undefined> {
  return Promise.resolve(question).then(
    (answer) => answer,
    () => undefined,
  );
}

/** The promise, or a `cancelled` KimiError as soon as the signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise;
  }
  if (signal.aborted) {
    return Promise.reject(new KimiError('cancelled', 'The request was cancelled.'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new KimiError('cancelled', 'The request was cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
