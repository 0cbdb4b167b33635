import type { Db } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../events/index.ts';
import { hasRole } from '../accounts/index.ts';
import type { Principal } from '../accounts/index.ts';
import { acquireCaseLock, lockHolder, releaseCaseLock } from './case-queue.repository.ts';
import { findCase } from './case.repository.ts';

/** How long an agent holds a case while answering; the web app renews it while the composer is open. */
export const lockLeaseMs = 2 * 60_000;

export interface CaseLockView {
  userId: string;
  expiresAt: string;
}

/** Takes or renews the caller's lease on a case; 409 naming the holder when another agent has it. */
export async function lockCase(db: Db, principal: Principal, caseId: string, now: Date): Promise<CaseLockView> {
  const ws = principal.workspaceId;
  const expiresAt = new Date(now.getTime() + lockLeaseMs);
  const taken = await db.transaction(async (tx) => {
    const current = await findCase(tx, ws, caseId, true);
    if (!current) throw notFound('case');
    const fresh = current.locked_by !== principal.userId || !current.lock_expires_at || current.lock_expires_at <= now;
    if (!(await acquireCaseLock(tx, ws, caseId, principal.userId, now, expiresAt))) return false;
    if (fresh) {
      await appendEvent(tx, { workspaceId: ws, type: 'case.locked', caseId, actorUserId: principal.userId, data: { expiresAt: expiresAt.toISOString() } });
    }
    return true;
  });
  if (!taken) {
    const holder = await lockHolder(db, ws, caseId);
    const who = holder ? `${holder.name} until ${holder.expiresAt.toISOString()}` : 'another agent';
    throw new AppError('conflict', `the case is being answered by ${who}`, holder
      ? [{ path: 'lockedBy', message: holder.userId }, { path: 'lockedByName', message: holder.name }, { path: 'expiresAt', message: holder.expiresAt.toISOString() }]
      : undefined);
  }
  return { userId: principal.userId, expiresAt: expiresAt.toISOString() };
}

/** Releases the caller's lease; a supervisor may release anyone's. 409 when someone else holds it. */
export async function unlockCase(db: Db, principal: Principal, caseId: string, now: Date): Promise<void> {
  const ws = principal.workspaceId;
  await db.transaction(async (tx) => {
    const current = await findCase(tx, ws, caseId, true);
    if (!current) throw notFound('case');
    const live = current.locked_by !== null && current.lock_expires_at !== null && current.lock_expires_at > now;
    if (live && current.locked_by !== principal.userId && !hasRole(principal.role, 'supervisor')) {
      throw new AppError('conflict', 'another agent holds the lock on this case');
    }
    if (await releaseCaseLock(tx, ws, caseId, null)) {
      await appendEvent(tx, { workspaceId: ws, type: 'case.unlocked', caseId, actorUserId: principal.userId, data: { heldBy: current.locked_by } });
    }
  });
}
