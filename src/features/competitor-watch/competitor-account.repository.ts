import type { Queryable } from '../../platform/db/db.ts';

/** A competitor's official account on one platform, as the API shows it. */
export interface CompetitorAccount {
  id: string;
  competitor: string;
  platform: string;
  handle: string;
  createdBy: string | null;
  createdAt: string;
}

interface AccountRow extends Record<string, unknown> {
  id: string;
  competitor: string;
  platform: string;
  handle: string;
  created_by: string | null;
  created_at: Date;
}

const columns = 'id, competitor, platform, handle, created_by, created_at';

function present(row: AccountRow): CompetitorAccount {
  return { id: row.id, competitor: row.competitor, platform: row.platform, handle: row.handle, createdBy: row.created_by, createdAt: row.created_at.toISOString() };
}

export async function listCompetitorAccounts(db: Queryable, workspaceId: string): Promise<CompetitorAccount[]> {
  const rows = await db.query<AccountRow>(
    `SELECT ${columns} FROM competitor_account WHERE workspace_id = $1 ORDER BY lower(competitor), platform, handle_key`,
    [workspaceId],
  );
  return rows.map(present);
}

/** The account behind a handle on a platform (index `competitor_account_handle`); the ingest path asks this. */
export async function findCompetitorAccountByHandle(db: Queryable, workspaceId: string, platform: string, handleKey: string): Promise<CompetitorAccount | null> {
  const rows = await db.query<AccountRow>(
    `SELECT ${columns} FROM competitor_account WHERE workspace_id = $1 AND platform = $2 AND handle_key = $3`,
    [workspaceId, platform, handleKey],
  );
  return rows[0] ? present(rows[0]) : null;
}

export async function insertCompetitorAccount(
  db: Queryable,
  row: { workspaceId: string; id: string; competitor: string; platform: string; handle: string; handleKey: string; createdBy: string },
): Promise<CompetitorAccount | null> {
  const rows = await db.query<AccountRow>(
    `INSERT INTO competitor_account (workspace_id, id, competitor, platform, handle, handle_key, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (workspace_id, platform, handle_key) DO NOTHING RETURNING ${columns}`,
    [row.workspaceId, row.id, row.competitor, row.platform, row.handle, row.handleKey, row.createdBy],
  );
  return rows[0] ? present(rows[0]) : null;
}

export async function deleteCompetitorAccount(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query(`DELETE FROM competitor_account WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  return rows.length > 0;
}
