import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';

/** An inbound message an agent may turn into a case, with the customer behind its author. */
export interface ConvertiblePost {
  id: string;
  caseId: string | null;
  channel: { id: string; kind: string };
  customerId: string | null;
  labels: Labels | null;
  text: string;
  sentAt: Date;
}

export async function findConvertiblePost(tx: Queryable, workspaceId: string, messageId: string, forUpdate = false): Promise<ConvertiblePost | null> {
  const rows = await tx.query<{
    id: string; case_id: string | null; channel_id: string; channel_kind: string; customer_id: string | null;
    labels: Labels | null; text: string; sent_at: Date;
  }>(
    `SELECT m.id, m.case_id, m.channel_id, c.kind AS channel_kind, a.customer_id, m.labels, m.text, m.sent_at
     FROM message m
     JOIN channel c ON c.workspace_id = m.workspace_id AND c.id = m.channel_id
     LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     WHERE m.workspace_id = $1 AND m.id = $2 AND m.direction = 'inbound'
     ${forUpdate ? 'FOR UPDATE OF m' : ''}`,
    [workspaceId, messageId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    caseId: r.case_id,
    channel: { id: r.channel_id, kind: r.channel_kind },
    customerId: r.customer_id,
    labels: r.labels,
    text: r.text,
    sentAt: r.sent_at,
  };
}

/** The ingest pipeline's per-customer lock, so a conversion and a new message of the same customer thread one at a time. */
export async function lockCustomerThreading(tx: Queryable, workspaceId: string, customerId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${workspaceId}:${customerId}`]);
}

export async function attachMessageToCase(tx: Queryable, workspaceId: string, messageId: string, caseId: string): Promise<void> {
  await tx.query(`UPDATE message SET case_id = $3 WHERE workspace_id = $1 AND id = $2 AND case_id IS NULL`, [workspaceId, messageId, caseId]);
}
