import type { Queryable } from '../../platform/db/db.ts';
import type { ChannelKind } from '../channels/index.ts';

/**
 * The outbox: one row per reply that a send connector must deliver. Workers of every process claim due rows with
 * FOR UPDATE SKIP LOCKED — the one outbox query that crosses workspaces, as delivery serves the whole installation.
 * A claimed row is `sending` under a fresh attempt id; every later write is fenced by that id, so a worker that lost
 * its row (it stalled and another took over) can never record a result twice.
 */

export async function insertOutbox(tx: Queryable, input: { workspaceId: string; replyId: string; channelId: string; at: Date }): Promise<void> {
  await tx.query(
    `INSERT INTO outbox (workspace_id, reply_id, channel_id, state, available_at, created_at) VALUES ($1, $2, $3, 'pending', $4, $4)`,
    [input.workspaceId, input.replyId, input.channelId, input.at],
  );
}

export interface Claim {
  workspaceId: string;
  replyId: string;
  caseId: string;
  channelId: string;
  attemptId: string;
  /** This attempt's number, from 1. */
  attempt: number;
  /** An earlier attempt may have reached the platform: check before sending. */
  needsReconcile: boolean;
  firstAttemptAt: Date;
}

interface ClaimRow extends Record<string, unknown> {
  workspace_id: string;
  reply_id: string;
  case_id: string;
  channel_id: string;
  attempt_id: string;
  attempts: number;
  needs_reconcile: boolean;
  first_attempt_at: Date;
}

/**
 * Claims up to `limit` rows: pending rows that are due, and `sending` rows whose attempt started before
 * `staleBefore` (their worker crashed or hung: they are reconciled, never blindly sent again). Marks them sending
 * under a new attempt id in the caller's transaction, which must commit before any platform call.
 */
export async function claimDue(
  tx: Queryable,
  input: { now: Date; staleBefore: Date; limit: number; workerId: string },
): Promise<Claim[]> {
  const rows = await tx.query<ClaimRow>(
    `WITH due AS (
       SELECT workspace_id, reply_id FROM outbox
       WHERE (state = 'pending' AND available_at <= $1) OR (state = 'sending' AND sending_started_at < $2)
       ORDER BY available_at, reply_id
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox o SET
       needs_reconcile = o.needs_reconcile OR o.state = 'sending',
       state = 'sending',
       attempt_id = gen_random_uuid(),
       attempts = o.attempts + 1,
       claimed_by = $4,
       sending_started_at = $1,
       first_attempt_at = coalesce(o.first_attempt_at, $1)
     FROM due WHERE o.workspace_id = due.workspace_id AND o.reply_id = due.reply_id
     RETURNING o.workspace_id, o.reply_id, o.channel_id, o.attempt_id, o.attempts, o.needs_reconcile, o.first_attempt_at,
       (SELECT r.case_id FROM reply r WHERE r.workspace_id = o.workspace_id AND r.id = o.reply_id) AS case_id`,
    [input.now, input.staleBefore, input.limit, input.workerId],
  );
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    replyId: r.reply_id,
    caseId: r.case_id,
    channelId: r.channel_id,
    attemptId: r.attempt_id,
    attempt: Number(r.attempts),
    needsReconcile: r.needs_reconcile,
    firstAttemptAt: r.first_attempt_at,
  }));
}

/** Ends the attempt for good (sent, failed or unknown); false when the attempt no longer owns the row. */
export async function finishAttempt(tx: Queryable, claim: Claim, lastError: string | null): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE outbox SET state = 'done', last_error = $4, needs_reconcile = false
     WHERE workspace_id = $1 AND reply_id = $2 AND attempt_id = $3 AND state = 'sending' RETURNING reply_id`,
    [claim.workspaceId, claim.replyId, claim.attemptId, lastError],
  );
  return rows.length > 0;
}

/** Puts the row back to wait for another attempt; false when the attempt no longer owns the row. */
export async function rescheduleAttempt(
  tx: Queryable,
  claim: Claim,
  input: { availableAt: Date; needsReconcile: boolean; lastError: string },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE outbox SET state = 'pending', available_at = $4, needs_reconcile = $5, last_error = $6, attempt_id = NULL,
       sending_started_at = NULL
     WHERE workspace_id = $1 AND reply_id = $2 AND attempt_id = $3 AND state = 'sending' RETURNING reply_id`,
    [claim.workspaceId, claim.replyId, claim.attemptId, input.availableAt, input.needsReconcile, input.lastError],
  );
  return rows.length > 0;
}

