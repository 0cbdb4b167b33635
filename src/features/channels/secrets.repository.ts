import type { Queryable } from '../../platform/db/db.ts';

/**
 * Sealed channel credentials, read and rewritten by `parley secrets rotate`. The rotation serves the whole
 * installation, so it walks the workspaces; every query on channels stays inside one workspace (one shard on Citus).
 */

export interface SealedCredentials {
  workspaceId: string;
  channelId: string;
  sealed: string;
}

export interface ChannelKey {
  workspaceId: string;
  channelId: string;
}

/** Workspace ids after `after`, in order, `limit` at a time. */
export async function listWorkspaceIdsAfter(db: Queryable, after: string | null, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM workspace WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2', [after, limit]);
  return rows.map((r) => r.id);
}

/**
 * The workspace's next `limit` channels with credentials after channel `after`, locked until the caller's transaction
 * ends so nothing else rewrites them in between.
 */
export async function lockSealedCredentials(tx: Queryable, workspaceId: string, after: string | null, limit: number): Promise<SealedCredentials[]> {
  const rows = await tx.query<{ id: string; credentials_encrypted: string }>(
    `SELECT id, credentials_encrypted FROM channel
     WHERE workspace_id = $1 AND credentials_encrypted IS NOT NULL AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id
     LIMIT $3
     FOR UPDATE`,
    [workspaceId, after, limit],
  );
  return rows.map((r) => ({ workspaceId, channelId: r.id, sealed: r.credentials_encrypted }));
}

/** Replaces sealed credentials of one workspace, each only if it still holds what was read; returns how many changed. */
export async function replaceSealedCredentials(
  tx: Queryable,
  workspaceId: string,
  changes: ReadonlyArray<{ channelId: string; before: string; after: string }>,
): Promise<number> {
  if (changes.length === 0) return 0;
  const rows = await tx.query(
    `UPDATE channel c SET credentials_encrypted = v.after
     FROM unnest($2::uuid[], $3::text[], $4::text[]) AS v(id, before, after)
     WHERE c.workspace_id = $1 AND c.id = v.id AND c.credentials_encrypted = v.before
     RETURNING c.id`,
    [workspaceId, changes.map((c) => c.channelId), changes.map((c) => c.before), changes.map((c) => c.after)],
  );
  return rows.length;
}
