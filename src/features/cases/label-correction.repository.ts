import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';

export interface CorrectableMessage {
  id: string;
  caseId: string | null;
  labels: Labels | null;
}

export async function findCorrectableMessage(db: Queryable, workspaceId: string, messageId: string): Promise<CorrectableMessage | null> {
  const rows = await db.query<{ id: string; case_id: string | null; labels: Labels | null }>(
    `SELECT id, case_id, labels FROM message WHERE workspace_id = $1 AND id = $2 AND direction = 'inbound'`,
    [workspaceId, messageId],
  );
  const r = rows[0];
  return r ? { id: r.id, caseId: r.case_id, labels: r.labels } : null;
}

export interface StoredCorrection {
  messageId: string;
  text: string;
  data: Record<string, unknown>;
  correctedBy: string | null;
  correctedAt: Date;
}

/** The workspace's label corrections, oldest first, each with the text of the message it corrects. */
export async function listStoredCorrections(db: Queryable, workspaceId: string, limit: number): Promise<StoredCorrection[]> {
  const rows = await db.query<{ message_id: string; text: string; data: Record<string, unknown>; actor_user_id: string | null; created_at: Date }>(
    `SELECT m.id AS message_id, m.text, e.data, e.actor_user_id, e.created_at
     FROM event e
     JOIN message m ON m.workspace_id = e.workspace_id AND m.id::text = e.data->>'messageId'
     WHERE e.workspace_id = $1 AND e.type = 'message.labels_corrected'
     ORDER BY e.seq
     LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map((r) => ({ messageId: r.message_id, text: r.text, data: r.data, correctedBy: r.actor_user_id, correctedAt: r.created_at }));
}
