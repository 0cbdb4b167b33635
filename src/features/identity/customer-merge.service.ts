import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent } from '../events/index.ts';
import type { Principal } from '../accounts/index.ts';
import { lockCustomer } from './customer-lock.repository.ts';
import {
  findMerge,
  findMergeParties,
  insertMerge,
  markMergeUndone,
  moveCustomerRecords,
  restoreCustomerRecords,
  setMergedInto,
  setVulnerableFlag,
} from './customer-merge.repository.ts';
import type { MergeParty } from './customer-merge.repository.ts';
import { acceptPairSuggestions } from './identity.repository.ts';
import type { MergeSource, MergeView } from './identity.types.ts';

export interface MergeRequest {
  workspaceId: string;
  a: string;
  b: string;
  source: MergeSource;
  reason: string;
  evidence: Record<string, unknown> | null;
  actorUserId: string | null;
  /** Customer locks this transaction already holds (the ingest pipeline holds the message's customer). */
  held?: readonly string[];
}

export type MergeAttempt =
  | { status: 'merged'; mergeId: string; survivorId: string; absorbedId: string; moved: { authors: number; identities: number; cases: number } }
  | { status: 'busy' }
  | { status: 'missing'; customerId: string }
  | { status: 'not_live'; customerId: string; mergedIntoId: string }
  | { status: 'same' };

/** The customer first in touch survives; on a tie, the smaller id, so the outcome never depends on argument order. */
function chooseSurvivor(x: MergeParty, y: MergeParty): [MergeParty, MergeParty] {
  const dx = x.firstContactAt.getTime();
  const dy = y.firstContactAt.getTime();
  if (dx !== dy) return dx < dy ? [x, y] : [y, x];
  return x.id < y.id ? [x, y] : [y, x];
}

/**
 * Merges two customers inside the caller's transaction: authors, identities and cases of the absorbed customer move
 * to the survivor, the absorbed customer points at it, and a customer_merge row records exactly what moved.
 */
export async function mergeInTransaction(tx: Queryable, request: MergeRequest): Promise<MergeAttempt> {
  const ws = request.workspaceId;
  if (request.a === request.b) return { status: 'same' };
  const held = [...(request.held ?? [])];
  for (const id of [request.a, request.b].sort()) {
    if (!(await lockCustomer(tx, ws, id, held))) return { status: 'busy' };
    held.push(id);
  }
  const parties = await findMergeParties(tx, ws, [request.a, request.b]);
  for (const id of [request.a, request.b]) {
    const party = parties.find((p) => p.id === id);
    if (!party) return { status: 'missing', customerId: id };
    if (party.mergedIntoId) return { status: 'not_live', customerId: id, mergedIntoId: party.mergedIntoId };
  }
  const [survivor, absorbed] = chooseSurvivor(parties[0], parties[1]);
  const moved = await moveCustomerRecords(tx, ws, absorbed.id, survivor.id);
  if (absorbed.vulnerable && !survivor.vulnerable) await setVulnerableFlag(tx, ws, survivor.id, true);
  await setMergedInto(tx, ws, absorbed.id, survivor.id);
  const mergeId = await insertMerge(tx, {
    workspaceId: ws,
    survivorId: survivor.id,
    absorbedId: absorbed.id,
    source: request.source,
    reason: request.reason,
    evidence: request.evidence,
    moved: { ...moved, survivorWasVulnerable: survivor.vulnerable },
    mergedBy: request.actorUserId,
  });
  await acceptPairSuggestions(tx, ws, survivor.id, absorbed.id, request.actorUserId);
  const counts = { authors: moved.authorIds.length, identities: moved.identityIds.length, cases: moved.caseIds.length };
  await appendEvent(tx, {
    workspaceId: ws,
    type: 'customer.merged',
    actorUserId: request.actorUserId,
    data: {
      mergeId,
      survivorId: survivor.id,
      absorbedId: absorbed.id,
      source: request.source,
      reason: request.reason,
      moved: counts,
      caseIds: moved.caseIds,
    },
  });
  return { status: 'merged', mergeId, survivorId: survivor.id, absorbedId: absorbed.id, moved: counts };
}

/** Turns a failed attempt into the API's answer. */
export function mergeFailure(attempt: Exclude<MergeAttempt, { status: 'merged' }>): AppError {
  switch (attempt.status) {
    case 'busy':
      return new AppError('unavailable', 'one of the customers is busy; retry');
    case 'missing':
      return notFound('customer');
    case 'not_live':
      return new AppError('conflict', `customer ${attempt.customerId} was merged into ${attempt.mergedIntoId}`, [
        { path: 'mergedIntoId', message: attempt.mergedIntoId },
      ]);
    case 'same':
      return new AppError('validation_failed', 'a customer cannot be merged with itself', [{ path: 'otherCustomerId', message: 'same customer' }]);
    default: {
      const unreachable: never = attempt;
      return unreachable;
    }
  }
}

export interface UndoResult {
  merge: MergeView;
  restored: { authors: number; identities: number; cases: number };
}

/**
 * Un-merges: moves back exactly the rows the merge moved. Refused when the survivor has since been merged into
 * someone else (undo that merge first), so undoing always runs newest merge first and restores exactly.
 */
export async function undoMerge(db: Db, principal: Principal, mergeId: string): Promise<UndoResult> {
  const ws = principal.workspaceId;
  const restored = await db.transaction(async (tx) => {
    const merge = await findMerge(tx, ws, mergeId, true);
    if (!merge) throw notFound('merge');
    if (merge.undoneAt) throw new AppError('conflict', 'this merge was already undone');
    const held: string[] = [];
    for (const id of [merge.survivorId, merge.absorbedId].sort()) {
      await lockCustomer(tx, ws, id, held);
      held.push(id);
    }
    const parties = await findMergeParties(tx, ws, [merge.survivorId, merge.absorbedId]);
    const survivor = parties.find((p) => p.id === merge.survivorId);
    const absorbed = parties.find((p) => p.id === merge.absorbedId);
    if (!survivor || !absorbed) throw notFound('customer');
    if (survivor.mergedIntoId) {
      throw new AppError('conflict', `the surviving customer was later merged into ${survivor.mergedIntoId}; undo that merge first`, [
        { path: 'mergedIntoId', message: survivor.mergedIntoId },
      ]);
    }
    const counts = await restoreCustomerRecords(tx, ws, merge.survivorId, merge.absorbedId, merge.movedRows);
    // The merge passed the absorbed customer's flag to the survivor; it leaves with them.
    if (!merge.movedRows.survivorWasVulnerable && absorbed.vulnerable) await setVulnerableFlag(tx, ws, merge.survivorId, false);
    await setMergedInto(tx, ws, merge.absorbedId, null);
    await markMergeUndone(tx, ws, mergeId, principal.userId);
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'customer.unmerged',
      actorUserId: principal.userId,
      data: { mergeId, survivorId: merge.survivorId, absorbedId: merge.absorbedId, restored: counts, moved: merge.moved },
    });
    return counts;
  });
  const merge = await findMerge(db, ws, mergeId);
  if (!merge) throw notFound('merge');
  const { movedRows: _movedRows, ...view } = merge;
  return { merge: view, restored };
}
