/**
 * The continuous percentile of PostgreSQL's `percentile_cont` (and the equity report): the value at position
 * p × (n − 1) of the sorted values, interpolated linearly between its neighbours. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const value = sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  // Interpolation carries float noise (8640.000000000002): report to the millisecond.
  return Math.round(value * 1000) / 1000;
}

/** a / b rounded to four places, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 10_000) / 10_000;
}
