/** Links the caller's signal to the request and adds first-byte and idle timeouts. */
export class RequestGuard {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  timedOut = false;
  cancelled = false;
  private readonly onAbort = (): void => {
    this.cancelled = true;
    this.controller.abort();
  };

  constructor(private readonly outer: AbortSignal | undefined, firstByteMs: number) {
    if (outer?.aborted) {
      this.onAbort();
    } else {
      outer?.addEventListener('abort', this.onAbort, { once: true });
    }
    this.arm(firstByteMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timeout: first byte on construction, then idle between chunks. */
  arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, ms);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onAbort);
    // Closes the connection if the consumer stopped early; a no-op after a complete response.
    this.controller.abort();
  }
}
