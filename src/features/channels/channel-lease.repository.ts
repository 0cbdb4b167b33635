import type { Queryable } from '../../platform/db/db.ts';

/**
 * Leader election per channel through the database, so it works the same on PGlite and on a PostgreSQL pool (a
 * session-level advisory lock would need one pinned connection per channel). Times are the database's, so process
 * clocks may disagree.
 */

/** Takes the channel's lease, or renews it when we already hold it; false when another live holder has it. */
export async function acquireChannelLease(db: Queryable, workspaceId: string, channelId: string, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await db.query<{ holder: string }>(
    `INSERT INTO channel_lease (workspace_id, channel_id, holder, expires_at)
     VALUES ($1, $2, $3, now() + $4::int * interval '1 millisecond')
     ON CONFLICT (workspace_id, channel_id) DO UPDATE
       SET holder = EXCLUDED.holder,
           expires_at = EXCLUDED.expires_at,
           acquired_at = CASE WHEN channel_lease.holder = EXCLUDED.holder THEN channel_lease.acquired_at ELSE now() END
       WHERE channel_lease.holder = EXCLUDED.holder OR channel_lease.expires_at < now()
     RETURNING holder`,
    [workspaceId, channelId, holder, Math.round(ttlMs)],
  );
  return rows.length > 0 && rows[0].holder === holder;
}

export async function releaseChannelLease(db: Queryable, workspaceId: string, channelId: string, holder: string): Promise<void> {
  await db.query('DELETE FROM channel_lease WHERE workspace_id = $1 AND channel_id = $2 AND holder = $3', [workspaceId, channelId, holder]);
}

export async function findChannelLeaseHolder(db: Queryable, workspaceId: string, channelId: string): Promise<string | null> {
  const rows = await db.query<{ holder: string }>(
    'SELECT holder FROM channel_lease WHERE workspace_id = $1 AND channel_id = $2 AND expires_at >= now()',
    [workspaceId, channelId],
  );
  return rows[0]?.holder ?? null;
}
