import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';
import type { RuleTag } from './rule.types.ts';

/** A post that listening heard on a channel the brand does not own, with the rules it matched and its case, if any. */
export interface MatchedPost {
  messageId: string;
  channel: { id: string; kind: string; name: string };
  author: { handle: string | null; displayName: string | null; followerCount: number | null } | null;
  text: string;
  isPublic: boolean;
  isReply: boolean;
  sentAt: string;
  receivedAt: string;
  labels: Labels | null;
  /** The rules it matched that still exist (a deleted rule's id stays in `matchedRuleIds`). */
  rules: { id: string; name: string; tag: RuleTag }[];
  matchedRuleIds: string[];
  caseId: string | null;
  caseStatus: string | null;
  /**
   * Engage, monitor or ignore, with reasons, when the message carries one (the alerts feature adds it); passed
   * through as stored so this list needs no change when its shape grows.
   */
  recommendation: unknown;
}

/** Position in the newest-first order: the post's time, then id. */
export interface MatchedPostCursor {
  at: string;
  id: string;
}

export interface MatchedPostFilter {
  ruleId?: string;
  /** Only posts no case took (spam, or below the engage threshold). */
  withoutCase?: boolean;
  before?: MatchedPostCursor;
  limit: number;
}

interface MatchedPostRow extends Record<string, unknown> {
  id: string;
  channel_id: string;
  channel_kind: string;
  channel_name: string;
  handle: string | null;
  display_name: string | null;
  follower_count: number | null;
  author_id: string | null;
  text: string;
  is_public: boolean;
  reply_to_external_id: string | null;
  sent_at: Date;
  received_at: Date;
  labels: Labels | null;
  matched_rule_ids: string[];
  case_id: string | null;
  case_status: string | null;
  recommendation: unknown;
}

/**
 * The workspace's posts from listening channels (not owned), newest first (the order of the message_recent index),
 * with keyset pagination. The
 * recommendation is read from the row as JSON, so a `recommendation` column the alerts feature adds appears here
 * without a second query; until then it is null.
 */
export async function listMatchedPosts(db: Queryable, workspaceId: string, filter: MatchedPostFilter): Promise<MatchedPost[]> {
  const where = ['m.workspace_id = $1', "m.direction = 'inbound'", 'c.owned = false'];
  const params: unknown[] = [workspaceId];
  if (filter.ruleId) {
    params.push(filter.ruleId);
    where.push(`$${params.length} = ANY(m.matched_rule_ids)`);
  }
  if (filter.withoutCase) where.push('m.case_id IS NULL');
  if (filter.before) {
    params.push(filter.before.at, filter.before.id);
    where.push(`(m.sent_at, m.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(filter.limit);
  const rows = await db.query<MatchedPostRow>(
    `SELECT m.id, m.channel_id, c.kind AS channel_kind, c.name AS channel_name, a.id AS author_id, a.handle, a.display_name,
            a.follower_count, m.text, m.is_public, m.reply_to_external_id, m.sent_at, m.received_at, m.labels,
            m.matched_rule_ids, m.case_id, cs.status AS case_status, to_jsonb(m) -> 'recommendation' AS recommendation
     FROM message m
     JOIN channel c ON c.workspace_id = m.workspace_id AND c.id = m.channel_id
     LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     LEFT JOIN cases cs ON cs.workspace_id = m.workspace_id AND cs.id = m.case_id
     WHERE ${where.join(' AND ')}
     ORDER BY m.sent_at DESC, m.id DESC
     LIMIT $${params.length}`,
    params,
  );
  const ruleIds = [...new Set(rows.flatMap((r) => r.matched_rule_ids))];
  const rules = ruleIds.length === 0
    ? []
    : await db.query<{ id: string; name: string; tag: RuleTag }>(
        `SELECT id::text AS id, name, tag FROM monitoring_rule WHERE workspace_id = $1 AND id::text = ANY($2::text[])`,
        [workspaceId, ruleIds],
      );
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  return rows.map((r) => ({
    messageId: r.id,
    channel: { id: r.channel_id, kind: r.channel_kind, name: r.channel_name },
    author: r.author_id ? { handle: r.handle, displayName: r.display_name, followerCount: r.follower_count === null ? null : Number(r.follower_count) } : null,
    text: r.text,
    isPublic: r.is_public,
    isReply: r.reply_to_external_id !== null,
    sentAt: r.sent_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
    labels: r.labels,
    rules: r.matched_rule_ids.flatMap((id) => {
      const rule = ruleById.get(id);
      return rule ? [{ id: rule.id, name: rule.name, tag: rule.tag }] : [];
    }),
    matchedRuleIds: r.matched_rule_ids,
    caseId: r.case_id,
    caseStatus: r.case_status,
    recommendation: r.recommendation ?? null,
  }));
}
