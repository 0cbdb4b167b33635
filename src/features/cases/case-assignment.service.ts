import type { Db } from '../../platform/db/db.ts';
import { notFound } from '../../platform/errors.ts';
import { appendEvent } from '../events/index.ts';
import type { Principal } from '../accounts/index.ts';
import { claimNextMember, claimQueueHead, claimTeamHead, listRoundRobinTeams, markMemberAssigned } from './case-queue.repository.ts';
import { findCase, presentCase, updateCase } from './case.repository.ts';
import type { CaseSummary } from './case.types.ts';
import { lockLeaseMs } from './case-lock.service.ts';
import { teamIdsOfUser } from './team.repository.ts';

/**
 * "Take next": atomically assigns the caller the head of the fair order among unassigned cases routed to their
 * teams (or to no team), and gives them the case lock. Null when there is nothing to take.
 */
export async function takeNextCase(db: Db, principal: Principal, now: Date): Promise<CaseSummary | null> {
  const ws = principal.workspaceId;
  const caseId = await db.transaction(async (tx) => {
    const teamIds = await teamIdsOfUser(tx, ws, principal.userId);
    const id = await claimQueueHead(tx, ws, teamIds, principal.userId, now);
    if (!id) return null;
    await updateCase(tx, ws, id, { assigneeId: principal.userId, lockedBy: principal.userId, lockExpiresAt: new Date(now.getTime() + lockLeaseMs) });
    await appendEvent(tx, {
      workspaceId: ws, type: 'case.assigned', caseId: id, actorUserId: principal.userId,
      data: { from: null, to: principal.userId, via: 'take_next' },
    });
    return id;
  });
  if (!caseId) return null;
  const row = await findCase(db, ws, caseId);
  if (!row) throw notFound('case');
  return presentCase(row);
}

const maxAssignmentsPerRun = 500;

/**
 * Push assignment: for each round-robin team, hands the head of its queue to the member next in turn with spare
 * capacity, until the queue is empty or everyone is full. One transaction per assignment. Returns how many it made.
 */
export async function assignRoundRobin(db: Db, workspaceId: string, now: Date): Promise<number> {
  let assigned = 0;
  for (const teamId of await listRoundRobinTeams(db, workspaceId)) {
    while (assigned < maxAssignmentsPerRun) {
      const done = await db.transaction(async (tx) => {
        const userId = await claimNextMember(tx, workspaceId, teamId);
        if (!userId) return false;
        const caseId = await claimTeamHead(tx, workspaceId, teamId, now);
        if (!caseId) return false;
        await updateCase(tx, workspaceId, caseId, { assigneeId: userId });
        await markMemberAssigned(tx, workspaceId, teamId, userId, now);
        await appendEvent(tx, { workspaceId, type: 'case.assigned', caseId, data: { from: null, to: userId, via: 'round_robin', teamId } });
        return true;
      });
      if (!done) break;
      assigned += 1;
    }
  }
  return assigned;
}
