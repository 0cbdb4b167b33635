/**
 * A handle as competitor watch compares it: trimmed, without leading `@`, lower case (`@GlobexCare` and
 * `globexcare` are one account). The SQL side folds the same way: lower(ltrim(btrim(handle), '@')).
 */
export function handleKeyOf(handle: string): string {
  return handle.trim().replace(/^@+/, '').toLowerCase();
}

/** The SQL expression that folds a handle column like handleKeyOf. */
export function handleKeySql(column: string): string {
  return `lower(ltrim(btrim(${column}), '@'))`;
}
