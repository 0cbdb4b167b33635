import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../../platform/db/db.ts';

// The same key the ingest pipeline locks: one customer's messages and identity changes happen one at a time.
function lockKey(workspaceId: string, customerId: string): string {
  return `${workspaceId}:${customerId}`;
}

const tryAttempts = 20;
const tryDelayMs = 25;

/**
 * Takes the customer's transaction-scoped advisory lock. Deadlock-free by construction: a transaction only ever
 * *waits* for a lock whose customer id sorts after every customer lock it already holds. When the wanted id sorts
 * before one already held, it polls with pg_try_advisory_xact_lock for a short while instead of waiting, and reports
 * false if the lock stayed busy — the caller then falls back to something that needs no second lock.
 */
export async function lockCustomer(tx: Queryable, workspaceId: string, customerId: string, held: readonly string[] = []): Promise<boolean> {
  const key = lockKey(workspaceId, customerId);
  if (held.includes(customerId)) return true;
  if (held.every((id) => id < customerId)) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
    return true;
  }
  for (let attempt = 0; attempt < tryAttempts; attempt += 1) {
    const rows = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [key]);
    if (rows[0]?.locked) return true;
    await sleep(tryDelayMs);
  }
  return false;
}

/** Locks two customers in id order (nothing else held), so two merges of the same pair queue behind each other. */
export async function lockCustomerPair(tx: Queryable, workspaceId: string, a: string, b: string): Promise<void> {
  const [first, second] = a < b ? [a, b] : [b, a];
  await lockCustomer(tx, workspaceId, first);
  await lockCustomer(tx, workspaceId, second, [first]);
}
