import type { Queryable } from '../../platform/db/db.ts';
import type { DeliveryMode } from '../channels/index.ts';
import type { HoldReason, ReplyStatus, ReplyView } from './reply.types.ts';
import type { ApprovalSettings } from './approval.rules.ts';
import { defaultApprovalSettings } from './approval.rules.ts';

export interface ReplyRow extends Record<string, unknown> {
  workspace_id: string;
  id: string;
  case_id: string;
  channel_id: string;
  channel_kind: string;
  channel_name: string;
  author_user_id: string;
  in_reply_to_message_id: string | null;
  text: string;
  is_private: boolean;
  delivery: DeliveryMode;
  status: ReplyStatus;
  hold_reasons: HoldReason[];
  failure_reason: string | null;
  external_id: string | null;
  external_url: string | null;
  message_id: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  attempts: number | null;
  available_at: Date | null;
  outbox_state: string | null;
  last_error: string | null;
  thread_id: string | null;
  thread_part: number | null;
  thread_size: number | null;
}

const replyColumns = `r.workspace_id, r.id, r.case_id, r.channel_id, ch.kind AS channel_kind, ch.name AS channel_name, r.author_user_id,
  r.in_reply_to_message_id, r.text, r.is_private, r.delivery, r.status, r.hold_reasons, r.failure_reason, r.external_id,
  r.external_url, r.message_id, r.reviewed_by, r.reviewed_at, r.review_note, r.created_at, r.updated_at, r.sent_at,
  o.attempts, o.available_at, o.state AS outbox_state, o.last_error, r.thread_id, r.thread_part, r.thread_size`;

// The parts of a thread share their creation time: they are listed in their order.
const replyOrder = 'r.created_at, coalesce(r.thread_part, 0), r.id';

const replyFrom = `FROM reply r
  JOIN channel ch ON ch.workspace_id = r.workspace_id AND ch.id = r.channel_id
  LEFT JOIN outbox o ON o.workspace_id = r.workspace_id AND o.reply_id = r.id`;

export function presentReply(row: ReplyRow): ReplyView {
  return {
    id: row.id,
    caseId: row.case_id,
    channel: { id: row.channel_id, kind: row.channel_kind, name: row.channel_name },
    authorUserId: row.author_user_id,
    inReplyToMessageId: row.in_reply_to_message_id,
    text: row.text,
    private: row.is_private,
    delivery: row.delivery,
    status: row.status,
    holdReasons: row.hold_reasons,
    failureReason: row.failure_reason,
    externalId: row.external_id,
    url: row.external_url,
    messageId: row.message_id,
    attempts: Number(row.attempts ?? 0),
    nextAttemptAt: row.outbox_state === 'pending' && row.available_at ? row.available_at.toISOString() : null,
    lastError: row.last_error,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at ? row.reviewed_at.toISOString() : null,
    reviewNote: row.review_note,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
    thread:
      row.thread_id && row.thread_part !== null && row.thread_size !== null
        ? { id: row.thread_id, part: Number(row.thread_part), of: Number(row.thread_size) }
        : null,
  };
}

export async function findReply(db: Queryable, workspaceId: string, replyId: string, forUpdate = false): Promise<ReplyRow | null> {
  const rows = await db.query<ReplyRow>(
    `SELECT ${replyColumns} ${replyFrom} WHERE r.workspace_id = $1 AND r.id = $2 ${forUpdate ? 'FOR UPDATE OF r' : ''}`,
    [workspaceId, replyId],
  );
  return rows[0] ?? null;
}

export async function listCaseReplies(db: Queryable, workspaceId: string, caseId: string): Promise<ReplyView[]> {
  const rows = await db.query<ReplyRow>(
    `SELECT ${replyColumns} ${replyFrom} WHERE r.workspace_id = $1 AND r.case_id = $2 ORDER BY ${replyOrder}`,
    [workspaceId, caseId],
  );
  return rows.map(presentReply);
}

/** Replies in the given states, oldest first: the supervisor's approval queue, or what needs an agent's look. */
export async function listRepliesByStatus(db: Queryable, workspaceId: string, statuses: ReplyStatus[], limit: number): Promise<ReplyView[]> {
  const rows = await db.query<ReplyRow>(
    `SELECT ${replyColumns} ${replyFrom} WHERE r.workspace_id = $1 AND r.status = ANY($2::text[]) ORDER BY ${replyOrder} LIMIT $3`,
    [workspaceId, statuses, limit],
  );
  return rows.map(presentReply);
}

