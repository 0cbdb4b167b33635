import type { Queryable } from '../../platform/db/db.ts';

export interface ComplaintPost {
  messageId: string;
  caseId: string | null;
  channelKind: string;
  sentAt: Date;
  text: string;
  topics: string[];
}

interface ComplaintRow extends Record<string, unknown> {
  id: string;
  case_id: string | null;
  channel_kind: string;
  sent_at: Date;
  text: string;
  topics: unknown;
}

// Phrases are counted over the start of each post; a 20,000-character email adds nothing a long opening does not.
export const maxCountedChars = 2000;

/** Customers' messages of [from, to) that the classifier called complaints, newest first. */
export async function listComplaintPosts(db: Queryable, workspaceId: string, period: { from: Date; to: Date }): Promise<ComplaintPost[]> {
  const rows = await db.query<ComplaintRow>(
    `SELECT m.id, m.case_id, ch.kind AS channel_kind, m.sent_at, left(m.text, ${maxCountedChars}) AS text, m.labels->'topics' AS topics
     FROM message m
     JOIN channel ch ON ch.workspace_id = m.workspace_id AND ch.id = m.channel_id
     WHERE m.workspace_id = $1 AND m.direction = 'inbound' AND m.sent_at >= $2 AND m.sent_at < $3
       AND m.labels->>'complaint' = 'true'
     ORDER BY m.sent_at DESC, m.id`,
    [workspaceId, period.from, period.to],
  );
  return rows.map((r) => ({
    messageId: r.id,
    caseId: r.case_id,
    channelKind: r.channel_kind,
    sentAt: r.sent_at,
    text: r.text,
    topics: Array.isArray(r.topics) ? r.topics.filter((t): t is string => typeof t === 'string') : [],
  }));
}
