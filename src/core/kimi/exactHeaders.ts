/**
 * The headers a Kimi request carries, and nothing else. The `openai` SDK reads `OPENAI_ORG_ID`,
 * `OPENAI_PROJECT_ID`, `OPENAI_ADMIN_KEY` and `OPENAI_CUSTOM_HEADERS` from the environment and would
 * add them to every request (an `Authorization:` line there replaces the user's Kimi key), plus its
 * own `X-Stainless-*` platform headers; the client (`kimiClient.ts`) passes every request through
 * `exactHeaders` in the SDK's `prepareRequest` hook.
 */

/** The SDK-made headers Moonpilot sends; every other header the SDK would add is dropped. */
const SDK_HEADERS_SENT: readonly string[] = ['content-type', 'accept', 'user-agent'];

/**
 * The headers a request carries: exactly the SDK's `SDK_HEADERS_SENT`, the caller's extra
 * headers, and `Authorization: Bearer <apiKey>` (set last, so nothing else can replace it).
 */
export function exactHeaders(fromSdk: HeadersInit | undefined, apiKey: string, extra: Readonly<Record<string, string>> = {}): Headers {
  const given = new Headers(fromSdk);
  const headers = new Headers();
  for (const name of SDK_HEADERS_SENT) {
    const value = given.get(name);
    if (value !== null) {
      headers.set(name, value);
    }
  }
  for (const [name, value] of Object.entries(extra)) {
    headers.set(name, value);
  }
  headers.set('authorization', `Bearer ${apiKey}`);
  return headers;
}