/** Every part of a thread, in order; locked for update when asked (approving or rejecting the whole thread). */
export async function findThreadReplies(db: Queryable, workspaceId: string, threadId: string, forUpdate = false): Promise<ReplyRow[]> {
  return db.query<ReplyRow>(
    `SELECT ${replyColumns} ${replyFrom} WHERE r.workspace_id = $1 AND r.thread_id = $2 ORDER BY r.thread_part ${forUpdate ? 'FOR UPDATE OF r' : ''}`,
    [workspaceId, threadId],
  );
}

export interface NewReply {
  workspaceId: string;
  id: string;
  caseId: string;
  channelId: string;
  authorUserId: string;
  inReplyToMessageId: string | null;
  text: string;
  isPrivate: boolean;
  delivery: DeliveryMode;
  status: ReplyStatus;
  holdReasons: HoldReason[];
  at: Date;
  thread?: { id: string; part: number; of: number } | null;
  /** An email address to write to (a reply that answers no message on its channel). */
  recipientAddress?: string | null;
  /** A move-private DM that falls back to email or a secure link when the platform refuses it. */
  privateFallback?: boolean;
  linkBaseUrl?: string | null;
}

export async function insertReply(tx: Queryable, r: NewReply): Promise<void> {
  await tx.query(
    `INSERT INTO reply (workspace_id, id, case_id, channel_id, author_user_id, in_reply_to_message_id, text, is_private, delivery,
       status, hold_reasons, created_at, updated_at, thread_id, thread_part, thread_size, recipient_address, private_fallback, link_base_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16, $17, $18)`,
    [r.workspaceId, r.id, r.caseId, r.channelId, r.authorUserId, r.inReplyToMessageId, r.text, r.isPrivate, r.delivery, r.status,
      JSON.stringify(r.holdReasons), r.at, r.thread?.id ?? null, r.thread?.part ?? null, r.thread?.of ?? null, r.recipientAddress ?? null,
      r.privateFallback ?? false, r.linkBaseUrl ?? null],
  );
}

export interface ReplyChange {
  status?: ReplyStatus;
  text?: string;
  holdReasons?: HoldReason[];
  failureReason?: string | null;
  externalId?: string;
  externalUrl?: string | null;
  messageId?: string;
  sentAt?: Date;
  reviewedBy?: string;
  reviewedAt?: Date;
  reviewNote?: string | null;
}

const changeColumns: Record<keyof ReplyChange, string> = {
  status: 'status',
  text: 'text',
  holdReasons: 'hold_reasons',
  failureReason: 'failure_reason',
  externalId: 'external_id',
  externalUrl: 'external_url',
  messageId: 'message_id',
  sentAt: 'sent_at',
  reviewedBy: 'reviewed_by',
  reviewedAt: 'reviewed_at',
  reviewNote: 'review_note',
};

function isChangeKey(key: string): key is keyof ReplyChange {
  return key in changeColumns;
}

export async function updateReply(tx: Queryable, workspaceId: string, replyId: string, change: ReplyChange, at: Date): Promise<void> {
  const sets = ['updated_at = $3'];
  const params: unknown[] = [workspaceId, replyId, at];
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined || !isChangeKey(key)) continue;
    params.push(key === 'holdReasons' ? JSON.stringify(value) : value);
    sets.push(`${changeColumns[key]} = $${params.length}`);
  }
  await tx.query(`UPDATE reply SET ${sets.join(', ')} WHERE workspace_id = $1 AND id = $2`, params);
}

/** The stored message a reply answers, with what approvals and senders need to know about it. */
export interface TargetMessage {
  id: string;
  caseId: string | null;
  channelId: string;
  externalId: string;
  replyToExternalId: string | null;
  isPublic: boolean;
  text: string;
  sentAt: Date;
  raw: unknown;
  matchedRuleIds: string[];
  author: { id: string; platform: string; externalId: string; handle: string | null; displayName: string | null; followerCount: number | null } | null;
}

interface TargetRow extends Record<string, unknown> {
  id: string;
  case_id: string | null;
  channel_id: string;
  external_id: string;
  reply_to_external_id: string | null;
  is_public: boolean;
  text: string;
  sent_at: Date;
  raw: unknown;
  matched_rule_ids: string[] | null;
  author_id: string | null;
  platform: string | null;
  author_external_id: string | null;
  handle: string | null;
  display_name: string | null;
  follower_count: number | null;
}

const targetSelect = `SELECT m.id, m.case_id, m.channel_id, m.external_id, m.reply_to_external_id, m.is_public, m.text, m.sent_at, m.raw,
    m.matched_rule_ids, m.author_id, a.platform, a.external_id AS author_external_id, a.handle, a.display_name, a.follower_count
  FROM message m LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id`;

