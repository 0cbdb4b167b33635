import type { Queryable } from '../../platform/db/db.ts';

// The fair order (docs/FAIRNESS.md): need tier, then the deadline of the answer owed, then arrival, then id. Every
// query that hands out work uses exactly this order, so "take next" and round robin always give the head of the queue.
const fairOrder = `c.priority_rank, COALESCE(c.next_response_due_at, '9999-12-31T00:00:00Z'::timestamptz), c.first_message_at, c.id`;

/**
 * Locks the head of the fair order among unassigned, workable cases routed to one of `teamIds` or to no team.
 * SKIP LOCKED: two agents taking at once get two different cases instead of queueing on one row.
 */
export async function claimQueueHead(tx: Queryable, workspaceId: string, teamIds: string[], userId: string, now: Date): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `SELECT c.id FROM cases c
     WHERE c.workspace_id = $1 AND c.status IN ('new', 'open') AND c.assignee_id IS NULL
       AND (c.team_id IS NULL OR c.team_id = ANY($2::uuid[]))
       AND (c.locked_by IS NULL OR c.locked_by = $3 OR c.lock_expires_at <= $4)
     ORDER BY ${fairOrder} LIMIT 1 FOR UPDATE OF c SKIP LOCKED`,
    [workspaceId, teamIds, userId, now],
  );
  return rows[0]?.id ?? null;
}

export interface RoundRobinTeam extends Record<string, unknown> {
  id: string;
}

export async function listRoundRobinTeams(db: Queryable, workspaceId: string): Promise<string[]> {
  const rows = await db.query<RoundRobinTeam>(`SELECT id FROM team WHERE workspace_id = $1 AND assignment = 'round_robin' ORDER BY id`, [workspaceId]);
  return rows.map((r) => r.id);
}

/** The head of one team's unassigned queue, locked (skipping rows another assigner holds). */
export async function claimTeamHead(tx: Queryable, workspaceId: string, teamId: string, now: Date): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `SELECT c.id FROM cases c
     WHERE c.workspace_id = $1 AND c.team_id = $2 AND c.status IN ('new', 'open') AND c.assignee_id IS NULL
       AND (c.locked_by IS NULL OR c.lock_expires_at <= $3)
     ORDER BY ${fairOrder} LIMIT 1 FOR UPDATE OF c SKIP LOCKED`,
    [workspaceId, teamId, now],
  );
  return rows[0]?.id ?? null;
}

/**
 * The team member next in turn who has spare capacity: least recently assigned first. Capacity counts every open
 * case assigned to the user, whichever team it came from. The member row is locked so two assigners take turns.
 */
export async function claimNextMember(tx: Queryable, workspaceId: string, teamId: string): Promise<string | null> {
  const rows = await tx.query<{ user_id: string }>(
    `SELECT tm.user_id FROM team_member tm
       JOIN app_user u ON u.workspace_id = tm.workspace_id AND u.id = tm.user_id AND u.disabled_at IS NULL
     WHERE tm.workspace_id = $1 AND tm.team_id = $2
       AND tm.capacity > (SELECT count(*) FROM cases c WHERE c.workspace_id = tm.workspace_id AND c.assignee_id = tm.user_id
                            AND c.status IN ('new', 'open', 'waiting'))
     ORDER BY tm.last_assigned_at NULLS FIRST, tm.user_id LIMIT 1 FOR UPDATE OF tm`,
    [workspaceId, teamId],
  );
  return rows[0]?.user_id ?? null;
}

export async function markMemberAssigned(tx: Queryable, workspaceId: string, teamId: string, userId: string, at: Date): Promise<void> {
  await tx.query(`UPDATE team_member SET last_assigned_at = $4 WHERE workspace_id = $1 AND team_id = $2 AND user_id = $3`, [
    workspaceId, teamId, userId, at,
  ]);
}

/** Takes the case lease for `userId` unless another agent holds an unexpired one; true when taken or renewed. */
export async function acquireCaseLock(tx: Queryable, workspaceId: string, caseId: string, userId: string, now: Date, expiresAt: Date): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE cases SET locked_by = $3, lock_expires_at = $5
     WHERE workspace_id = $1 AND id = $2 AND (locked_by IS NULL OR locked_by = $3 OR lock_expires_at <= $4) RETURNING id`,
    [workspaceId, caseId, userId, now, expiresAt],
  );
  return rows.length > 0;
}

export async function lockHolder(db: Queryable, workspaceId: string, caseId: string): Promise<{ userId: string; name: string; expiresAt: Date } | null> {
  const rows = await db.query<{ locked_by: string; name: string; lock_expires_at: Date }>(
    `SELECT c.locked_by, u.name, c.lock_expires_at FROM cases c
       JOIN app_user u ON u.workspace_id = c.workspace_id AND u.id = c.locked_by
     WHERE c.workspace_id = $1 AND c.id = $2`,
    [workspaceId, caseId],
  );
  const row = rows[0];
  return row ? { userId: row.locked_by, name: row.name, expiresAt: row.lock_expires_at } : null;
}

export async function releaseCaseLock(tx: Queryable, workspaceId: string, caseId: string, userId: string | null): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE cases SET locked_by = NULL, lock_expires_at = NULL
     WHERE workspace_id = $1 AND id = $2 AND locked_by IS NOT NULL AND ($3::uuid IS NULL OR locked_by = $3::uuid) RETURNING id`,
    [workspaceId, caseId, userId],
  );
  return rows.length > 0;
}
