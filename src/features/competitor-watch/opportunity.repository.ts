import type { Queryable } from '../../platform/db/db.ts';
import { handleKeySql } from './handle.ts';
import { optedOutSql } from './opt-out.repository.ts';

/** A competitor's unhappy customer, heard on the open web: a sales opportunity, never contacted automatically. */
export interface Opportunity {
  messageId: string;
  caseId: string | null;
  sentAt: string;
  text: string;
  sentiment: string | null;
  topics: string[];
  channel: { id: string; kind: string };
  author: { platform: string; handle: string | null; displayName: string | null; followerCount: number | null };
  customerId: string;
  competitorRules: { id: string; name: string }[];
  /** The latest reply to this post, if anyone has proposed one: its status shows where the approval stands. */
  outreach: { replyId: string; status: string; requestedBy: string; requestedAt: string } | null;
}

interface OpportunityRow extends Record<string, unknown> {
  id: string;
  case_id: string | null;
  sent_at: Date;
  text: string;
  sentiment: string | null;
  topics: unknown;
  channel_id: string;
  channel_kind: string;
  platform: string;
  handle: string | null;
  display_name: string | null;
  follower_count: number | null;
  customer_id: string;
  rules: { id: string; name: string }[] | null;
  reply_id: string | null;
  reply_status: string | null;
  reply_author: string | null;
  reply_created_at: Date | null;
}

// An opportunity: a customer's complaint that matched a rule tagged competitor, whose author has not opted out and
// is not itself a competitor's official account.
const opportunityFilter = `m.direction = 'inbound' AND m.labels->>'complaint' = 'true' AND cardinality(m.matched_rule_ids) > 0
  AND EXISTS (SELECT 1 FROM monitoring_rule r WHERE r.workspace_id = m.workspace_id AND r.tag = 'competitor' AND r.id::text = ANY (m.matched_rule_ids))
  AND NOT ${optedOutSql('a')}
  AND NOT EXISTS (SELECT 1 FROM competitor_account ca WHERE ca.workspace_id = a.workspace_id AND ca.platform = a.platform
    AND ca.handle_key = ${handleKeySql('a.handle')})`;

const opportunitySelect = `SELECT m.id, m.case_id, m.sent_at, m.text, m.labels->>'sentiment' AS sentiment, m.labels->'topics' AS topics,
    ch.id AS channel_id, ch.kind AS channel_kind, a.platform, a.handle, a.display_name, a.follower_count, a.customer_id,
    (SELECT json_agg(json_build_object('id', r.id, 'name', r.name) ORDER BY r.name) FROM monitoring_rule r
      WHERE r.workspace_id = m.workspace_id AND r.tag = 'competitor' AND r.id::text = ANY (m.matched_rule_ids)) AS rules,
    rp.id AS reply_id, rp.status AS reply_status, rp.author_user_id AS reply_author, rp.created_at AS reply_created_at
  FROM message m
  JOIN channel ch ON ch.workspace_id = m.workspace_id AND ch.id = m.channel_id
  JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
  LEFT JOIN LATERAL (
    SELECT r.id, r.status, r.author_user_id, r.created_at FROM reply r
    WHERE r.workspace_id = m.workspace_id AND r.case_id = m.case_id AND r.in_reply_to_message_id = m.id
    ORDER BY r.created_at DESC, r.id DESC LIMIT 1
  ) rp ON true`;

function present(row: OpportunityRow): Opportunity {
  return {
    messageId: row.id,
    caseId: row.case_id,
    sentAt: row.sent_at.toISOString(),
    text: row.text,
    sentiment: row.sentiment,
    topics: Array.isArray(row.topics) ? row.topics.filter((t): t is string => typeof t === 'string') : [],
    channel: { id: row.channel_id, kind: row.channel_kind },
    author: { platform: row.platform, handle: row.handle, displayName: row.display_name, followerCount: row.follower_count },
    customerId: row.customer_id,
    competitorRules: row.rules ?? [],
    outreach: row.reply_id && row.reply_status && row.reply_author && row.reply_created_at
      ? { replyId: row.reply_id, status: row.reply_status, requestedBy: row.reply_author, requestedAt: row.reply_created_at.toISOString() }
      : null,
  };
}

export interface OpportunityCursor {
  sentAt: string;
  id: string;
}

/** Opportunities of [from, to), newest first, after the cursor. */
export async function listOpportunities(
  db: Queryable,
  workspaceId: string,
  filter: { from: Date; to: Date; limit: number; after?: OpportunityCursor },
): Promise<Opportunity[]> {
  const rows = await db.query<OpportunityRow>(
    `${opportunitySelect}
     WHERE m.workspace_id = $1 AND m.sent_at >= $2 AND m.sent_at < $3 AND ${opportunityFilter}
       AND ($4::timestamptz IS NULL OR (m.sent_at, m.id) < ($4::timestamptz, $5::uuid))
     ORDER BY m.sent_at DESC, m.id DESC
     LIMIT $6`,
    [workspaceId, filter.from, filter.to, filter.after?.sentAt ?? null, filter.after?.id ?? null, filter.limit],
  );
  return rows.map(present);
}

/** One post, if it is an opportunity right now (matched a competitor rule, a complaint, its author not opted out). */
export async function findOpportunity(db: Queryable, workspaceId: string, messageId: string): Promise<Opportunity | null> {
  const rows = await db.query<OpportunityRow>(
    `${opportunitySelect} WHERE m.workspace_id = $1 AND m.id = $2 AND ${opportunityFilter}`,
    [workspaceId, messageId],
  );
  return rows[0] ? present(rows[0]) : null;
}

/** Why a post is not an opportunity: it does not exist, or its author opted out (or it is no competitor complaint). */
export async function explainNonOpportunity(db: Queryable, workspaceId: string, messageId: string): Promise<'missing' | 'opted_out' | 'not_opportunity'> {
  const rows = await db.query<{ opted_out: boolean | null }>(
    `SELECT ${optedOutSql('a')} AS opted_out FROM message m
     LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     WHERE m.workspace_id = $1 AND m.id = $2`,
    [workspaceId, messageId],
  );
  if (!rows[0]) return 'missing';
  return rows[0].opted_out ? 'opted_out' : 'not_opportunity';
}
