import type { Queryable } from '../../platform/db/db.ts';

/**
 * The outbox side of threads. Only the first part of a released thread has an outbox row; each later part gets its
 * row in the transaction that records the part before it as sent, so parts leave in order and never before their
 * parent exists on the platform.
 */

/** Puts the part after `afterPart` into the outbox if it is still waiting; its id, or null when there is none. */
export async function insertNextPartOutbox(
  tx: Queryable,
  input: { workspaceId: string; threadId: string; afterPart: number; at: Date },
): Promise<string | null> {
  const rows = await tx.query<{ reply_id: string }>(
    `INSERT INTO outbox (workspace_id, reply_id, channel_id, state, available_at, created_at)
     SELECT r.workspace_id, r.id, r.channel_id, 'pending', $4, $4 FROM reply r
     WHERE r.workspace_id = $1 AND r.thread_id = $2 AND r.thread_part = $3 + 1 AND r.status = 'queued'
     ON CONFLICT (workspace_id, reply_id) DO NOTHING
     RETURNING reply_id`,
    [input.workspaceId, input.threadId, input.afterPart, input.at],
  );
  return rows[0]?.reply_id ?? null;
}

/** Fails every part after `afterPart` that has not left yet, and closes any outbox row they have; their ids. */
export async function failPartsAfter(
  tx: Queryable,
  input: { workspaceId: string; threadId: string; afterPart: number; reason: string; at: Date },
): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE reply SET status = 'failed', failure_reason = $4, updated_at = $5
     WHERE workspace_id = $1 AND thread_id = $2 AND thread_part > $3 AND status IN ('queued', 'held')
     RETURNING id`,
    [input.workspaceId, input.threadId, input.afterPart, input.reason, input.at],
  );
  const ids = rows.map((r) => r.id);
  if (ids.length > 0) {
    await tx.query(`UPDATE outbox SET state = 'done', attempt_id = NULL WHERE workspace_id = $1 AND reply_id = ANY($2::uuid[]) AND state = 'pending'`, [
      input.workspaceId,
      ids,
    ]);
  }
  return ids;
}
