import type { Queryable } from '../../platform/db/db.ts';
import type { Priority } from '../cases/index.ts';

/** A complaint heard on the open web (it matched a monitoring rule), with what the brand did about it. */
export interface HeardComplaint {
  messageId: string;
  sentAt: Date;
  channelKind: string;
  ruleIds: string[];
  topics: string[];
  priority: Priority;
  /** The brand's first message on the case at or after this one. */
  answeredAt: Date | null;
  /** The brand had already spoken on the case before this message (its target is then a next response). */
  answeredBefore: boolean;
}

interface HeardRow extends Record<string, unknown> {
  id: string;
  sent_at: Date;
  channel_kind: string;
  matched_rule_ids: string[];
  topics: unknown;
  priority: Priority;
  answered_at: Date | null;
  answered_before: boolean;
}

/**
 * Inbound messages of the period that matched at least one monitoring rule and that the classifier called a
 * complaint, each with the time of the brand's next message on its case (index `message_case`).
 */
export async function listHeardComplaints(db: Queryable, workspaceId: string, period: { from: Date; to: Date }): Promise<HeardComplaint[]> {
  const rows = await db.query<HeardRow>(
    `SELECT m.id, m.sent_at, ch.kind AS channel_kind, m.matched_rule_ids, m.labels->'topics' AS topics, c.priority,
       (SELECT min(o.sent_at) FROM message o
         WHERE o.workspace_id = m.workspace_id AND o.case_id = m.case_id AND o.direction = 'outbound' AND o.sent_at >= m.sent_at) AS answered_at,
       EXISTS (SELECT 1 FROM message o
         WHERE o.workspace_id = m.workspace_id AND o.case_id = m.case_id AND o.direction = 'outbound' AND o.sent_at < m.sent_at) AS answered_before
     FROM message m
     JOIN channel ch ON ch.workspace_id = m.workspace_id AND ch.id = m.channel_id
     JOIN cases c ON c.workspace_id = m.workspace_id AND c.id = m.case_id
     WHERE m.workspace_id = $1 AND m.direction = 'inbound' AND m.sent_at >= $2 AND m.sent_at < $3
       AND cardinality(m.matched_rule_ids) > 0 AND m.labels->>'complaint' = 'true'`,
    [workspaceId, period.from, period.to],
  );
  return rows.map((r) => ({
    messageId: r.id,
    sentAt: r.sent_at,
    channelKind: r.channel_kind,
    ruleIds: r.matched_rule_ids,
    topics: Array.isArray(r.topics) ? r.topics.filter((t): t is string => typeof t === 'string') : [],
    priority: r.priority,
    answeredAt: r.answered_at,
    answeredBefore: r.answered_before,
  }));
}
