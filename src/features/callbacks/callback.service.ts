import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { findCase } from '../cases/index.ts';
import { findCustomer } from '../identity/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import { completeCallbackRow, insertCallback, listCaseCallbacks, lockCallback } from './callback.repository.ts';
import type { CallbackOutcome, CallbackView } from './callback.types.ts';

export interface NewCallbackRequest {
  dueAt: Date;
  /** E.164, already normalised; null means the number the customer is known by. */
  phone: string | null;
  note: string | null;
}

/** A callback may be set a little in the past (the agent typed "now"), but not for a time long gone. */
const pastToleranceMs = 5 * 60_000;

async function requireCase(db: Queryable, workspaceId: string, caseId: string): Promise<{ customerId: string }> {
  const row = await findCase(db, workspaceId, caseId);
  if (!row) throw notFound('case');
  return { customerId: row.customer_id };
}

/** The customer's phone number, when the case's customer has one on file. */
async function customerPhone(db: Queryable, workspaceId: string, customerId: string): Promise<string | null> {
  const customer = await findCustomer(db, workspaceId, customerId);
  return customer?.identities.find((identity) => identity.kind === 'phone')?.value ?? null;
}

export async function scheduleCallback(
  db: Db,
  principal: Principal,
  caseId: string,
  request: NewCallbackRequest,
  now: Date,
  notifier?: EventNotifier,
): Promise<CallbackView> {
  if (request.dueAt.getTime() < now.getTime() - pastToleranceMs) {
    throw new AppError('validation_failed', 'dueAt is in the past', [{ path: 'dueAt', message: 'must not be in the past' }]);
  }
  const ws = principal.workspaceId;
  const { customerId } = await requireCase(db, ws, caseId);
  const phone = request.phone ?? (await customerPhone(db, ws, customerId));
  const view = await db.transaction(async (tx) => {
    const created = await insertCallback(tx, {
      workspaceId: ws, id: randomUUID(), caseId, phone, note: request.note, dueAt: request.dueAt, createdBy: principal.userId, at: now,
    });
    await appendEvent(tx, {
      workspaceId: ws, type: 'callback.scheduled', caseId, actorUserId: principal.userId,
      data: { callbackId: created.id, dueAt: created.dueAt },
    });
    return created;
  });
  notifier?.notify(ws);
  return view;
}

export async function listCallbacks(db: Queryable, principal: Principal, caseId: string): Promise<CallbackView[]> {
  await requireCase(db, principal.workspaceId, caseId);
  return listCaseCallbacks(db, principal.workspaceId, caseId);
}

/** Records how a callback ended; a callback is completed (or canceled) once. */
export async function completeCallback(
  db: Db,
  principal: Principal,
  caseId: string,
  callbackId: string,
  result: { outcome: CallbackOutcome; note: string | null },
  now: Date,
  notifier?: EventNotifier,
): Promise<CallbackView> {
  const ws = principal.workspaceId;
  const view = await db.transaction(async (tx) => {
    const current = await lockCallback(tx, ws, caseId, callbackId);
    if (!current) throw notFound('callback');
    if (current.status === 'completed' || current.status === 'canceled') {
      throw new AppError('conflict', `this callback is already ${current.status}`);
    }
    const updated = await completeCallbackRow(tx, ws, callbackId, {
      outcome: result.outcome, outcomeNote: result.note, completedBy: principal.userId, at: now,
    });
    await appendEvent(tx, {
      workspaceId: ws, type: 'callback.completed', caseId, actorUserId: principal.userId,
      data: { callbackId, outcome: result.outcome },
    });
    return updated;
  });
  notifier?.notify(ws);
  return view;
}
