import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import type { SpikeDimension } from './alert-policy.schema.ts';
import type { AlertExample, AlertKind, AlertStatus, NewAlert } from './alert.types.ts';

export interface AlertRow extends Record<string, unknown> {
  id: string;
  kind: AlertKind;
  title: string;
  score: number;
  dimension: SpikeDimension | null;
  series_key: string | null;
  message_id: string | null;
  case_id: string | null;
  example_message_ids: string[];
  details: Record<string, unknown>;
  raised_at: Date;
  started_at: Date;
  ended_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

const columns = `id, kind, title, score, dimension, series_key, message_id, case_id, example_message_ids, details, raised_at,
  started_at, ended_at, acknowledged_at, acknowledged_by`;

/** Stores an alert unless its dedupe key is already stored; returns the new id, or null for a repeat. */
export async function insertAlert(tx: Queryable, alert: NewAlert): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO alert (workspace_id, id, kind, dedupe_key, title, score, dimension, series_key, message_id, case_id,
       example_message_ids, details, raised_at, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::uuid[], $12, $13, $14)
     ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING id`,
    [alert.workspaceId, randomUUID(), alert.kind, alert.dedupeKey, alert.title, alert.score, alert.dimension, alert.seriesKey,
      alert.messageId, alert.caseId, alert.exampleMessageIds, JSON.stringify(alert.details), alert.raisedAt, alert.startedAt],
  );
  return rows[0]?.id ?? null;
}

export async function findAlertIdByDedupeKey(db: Queryable, workspaceId: string, dedupeKey: string): Promise<string | null> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM alert WHERE workspace_id = $1 AND dedupe_key = $2`, [workspaceId, dedupeKey]);
  return rows[0]?.id ?? null;
}

/** Marks a spike alert ended (once); merges `details` into the stored ones. Returns its id, or null. */
export async function markAlertEnded(
  tx: Queryable,
  workspaceId: string,
  dedupeKey: string,
  endedAt: Date,
  details: Record<string, unknown>,
): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE alert SET ended_at = $3, details = details || $4::jsonb
     WHERE workspace_id = $1 AND dedupe_key = $2 AND ended_at IS NULL RETURNING id`,
    [workspaceId, dedupeKey, endedAt, JSON.stringify(details)],
  );
  return rows[0]?.id ?? null;
}

export interface AlertCursor {
  at: string;
  id: string;
}

export interface AlertFilter {
  kind?: AlertKind;
  status?: AlertStatus;
  active?: boolean;
  dimension?: SpikeDimension;
  since?: Date;
  until?: Date;
  after?: AlertCursor;
  limit: number;
}

/** Newest first, keyset-paged on (raised_at, id). */
export async function selectAlerts(db: Queryable, workspaceId: string, filter: AlertFilter): Promise<AlertRow[]> {
  const where = ['workspace_id = $1'];
  const params: unknown[] = [workspaceId];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.kind) add((n) => `kind = ${n}`, filter.kind);
  if (filter.dimension) add((n) => `dimension = ${n}`, filter.dimension);
  if (filter.status === 'open') where.push('acknowledged_at IS NULL');
  if (filter.status === 'acknowledged') where.push('acknowledged_at IS NOT NULL');
  if (filter.active === true) where.push('ended_at IS NULL');
  if (filter.active === false) where.push('ended_at IS NOT NULL');
  if (filter.since) add((n) => `raised_at >= ${n}`, filter.since);
  if (filter.until) add((n) => `raised_at < ${n}`, filter.until);
  if (filter.after) {
    params.push(filter.after.at, filter.after.id);
    where.push(`(raised_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(filter.limit);
  return db.query<AlertRow>(
    `SELECT ${columns} FROM alert WHERE ${where.join(' AND ')} ORDER BY raised_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
}

export async function selectAlert(db: Queryable, workspaceId: string, id: string): Promise<AlertRow | null> {
  const rows = await db.query<AlertRow>(`SELECT ${columns} FROM alert WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return rows[0] ?? null;
}

/** Acknowledges an alert not yet acknowledged; null when there is no such alert or it already was. */
export async function markAlertAcknowledged(tx: Queryable, workspaceId: string, id: string, userId: string, at: Date): Promise<AlertRow | null> {
  const rows = await tx.query<AlertRow>(
    `UPDATE alert SET acknowledged_at = $4, acknowledged_by = $3
     WHERE workspace_id = $1 AND id = $2 AND acknowledged_at IS NULL RETURNING ${columns}`,
    [workspaceId, id, userId, at],
  );
  return rows[0] ?? null;
}

interface ExampleRow extends Record<string, unknown> {
  id: string;
  channel_id: string;
  case_id: string | null;
  handle: string | null;
  text: string;
  sent_at: Date;
}

/** The example posts of a page of alerts, by id. */
export async function selectExamples(db: Queryable, workspaceId: string, ids: readonly string[]): Promise<Map<string, AlertExample>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<ExampleRow>(
    `SELECT m.id, m.channel_id, m.case_id, a.handle, m.text, m.sent_at
     FROM message m LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     WHERE m.workspace_id = $1 AND m.id = ANY($2::uuid[])`,
    [workspaceId, [...new Set(ids)]],
  );
  return new Map(
    rows.map((r) => [r.id, { messageId: r.id, channelId: r.channel_id, caseId: r.case_id, authorHandle: r.handle, text: r.text, sentAt: r.sent_at.toISOString() }]),
  );
}
