/** A share as a percentage with one decimal ("12.3 %"). */
export const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/** Milliseconds, two decimals below 10 ms; "—" when there is no figure. */
export const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 0)} ms` : '—');
