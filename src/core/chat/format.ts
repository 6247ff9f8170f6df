/** Short human formats for the chat's token counts, costs and durations (shared by host and webview). */

export function formatTokens(n: number): string {
  if (n < 1_000) {
    return String(Math.round(n));
  }
  if (n < 1_000_000) {
    return `${(n / 1_000).toFixed(n < 10_000 ? 1 : 0)}K`;
  }
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatCost(usd: number): string {
  if (usd === 0) {
    return '$0';
  }
  if (usd < 0.0001) {
    return '<$0.0001';
  }
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1_000).toFixed(1)} s`;
  }
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}
