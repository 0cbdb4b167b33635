import type { Queryable } from '../../platform/db/db.ts';
import { handleKeySql } from './handle.ts';

/** Someone who asked not to be approached with offers, as the API shows it. */
export interface OptOut {
  id: string;
  customerId: string | null;
  platform: string | null;
  handle: string | null;
  reason: string | null;
  createdBy: string | null;
  createdAt: string;
}

interface OptOutRow extends Record<string, unknown> {
  id: string;
  customer_id: string | null;
  platform: string | null;
  handle_key: string | null;
  reason: string | null;
  created_by: string | null;
  created_at: Date;
}

const columns = 'id, customer_id, platform, handle_key, reason, created_by, created_at';

function present(row: OptOutRow): OptOut {
  return {
    id: row.id,
    customerId: row.customer_id,
    platform: row.platform,
    handle: row.handle_key,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listOptOuts(db: Queryable, workspaceId: string): Promise<OptOut[]> {
  const rows = await db.query<OptOutRow>(`SELECT ${columns} FROM outreach_opt_out WHERE workspace_id = $1 ORDER BY created_at DESC, id`, [workspaceId]);
  return rows.map(present);
}

/** Inserts an opt-out unless the same customer (or handle) has one; null when it already exists. */
export async function insertOptOut(
  db: Queryable,
  row: { workspaceId: string; id: string; customerId: string | null; platform: string | null; handleKey: string | null; reason: string | null; createdBy: string },
): Promise<OptOut | null> {
  const rows = await db.query<OptOutRow>(
    `INSERT INTO outreach_opt_out (workspace_id, id, customer_id, platform, handle_key, reason, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${columns}`,
    [row.workspaceId, row.id, row.customerId, row.platform, row.handleKey, row.reason, row.createdBy],
  );
  return rows[0] ? present(rows[0]) : null;
}

export async function deleteOptOut(db: Queryable, workspaceId: string, id: string): Promise<OptOut | null> {
  const rows = await db.query<OptOutRow>(`DELETE FROM outreach_opt_out WHERE workspace_id = $1 AND id = $2 RETURNING ${columns}`, [workspaceId, id]);
  return rows[0] ? present(rows[0]) : null;
}

/**
 * The SQL condition "the author `a` opted out": an opt-out of the author's customer, of a customer merged into it,
 * or of the author's handle on its platform. Shared by the opportunity list and the outreach check.
 */
export function optedOutSql(authorAlias: string): string {
  return `EXISTS (
    SELECT 1 FROM outreach_opt_out o
    WHERE o.workspace_id = ${authorAlias}.workspace_id
      AND (o.customer_id = ${authorAlias}.customer_id
        OR (o.customer_id IS NULL AND o.platform = ${authorAlias}.platform AND o.handle_key = ${handleKeySql(`${authorAlias}.handle`)})
        OR o.customer_id IN (SELECT x.id FROM customer x WHERE x.workspace_id = ${authorAlias}.workspace_id AND x.merged_into_id = ${authorAlias}.customer_id)))`;
}

/**
 * Offers to the customer still waiting for approval (replies held as `competitor_customer`), which an opt-out
 * withdraws. Replies held for other reasons are care, not offers, and stay.
 */
export async function listHeldRepliesToCustomer(db: Queryable, workspaceId: string, customerId: string | null, platform: string | null, handleKey: string | null): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT rp.id FROM reply rp
     JOIN message m ON m.workspace_id = rp.workspace_id AND m.id = rp.in_reply_to_message_id
     JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     WHERE rp.workspace_id = $1 AND rp.status = 'held' AND rp.hold_reasons @> '[{"rule": "competitor_customer"}]'::jsonb
       AND (a.customer_id = $2 OR (a.platform = $3 AND ${handleKeySql('a.handle')} = $4))`,
    [workspaceId, customerId, platform, handleKey],
  );
  return rows.map((r) => r.id);
}
