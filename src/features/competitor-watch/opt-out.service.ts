import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import { findCustomer } from '../identity/index.ts';
import type { rejectReply } from '../replies/index.ts';
import { handleKeyOf } from './handle.ts';
import { deleteOptOut, insertOptOut, listHeldRepliesToCustomer, listOptOuts } from './opt-out.repository.ts';
import type { OptOut } from './opt-out.repository.ts';

export type NewOptOut = { customerId: string; reason?: string } | { platform: string; handle: string; reason?: string };

export interface OptOutResult {
  optOut: OptOut;
  /** Offers that were waiting for approval and are now rejected. */
  withdrawnReplyIds: string[];
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ path, message }]);
}

export async function getOptOuts(db: Db, principal: Principal): Promise<OptOut[]> {
  return listOptOuts(db, principal.workspaceId);
}

/**
 * Records that a customer (or a handle not yet known as a customer) must never be approached with offers. From then
 * on they are left out of the opportunity list and refused outreach, and offers already waiting for approval are
 * rejected. Anyone may record an opt-out: the customer's wish outranks the role check on rejecting a held reply.
 */
export async function recordOptOut(
  deps: { db: Db; clock: Clock; notifier: EventNotifier; rejectReply: typeof rejectReply },
  principal: Principal,
  input: NewOptOut,
): Promise<OptOutResult> {
  const ws = principal.workspaceId;
  const byCustomer = 'customerId' in input;
  if (byCustomer && !(await findCustomer(deps.db, ws, input.customerId))) throw invalid('customerId', 'customerId is not a customer of this workspace');
  const row = {
    workspaceId: ws,
    id: randomUUID(),
    customerId: byCustomer ? input.customerId : null,
    platform: byCustomer ? null : input.platform,
    handleKey: byCustomer ? null : handleKeyOf(input.handle),
    reason: input.reason?.trim() || null,
    createdBy: principal.userId,
  };
  if (row.handleKey === '') throw invalid('handle', 'handle is empty');
  const optOut = await deps.db.transaction(async (tx) => {
    const inserted = await insertOptOut(tx, row);
    if (!inserted) return null;
    await appendEvent(tx, {
      workspaceId: ws, type: 'customer.opted_out', actorUserId: principal.userId,
      data: { optOutId: inserted.id, customerId: inserted.customerId, platform: inserted.platform, handle: inserted.handle },
    });
    return inserted;
  });
  if (!optOut) throw new AppError('conflict', byCustomer ? 'this customer has already opted out' : 'this handle has already opted out');
  const held = await listHeldRepliesToCustomer(deps.db, ws, row.customerId, row.platform, row.handleKey);
  const onBehalfOfCustomer: Principal = { ...principal, role: 'supervisor' };
  const withdrawn: string[] = [];
  for (const replyId of held) {
    try {
      await deps.rejectReply(deps, onBehalfOfCustomer, replyId, 'the customer opted out of offers');
      withdrawn.push(replyId);
    } catch (error) {
      // Decided by a supervisor in the meantime: the opt-out stands either way.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  }
  deps.notifier.notify(ws);
  return { optOut, withdrawnReplyIds: withdrawn };
}

/** Admins only: an opt-out recorded by mistake. */
export async function removeOptOut(db: Db, principal: Principal, id: string): Promise<void> {
  const removed = await db.transaction(async (tx) => {
    const deleted = await deleteOptOut(tx, principal.workspaceId, id);
    if (deleted) {
      await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'customer.opt_out_removed', actorUserId: principal.userId, data: { optOutId: id, customerId: deleted.customerId } });
    }
    return deleted;
  });
  if (!removed) throw notFound('opt-out');
}
