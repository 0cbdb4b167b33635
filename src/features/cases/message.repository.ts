import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';
import type { EngagementRecommendation } from '../alerts/index.ts';

// Labels carry snippets of the text (explanations); a lone surrogate in them would make PostgreSQL refuse the jsonb.
const wellFormed = (_key: string, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value);

export interface NewMessage {
  workspaceId: string;
  id: string;
  channelId: string;
  caseId: string | null;
  authorId: string | null;
  senderName: string | null;
  direction: 'inbound' | 'outbound';
  externalId: string;
  replyToExternalId: string | null;
  isPublic: boolean;
  text: string;
  raw: unknown;
  labels: Labels | null;
  matchedRuleIds: string[];
  sentAt: Date;
  /** Engage, monitor or ignore (alerts feature); inbound messages only. */
  recommendation?: EngagementRecommendation | null;
}

export async function findMessageByExternalId(
  tx: Queryable,
  workspaceId: string,
  channelId: string,
  externalId: string,
): Promise<{ id: string; caseId: string | null } | null> {
  const rows = await tx.query<{ id: string; case_id: string | null }>(
    `SELECT id, case_id FROM message WHERE workspace_id = $1 AND channel_id = $2 AND external_id = $3`,
    [workspaceId, channelId, externalId],
  );
  return rows[0] ? { id: rows[0].id, caseId: rows[0].case_id } : null;
}

/** Inserts the message unless (channel, external id) is already stored; returns false for a duplicate. */
export async function insertMessage(tx: Queryable, m: NewMessage): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO message (workspace_id, id, channel_id, case_id, author_id, sender_name, direction, external_id,
       reply_to_external_id, is_public, text, raw, labels, model_version, matched_rule_ids, sent_at, recommendation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (workspace_id, channel_id, external_id) DO NOTHING RETURNING id`,
    [m.workspaceId, m.id, m.channelId, m.caseId, m.authorId, m.senderName, m.direction, m.externalId, m.replyToExternalId, m.isPublic,
      m.text, m.raw === undefined ? null : JSON.stringify(m.raw), m.labels ? JSON.stringify(m.labels, wellFormed) : null,
      m.labels?.modelVersion ?? null, m.matchedRuleIds, m.sentAt, m.recommendation ? JSON.stringify(m.recommendation) : null],
  );
  return rows.length > 0;
}

export interface TimelineMessage {
  id: string;
  caseId: string | null;
  channel: { id: string; kind: string; name: string };
  direction: 'inbound' | 'outbound';
  externalId: string;
  replyToExternalId: string | null;
  isPublic: boolean;
  text: string;
  author: { platform: string; handle: string | null; displayName: string | null; followerCount: number | null } | null;
  senderName: string | null;
  labels: Labels | null;
  /** Engage, monitor or ignore, with reasons (inbound messages; docs/ALERTS.md). */
  recommendation: EngagementRecommendation | null;
  sentAt: string;
  receivedAt: string;
}

interface TimelineRow extends Record<string, unknown> {
  id: string;
  case_id: string | null;
  channel_id: string;
  channel_kind: string;
  channel_name: string;
  direction: 'inbound' | 'outbound';
  external_id: string;
  reply_to_external_id: string | null;
  is_public: boolean;
  text: string;
  platform: string | null;
  handle: string | null;
  display_name: string | null;
  follower_count: number | null;
  sender_name: string | null;
  labels: Labels | null;
  recommendation: EngagementRecommendation | null;
  sent_at: Date;
  received_at: Date;
}

/** Every message of the case's customer on every channel, oldest first: the conversation as the customer lived it. */
export async function listCustomerTimeline(db: Queryable, workspaceId: string, caseId: string, limit = 500): Promise<TimelineMessage[]> {
  const rows = await db.query<TimelineRow>(
    `SELECT m.id, m.case_id, m.channel_id, ch.kind AS channel_kind, ch.name AS channel_name, m.direction, m.external_id,
       m.reply_to_external_id, m.is_public, m.text, a.platform, a.handle, a.display_name, a.follower_count, m.sender_name, m.labels, m.recommendation,
       m.sent_at, m.received_at
     FROM message m
     JOIN channel ch ON ch.workspace_id = m.workspace_id AND ch.id = m.channel_id
     LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     WHERE m.workspace_id = $1 AND m.case_id IN (
       SELECT o.id FROM cases o WHERE o.workspace_id = $1 AND o.customer_id = (
         SELECT c.customer_id FROM cases c WHERE c.workspace_id = $1 AND c.id = $2))
     ORDER BY m.sent_at, m.received_at LIMIT $3`,
    [workspaceId, caseId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    channel: { id: r.channel_id, kind: r.channel_kind, name: r.channel_name },
    direction: r.direction,
    externalId: r.external_id,
    replyToExternalId: r.reply_to_external_id,
    isPublic: r.is_public,
    text: r.text,
    author: r.platform
      ? { platform: r.platform, handle: r.handle, displayName: r.display_name, followerCount: r.follower_count }
      : null,
    senderName: r.sender_name,
    labels: r.labels,
    recommendation: r.recommendation,
    sentAt: r.sent_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
  }));
}
