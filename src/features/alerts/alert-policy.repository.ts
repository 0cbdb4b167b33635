import type { Queryable } from '../../platform/db/db.ts';
import { alertPolicySchema, defaultAlertPolicy } from './alert-policy.schema.ts';
import type { AlertPolicy } from './alert-policy.schema.ts';

// Ingest reads the policy for every message: a few seconds of per-process memory saves that round trip. A change made
// in this process is seen at once; other processes see it within the TTL.
const ttlMs = 5_000;
const maxEntries = 1_000;
const cache = new Map<string, { policy: AlertPolicy; expiresAt: number }>();

/** A workspace's alert policy (defaults where it never set one). A stored document is validated again on read. */
export async function loadAlertPolicy(db: Queryable, workspaceId: string): Promise<AlertPolicy> {
  const hit = cache.get(workspaceId);
  if (hit && hit.expiresAt > Date.now()) return hit.policy;
  const rows = await db.query<{ document: unknown }>(`SELECT document FROM alert_policy WHERE workspace_id = $1`, [workspaceId]);
  const parsed = rows[0] ? alertPolicySchema.safeParse(rows[0].document) : null;
  const policy = parsed?.success ? parsed.data : defaultAlertPolicy;
  if (cache.size >= maxEntries) cache.clear();
  cache.set(workspaceId, { policy, expiresAt: Date.now() + ttlMs });
  return policy;
}

export async function saveAlertPolicy(tx: Queryable, workspaceId: string, policy: AlertPolicy, userId: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO alert_policy (workspace_id, document, updated_by, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (workspace_id) DO UPDATE SET document = EXCLUDED.document, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [workspaceId, JSON.stringify(policy), userId],
  );
}

/** Forgets this process's copy after a change. */
export function forgetAlertPolicy(workspaceId: string): void {
  cache.delete(workspaceId);
}
