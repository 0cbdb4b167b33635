/** Platform ids that are decimal strings past 2^53 (X, Mastodon snowflakes): compared as text, never as numbers. */
export function isNumericId(id: string): boolean {
  return /^[0-9]{1,30}$/.test(id);
}

/** Orders decimal id strings numerically: -1, 0 or 1. */
export function compareNumericIds(a: string, b: string): number {
  const left = a.replace(/^0+(?=\d)/, '');
  const right = b.replace(/^0+(?=\d)/, '');
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function maxNumericId(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return compareNumericIds(a, b) >= 0 ? a : b;
}
