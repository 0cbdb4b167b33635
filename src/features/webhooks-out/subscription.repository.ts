import type { Queryable } from '../../platform/db/db.ts';

/** A webhook subscription as the API shows it: never its secret. */
export interface WebhookSubscription {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledAt: string | null;
  /** Why the subscription stopped: set by Parley after repeated failures, or by an admin. */
  disabledReason: string | null;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionRow extends Record<string, unknown> {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  secret_sealed: string;
  enabled: boolean;
  disabled_at: Date | null;
  disabled_reason: string | null;
  consecutive_failures: number;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_error: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const columns = `id, url, description, event_types, secret_sealed, enabled, disabled_at, disabled_reason, consecutive_failures,
  last_success_at, last_failure_at, last_error, created_by, created_at, updated_at`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    enabled: row.enabled,
    disabledAt: iso(row.disabled_at),
    disabledReason: row.disabled_reason,
    consecutiveFailures: Number(row.consecutive_failures),
    lastSuccessAt: iso(row.last_success_at),
    lastFailureAt: iso(row.last_failure_at),
    lastError: row.last_error,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listSubscriptions(db: Queryable, workspaceId: string): Promise<SubscriptionRow[]> {
  return db.query<SubscriptionRow>(`SELECT ${columns} FROM webhook_subscription WHERE workspace_id = $1 ORDER BY created_at, id`, [workspaceId]);
}

export async function findSubscription(db: Queryable, workspaceId: string, id: string, forUpdate = false): Promise<SubscriptionRow | null> {
  const rows = await db.query<SubscriptionRow>(
    `SELECT ${columns} FROM webhook_subscription WHERE workspace_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [workspaceId, id],
  );
  return rows[0] ?? null;
}

/**
 * A new subscription hears events from now on: everything up to the workspace's latest event seq, and everything
 * before this database time, happened before it.
 */
export async function insertSubscription(
  db: Queryable,
  s: { workspaceId: string; id: string; url: string; description: string | null; eventTypes: string[]; secretSealed: string; createdBy: string; at: Date },
): Promise<SubscriptionRow> {
  const rows = await db.query<SubscriptionRow>(
    `INSERT INTO webhook_subscription (workspace_id, id, url, description, event_types, secret_sealed, created_by, created_at,
       updated_at, start_seq, scanned_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, (SELECT coalesce(max(seq), 0) FROM event WHERE workspace_id = $1), now())
     RETURNING ${columns}`,
    [s.workspaceId, s.id, s.url, s.description, s.eventTypes, s.secretSealed, s.createdBy, s.at],
  );
  return rows[0];
}

export interface SubscriptionChange {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  secretSealed?: string;
  /** true: enabled again, its failure count reset, hearing events from now on; false: disabled by an admin. */
  enabled?: { value: boolean; reason: string | null };
}

export async function updateSubscription(db: Queryable, workspaceId: string, id: string, change: SubscriptionChange, at: Date): Promise<SubscriptionRow | null> {
  const sets: string[] = ['updated_at = $3'];
  const params: unknown[] = [workspaceId, id, at];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (change.url !== undefined) set('url', change.url);
  if (change.description !== undefined) set('description', change.description);
  if (change.eventTypes !== undefined) set('event_types', change.eventTypes);
  if (change.secretSealed !== undefined) set('secret_sealed', change.secretSealed);
  if (change.enabled?.value === true) {
    sets.push('enabled = true', 'disabled_at = NULL', 'disabled_reason = NULL', 'consecutive_failures = 0',
      'start_seq = (SELECT coalesce(max(seq), 0) FROM event WHERE workspace_id = $1)', 'scanned_until = now()');
  } else if (change.enabled?.value === false) {
    set('disabled_reason', change.enabled.reason);
    sets.push('enabled = false', 'disabled_at = $3');
  }
  const rows = await db.query<SubscriptionRow>(
    `UPDATE webhook_subscription SET ${sets.join(', ')} WHERE workspace_id = $1 AND id = $2 RETURNING ${columns}`,
    params,
  );
  return rows[0] ?? null;
}

export async function deleteSubscription(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query(`DELETE FROM webhook_subscription WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  return rows.length > 0;
}