/** A platform rate limit holds every waiting reply of the channel until it resets, not just the one that hit it. */
export async function deferChannel(tx: Queryable, workspaceId: string, channelId: string, until: Date): Promise<void> {
  await tx.query(
    `UPDATE outbox SET available_at = $3 WHERE workspace_id = $1 AND channel_id = $2 AND state = 'pending' AND available_at < $3`,
    [workspaceId, channelId, until],
  );
}

/** An agent settled the reply by hand: nothing is left to deliver. */
export async function closeOutbox(tx: Queryable, workspaceId: string, replyId: string): Promise<void> {
  await tx.query(`UPDATE outbox SET state = 'done', attempt_id = NULL WHERE workspace_id = $1 AND reply_id = $2`, [workspaceId, replyId]);
}

/** Everything one delivery needs, read once per attempt. */
export interface DeliveryContext {
  replyId: string;
  status: string;
  caseId: string;
  text: string;
  isPrivate: boolean;
  createdAt: Date;
  channel: { id: string; kind: ChannelKind; name: string; config: Record<string, unknown>; credentialsEncrypted: string | null };
  subject: string;
  agentName: string;
  authorUserId: string;
  inReplyToMessageId: string | null;
  /** Set for a part of a thread. */
  thread: { id: string; part: number; of: number } | null;
  /**
   * For a thread's later part: the part before it as recorded when sent (platform id and payload); null when that
   * part has not been recorded as sent, which the outbox never lets happen.
   */
  threadParent: { externalId: string; raw: unknown } | null;
  recipientAddress: string | null;
  privateFallback: boolean;
  linkBaseUrl: string | null;
}

interface DeliveryRow extends Record<string, unknown> {
  id: string;
  status: string;
  case_id: string;
  text: string;
  is_private: boolean;
  created_at: Date;
  in_reply_to_message_id: string | null;
  channel_id: string;
  kind: ChannelKind;
  channel_name: string;
  config: Record<string, unknown>;
  credentials_encrypted: string | null;
  subject: string;
  agent_name: string;
  author_user_id: string;
  thread_id: string | null;
  thread_part: number | null;
  thread_size: number | null;
  previous_status: string | null;
  previous_external_id: string | null;
  previous_raw: unknown;
  recipient_address: string | null;
  private_fallback: boolean;
  link_base_url: string | null;
}

export async function loadDeliveryContext(db: Queryable, workspaceId: string, replyId: string): Promise<DeliveryContext | null> {
  const rows = await db.query<DeliveryRow>(
    `SELECT r.id, r.status, r.case_id, r.text, r.is_private, r.created_at, r.in_reply_to_message_id, ch.id AS channel_id, ch.kind,
       ch.name AS channel_name, ch.config, ch.credentials_encrypted, c.subject, u.name AS agent_name, r.author_user_id,
       r.thread_id, r.thread_part, r.thread_size, prev.status AS previous_status, pm.external_id AS previous_external_id,
       pm.raw AS previous_raw, r.recipient_address, r.private_fallback, r.link_base_url
     FROM reply r
     JOIN channel ch ON ch.workspace_id = r.workspace_id AND ch.id = r.channel_id
     JOIN cases c ON c.workspace_id = r.workspace_id AND c.id = r.case_id
     JOIN app_user u ON u.workspace_id = r.workspace_id AND u.id = r.author_user_id
     LEFT JOIN reply prev ON prev.workspace_id = r.workspace_id AND prev.thread_id = r.thread_id AND prev.thread_part = r.thread_part - 1
     LEFT JOIN message pm ON pm.workspace_id = prev.workspace_id AND pm.id = prev.message_id
     WHERE r.workspace_id = $1 AND r.id = $2`,
    [workspaceId, replyId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    replyId: row.id,
    status: row.status,
    caseId: row.case_id,
    text: row.text,
    isPrivate: row.is_private,
    createdAt: row.created_at,
    channel: { id: row.channel_id, kind: row.kind, name: row.channel_name, config: row.config, credentialsEncrypted: row.credentials_encrypted },
    subject: row.subject,
    agentName: row.agent_name,
    authorUserId: row.author_user_id,
    inReplyToMessageId: row.in_reply_to_message_id,
    thread:
      row.thread_id && row.thread_part !== null && row.thread_size !== null
        ? { id: row.thread_id, part: Number(row.thread_part), of: Number(row.thread_size) }
        : null,
    threadParent:
      row.previous_status === 'sent' && row.previous_external_id !== null ? { externalId: row.previous_external_id, raw: row.previous_raw } : null,
    recipientAddress: row.recipient_address,
    privateFallback: row.private_fallback,
    linkBaseUrl: row.link_base_url,
  };
}
