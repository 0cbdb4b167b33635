import type { Queryable } from '../../platform/db/db.ts';

/** A competitor's official account answered one of our customers' posts: a churn risk, as the API shows it. */
export interface ChurnSignal {
  id: string;
  competitor: string;
  platform: string;
  handle: string;
  customerId: string;
  /** The customer's post the competitor answered. */
  messageId: string;
  /** The customer's open case that was flagged, if they had one. */
  caseId: string | null;
  externalId: string;
  text: string;
  sentAt: string;
  createdAt: string;
}

interface ChurnRow extends Record<string, unknown> {
  id: string;
  competitor: string;
  platform: string;
  handle: string;
  customer_id: string;
  message_id: string;
  case_id: string | null;
  external_id: string;
  text: string;
  sent_at: Date;
  created_at: Date;
}

const columns = 'id, competitor, platform, handle, customer_id, message_id, case_id, external_id, text, sent_at, created_at';

function present(row: ChurnRow): ChurnSignal {
  return {
    id: row.id,
    competitor: row.competitor,
    platform: row.platform,
    handle: row.handle,
    customerId: row.customer_id,
    messageId: row.message_id,
    caseId: row.case_id,
    externalId: row.external_id,
    text: row.text,
    sentAt: row.sent_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

export interface NewChurnSignal {
  workspaceId: string;
  id: string;
  channelId: string;
  externalId: string;
  competitorAccountId: string;
  competitor: string;
  platform: string;
  handle: string;
  customerId: string;
  messageId: string;
  caseId: string | null;
  text: string;
  sentAt: Date;
}

/** Records a competitor's reply once per (channel, external id); false when it was already recorded. */
export async function insertChurnSignal(tx: Queryable, s: NewChurnSignal): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO churn_signal (workspace_id, id, channel_id, external_id, competitor_account_id, competitor, platform, handle,
       customer_id, message_id, case_id, text, sent_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (workspace_id, channel_id, external_id) DO NOTHING RETURNING id`,
    [s.workspaceId, s.id, s.channelId, s.externalId, s.competitorAccountId, s.competitor, s.platform, s.handle, s.customerId,
      s.messageId, s.caseId, s.text, s.sentAt],
  );
  return rows.length > 0;
}

export async function findChurnSignalCase(tx: Queryable, workspaceId: string, channelId: string, externalId: string): Promise<{ caseId: string | null } | null> {
  const rows = await tx.query<{ case_id: string | null }>(
    `SELECT case_id FROM churn_signal WHERE workspace_id = $1 AND channel_id = $2 AND external_id = $3`,
    [workspaceId, channelId, externalId],
  );
  return rows[0] ? { caseId: rows[0].case_id } : null;
}

export async function listChurnSignals(db: Queryable, workspaceId: string, filter: { from: Date; to: Date; limit: number }): Promise<ChurnSignal[]> {
  const rows = await db.query<ChurnRow>(
    `SELECT ${columns} FROM churn_signal WHERE workspace_id = $1 AND sent_at >= $2 AND sent_at < $3 ORDER BY sent_at DESC, id DESC LIMIT $4`,
    [workspaceId, filter.from, filter.to, filter.limit],
  );
  return rows.map(present);
}

/** The customer's post a reply answers, looked up among the channels of the reply's platform. */
export async function findRepliedCustomerPost(
  tx: Queryable,
  workspaceId: string,
  channelIds: readonly string[],
  externalId: string,
): Promise<{ messageId: string; caseId: string | null; caseOpen: boolean; customerId: string } | null> {
  const rows = await tx.query<{ id: string; case_id: string | null; case_open: boolean | null; customer_id: string }>(
    `SELECT m.id, m.case_id, c.status IN ('new', 'open', 'waiting') AS case_open, a.customer_id
     FROM message m
     JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     LEFT JOIN cases c ON c.workspace_id = m.workspace_id AND c.id = m.case_id
     WHERE m.workspace_id = $1 AND m.channel_id = ANY ($2::uuid[]) AND m.external_id = $3 AND m.direction = 'inbound'
     ORDER BY m.sent_at DESC LIMIT 1`,
    [workspaceId, channelIds, externalId],
  );
  const r = rows[0];
  return r ? { messageId: r.id, caseId: r.case_id, caseOpen: r.case_open === true, customerId: r.customer_id } : null;
}

/** The customer's most recently active open case. */
export async function findLatestOpenCase(tx: Queryable, workspaceId: string, customerId: string): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM cases WHERE workspace_id = $1 AND customer_id = $2 AND status IN ('new', 'open', 'waiting')
     ORDER BY last_message_at DESC LIMIT 1`,
    [workspaceId, customerId],
  );
  return rows[0]?.id ?? null;
}

/** The workspace's channels of one kind: a platform's post ids are unique across them. */
export async function listChannelIdsOfKind(tx: Queryable, workspaceId: string, kind: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(`SELECT id FROM channel WHERE workspace_id = $1 AND kind = $2`, [workspaceId, kind]);
  return rows.map((r) => r.id);
}
