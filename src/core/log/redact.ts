/**
 * Removes secrets from text bound for logs, error messages or the webview: the given secret
 * values, `Authorization`/`Bearer` header values, and strings shaped like API keys.
 */
const KEY_SHAPES: RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /("?authorization"?\s*[:=]\s*"?)[^"\s,}]+/gi,
  /("?api[_-]?key"?\s*[:=]\s*"?)[^"\s,}]+/gi,
];

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join('[redacted]');
    }
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (match, prefix?: string) => (typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]'));
  }
  return out;
}
