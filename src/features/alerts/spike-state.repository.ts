import type { Queryable } from '../../platform/db/db.ts';
import { spikeDetectorStateSchema } from './spike.detector.ts';
import type { SpikeDetectorState } from './spike.detector.ts';

const noId = '00000000-0000-0000-0000-000000000000';

export interface DetectorCursor {
  receivedAt: Date;
  messageId: string;
}

export interface LockedDetector {
  cursor: DetectorCursor;
  state: SpikeDetectorState | null;
}

export async function listAlertWorkspaceIds(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM workspace ORDER BY id`);
  return rows.map((r) => r.id);
}

/**
 * Takes the workspace's detector row for this transaction, creating it on first use (starting `bootstrapHours`
 * back, so the baseline learns from recent history). Null when another process holds it: that one is running the
 * detector for this workspace right now. A saved state that no longer validates is dropped (the baseline relearns).
 */
export async function lockDetector(tx: Queryable, workspaceId: string, bootstrapHours: number): Promise<LockedDetector | null> {
  await tx.query(
    `INSERT INTO alert_detector (workspace_id, cursor_received_at, cursor_message_id)
     VALUES ($1, now() - make_interval(hours => $2), $3) ON CONFLICT (workspace_id) DO NOTHING`,
    [workspaceId, bootstrapHours, noId],
  );
  const rows = await tx.query<{ cursor_received_at: Date; cursor_message_id: string; state: unknown }>(
    `SELECT cursor_received_at, cursor_message_id, state FROM alert_detector WHERE workspace_id = $1 FOR UPDATE SKIP LOCKED`,
    [workspaceId],
  );
  const row = rows[0];
  if (!row) return null;
  const parsed = row.state === null ? null : spikeDetectorStateSchema.safeParse(row.state);
  return {
    cursor: { receivedAt: row.cursor_received_at, messageId: row.cursor_message_id },
    state: parsed?.success ? parsed.data : null,
  };
}

export async function saveDetector(tx: Queryable, workspaceId: string, cursor: DetectorCursor, state: SpikeDetectorState): Promise<void> {
  await tx.query(
    `UPDATE alert_detector SET cursor_received_at = $2, cursor_message_id = $3, state = $4, updated_at = now() WHERE workspace_id = $1`,
    [workspaceId, cursor.receivedAt, cursor.messageId, JSON.stringify(state)],
  );
}

export interface ComplaintRow {
  id: string;
  channelId: string;
  authorId: string | null;
  sentAt: Date;
  receivedAt: Date;
  topics: string[];
  ruleIds: string[];
}

/**
 * Inbound complaints received after the cursor, in the order they were received, up to `settleSeconds` ago: a
 * transaction still open has not committed its messages yet, and waiting a little lets it.
 */
export async function listComplaintsAfter(tx: Queryable, workspaceId: string, cursor: DetectorCursor, settleSeconds: number, limit: number): Promise<ComplaintRow[]> {
  const rows = await tx.query<{
    id: string; channel_id: string; author_id: string | null; sent_at: Date; received_at: Date; topics: unknown; matched_rule_ids: string[];
  }>(
    `SELECT id, channel_id, author_id, sent_at, received_at, labels -> 'topics' AS topics, matched_rule_ids
     FROM message
     WHERE workspace_id = $1 AND direction = 'inbound' AND (received_at, id) > ($2::timestamptz, $3::uuid)
       AND received_at <= now() - make_interval(secs => $4) AND labels ->> 'complaint' = 'true'
     ORDER BY received_at, id
     LIMIT $5`,
    [workspaceId, cursor.receivedAt, cursor.messageId, settleSeconds, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    authorId: r.author_id,
    sentAt: r.sent_at,
    receivedAt: r.received_at,
    topics: Array.isArray(r.topics) ? r.topics.filter((t): t is string => typeof t === 'string') : [],
    ruleIds: r.matched_rule_ids,
  }));
}

/** The newest inbound message received up to `settleSeconds` ago: where the cursor can move when nothing matched. */
export async function latestSettledCursor(tx: Queryable, workspaceId: string, after: DetectorCursor, settleSeconds: number): Promise<DetectorCursor | null> {
  const rows = await tx.query<{ id: string; received_at: Date }>(
    `SELECT id, received_at FROM message
     WHERE workspace_id = $1 AND direction = 'inbound' AND (received_at, id) > ($2::timestamptz, $3::uuid)
       AND received_at <= now() - make_interval(secs => $4)
     ORDER BY received_at DESC, id DESC LIMIT 1`,
    [workspaceId, after.receivedAt, after.messageId, settleSeconds],
  );
  return rows[0] ? { receivedAt: rows[0].received_at, messageId: rows[0].id } : null;
}

/** Names for alert titles: rules and channels by id. */
export async function seriesNames(tx: Queryable, workspaceId: string, ruleIds: readonly string[], channelIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ruleIds.length > 0) {
    const rules = await tx.query<{ id: string; name: string }>(
      `SELECT id::text AS id, name FROM monitoring_rule WHERE workspace_id = $1 AND id::text = ANY($2::text[])`,
      [workspaceId, [...ruleIds]],
    );
    for (const r of rules) names.set(`rule:${r.id}`, r.name);
  }
  if (channelIds.length > 0) {
    const channels = await tx.query<{ id: string; name: string }>(
      `SELECT id::text AS id, name FROM channel WHERE workspace_id = $1 AND id::text = ANY($2::text[])`,
      [workspaceId, [...channelIds]],
    );
    for (const c of channels) names.set(`channel:${c.id}`, c.name);
  }
  return names;
}
