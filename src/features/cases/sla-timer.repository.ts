import type { Queryable } from '../../platform/db/db.ts';
import type { SlaTarget } from './sla.ts';

export interface DueBreach {
  caseId: string;
  target: SlaTarget;
  dueAt: Date;
}

/** Every workspace: the timers are a system job that then works one workspace at a time. */
export async function listWorkspaceIds(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM workspace ORDER BY id`);
  return rows.map((r) => r.id);
}

/**
 * Due times that have passed without a recorded breach, on cases whose clocks run ('waiting' is paused; resolved
 * cases are done). A next-response clock that is only the first-response clock again is left to the latter.
 */
export async function listDueBreaches(db: Queryable, workspaceId: string, now: Date, limit: number): Promise<DueBreach[]> {
  const rows = await db.query<{ id: string; target: SlaTarget; due_at: Date }>(
    `SELECT id, 'first_response' AS target, first_response_due_at AS due_at FROM cases
       WHERE workspace_id = $1 AND status IN ('new', 'open') AND first_responded_at IS NULL
         AND first_response_breached_at IS NULL AND first_response_due_at <= $2
     UNION ALL
     SELECT id, 'next_response', next_response_due_at FROM cases
       WHERE workspace_id = $1 AND status IN ('new', 'open') AND next_response_breached_at IS NULL
         AND next_response_due_at <= $2
         AND (first_responded_at IS NOT NULL OR next_response_due_at IS DISTINCT FROM first_response_due_at)
     UNION ALL
     SELECT id, 'resolution', resolution_due_at FROM cases
       WHERE workspace_id = $1 AND status IN ('new', 'open') AND resolution_breached_at IS NULL
         AND resolution_due_at <= $2
     ORDER BY due_at LIMIT $3`,
    [workspaceId, now, limit],
  );
  return rows.map((r) => ({ caseId: r.id, target: r.target, dueAt: r.due_at }));
}

const breachColumn: Record<SlaTarget, { breached: string; due: string }> = {
  first_response: { breached: 'first_response_breached_at', due: 'first_response_due_at' },
  next_response: { breached: 'next_response_breached_at', due: 'next_response_due_at' },
  resolution: { breached: 'resolution_breached_at', due: 'resolution_due_at' },
};

/**
 * Records one breach if it is still unrecorded and the due time unchanged. The conditional UPDATE is the
 * idempotency: a second timer (or a second process) finds the flag set, updates nothing and records nothing.
 */
export async function claimBreach(tx: Queryable, workspaceId: string, breach: DueBreach, now: Date): Promise<boolean> {
  const column = breachColumn[breach.target];
  const rows = await tx.query(
    `UPDATE cases SET ${column.breached} = $4, updated_at = now()
     WHERE workspace_id = $1 AND id = $2 AND ${column.breached} IS NULL AND ${column.due} = $3 AND status IN ('new', 'open')
     RETURNING id`,
    [workspaceId, breach.caseId, breach.dueAt, now],
  );
  return rows.length > 0;
}