function presentTarget(row: TargetRow): TargetMessage {
  return {
    id: row.id,
    caseId: row.case_id,
    channelId: row.channel_id,
    externalId: row.external_id,
    replyToExternalId: row.reply_to_external_id,
    isPublic: row.is_public,
    text: row.text,
    sentAt: row.sent_at,
    raw: row.raw,
    matchedRuleIds: row.matched_rule_ids ?? [],
    author:
      row.author_id && row.platform && row.author_external_id
        ? {
            id: row.author_id,
            platform: row.platform,
            externalId: row.author_external_id,
            handle: row.handle,
            displayName: row.display_name,
            followerCount: row.follower_count === null ? null : Number(row.follower_count),
          }
        : null,
  };
}

export async function findTargetMessage(db: Queryable, workspaceId: string, messageId: string): Promise<TargetMessage | null> {
  const rows = await db.query<TargetRow>(`${targetSelect} WHERE m.workspace_id = $1 AND m.id = $2`, [workspaceId, messageId]);
  return rows[0] ? presentTarget(rows[0]) : null;
}

/** The customer's newest message on the case (on one channel, when given): what a reply answers by default. */
export async function findLatestInbound(db: Queryable, workspaceId: string, caseId: string, channelId: string | null): Promise<TargetMessage | null> {
  const rows = await db.query<TargetRow>(
    `${targetSelect} WHERE m.workspace_id = $1 AND m.case_id = $2 AND m.direction = 'inbound' AND ($3::uuid IS NULL OR m.channel_id = $3)
     ORDER BY m.sent_at DESC, m.received_at DESC LIMIT 1`,
    [workspaceId, caseId, channelId],
  );
  return rows[0] ? presentTarget(rows[0]) : null;
}

/** When the recipient last wrote on this channel (Messenger's 24-hour window counts from it). */
export async function findLastInboundAt(db: Queryable, workspaceId: string, channelId: string, authorId: string): Promise<Date | null> {
  const rows = await db.query<{ at: Date | null }>(
    `SELECT max(sent_at) AS at FROM message WHERE workspace_id = $1 AND channel_id = $2 AND author_id = $3 AND direction = 'inbound'`,
    [workspaceId, channelId, authorId],
  );
  return rows[0]?.at ?? null;
}

/** Which of the matched rule ids are monitoring rules tagged `competitor`. */
export async function findCompetitorRules(db: Queryable, workspaceId: string, ruleIds: string[]): Promise<{ id: string; name: string }[]> {
  if (ruleIds.length === 0) return [];
  return db.query<{ id: string; name: string }>(
    `SELECT id::text AS id, name FROM monitoring_rule WHERE workspace_id = $1 AND tag = 'competitor' AND id::text = ANY($2::text[]) ORDER BY name`,
    [workspaceId, ruleIds],
  );
}

export interface ReplyChannel extends Record<string, unknown> {
  id: string;
  kind: string;
  name: string;
  config: Record<string, unknown>;
}

export async function findReplyChannel(db: Queryable, workspaceId: string, channelId: string): Promise<ReplyChannel | null> {
  const rows = await db.query<ReplyChannel>(`SELECT id, kind, name, config FROM channel WHERE workspace_id = $1 AND id = $2`, [workspaceId, channelId]);
  return rows[0] ?? null;
}

/** The workspace's approval settings (workspace.settings → replyApprovals), defaults filled in. */
export async function loadApprovalSettings(db: Queryable, workspaceId: string): Promise<ApprovalSettings> {
  const rows = await db.query<{ value: unknown }>(`SELECT settings->'replyApprovals' AS value FROM workspace WHERE id = $1`, [workspaceId]);
  const value = rows[0]?.value;
  if (typeof value !== 'object' || value === null) return { ...defaultApprovalSettings };
  const threshold: unknown = Reflect.get(value, 'followerThreshold');
  const extra: unknown = Reflect.get(value, 'extraLegalTerms');
  return {
    followerThreshold: typeof threshold === 'number' && Number.isFinite(threshold) ? threshold : defaultApprovalSettings.followerThreshold,
    extraLegalTerms: Array.isArray(extra) ? extra.filter((t): t is string => typeof t === 'string') : [],
  };
}

export async function saveApprovalSettings(db: Queryable, workspaceId: string, settings: ApprovalSettings): Promise<void> {
  await db.query(`UPDATE workspace SET settings = jsonb_set(settings, '{replyApprovals}', $2::jsonb, true) WHERE id = $1`, [
    workspaceId,
    JSON.stringify(settings),
  ]);
}
