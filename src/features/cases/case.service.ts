import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendEvent, listCaseEvents } from '../events/index.ts';
import type { StoredEvent } from '../events/index.ts';
import { findUser, hasRole } from '../accounts/index.ts';
import type { Principal } from '../accounts/index.ts';
import { findCustomer } from '../identity/index.ts';
import type { CustomerView } from '../identity/index.ts';
import { cursorOf, findCase, listQueue, presentCase, updateCase } from './case.repository.ts';
import type { CaseChange, CaseRow, QueueCursor, QueueFilter } from './case.repository.ts';
import { loadCasePolicies } from './case-policy.repository.ts';
import { pausedBusinessMinutes, shiftedDue } from './sla.ts';
import type { CaseStatus, CaseSummary } from './case.types.ts';
import { openStatuses } from './case.types.ts';
import { listCustomerTimeline } from './message.repository.ts';
import type { TimelineMessage } from './message.repository.ts';
import { priorityRank } from './priority.ts';
import type { Priority } from './priority.ts';

export interface NoteView {
  id: string;
  userId: string;
  body: string;
  createdAt: string;
}

export interface CaseDetail {
  case: CaseSummary;
  customer: CustomerView | null;
  timeline: TimelineMessage[];
  notes: NoteView[];
  events: StoredEvent[];
}

export async function getCaseDetail(db: Queryable, principal: Principal, caseId: string): Promise<CaseDetail> {
  const row = await findCase(db, principal.workspaceId, caseId);
  if (!row) throw notFound('case');
  const [customer, timeline, notes, events] = await Promise.all([
    findCustomer(db, principal.workspaceId, row.customer_id),
    listCustomerTimeline(db, principal.workspaceId, caseId),
    listNotes(db, principal.workspaceId, caseId),
    listCaseEvents(db, principal.workspaceId, caseId),
  ]);
  return { case: presentCase(row), customer, timeline, notes, events };
}

async function listNotes(db: Queryable, workspaceId: string, caseId: string): Promise<NoteView[]> {
  const rows = await db.query<{ id: string; user_id: string; body: string; created_at: Date }>(
    `SELECT id, user_id, body, created_at FROM note WHERE workspace_id = $1 AND case_id = $2 ORDER BY created_at, id`,
    [workspaceId, caseId],
  );
  return rows.map((r) => ({ id: r.id, userId: r.user_id, body: r.body, createdAt: r.created_at.toISOString() }));
}

export interface QueuePage {
  cases: CaseSummary[];
  nextCursor: string | null;
}

export function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string): QueueCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      typeof value === 'object' && value !== null &&
      'rank' in value && typeof value.rank === 'number' &&
      'first' in value && typeof value.first === 'string' && !Number.isNaN(Date.parse(value.first)) &&
      'id' in value && typeof value.id === 'string' && /^[0-9a-f-]{36}$/i.test(value.id) &&
      'due' in value && (value.due === null || (typeof value.due === 'string' && !Number.isNaN(Date.parse(value.due))))
    ) {
      return { rank: value.rank, first: value.first, id: value.id, due: value.due };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'cursor is not one this API returned');
}

export async function getQueue(
  db: Queryable,
  principal: Principal,
  filter: Omit<QueueFilter, 'statuses' | 'after'> & { statuses?: CaseStatus[]; cursor?: string },
): Promise<QueuePage> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const rows = await listQueue(db, principal.workspaceId, {
    ...filter,
    statuses: filter.statuses ?? [...openStatuses],
    after,
    limit: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    cases: page.map(presentCase),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(cursorOf(last)) : null,
  };
}

export interface CasePatch {
  status?: CaseStatus;
  assigneeId?: string | null;
  priority?: Priority;
  priorityReason?: string;
}

/** Changes a case as an agent asked; each change is recorded as an event in the same transaction. */
export async function patchCase(db: Db, principal: Principal, caseId: string, patch: CasePatch, now: Date = new Date()): Promise<CaseSummary> {
  const ws = principal.workspaceId;
  if (patch.priority && !hasRole(principal.role, 'supervisor')) {
    throw new AppError('forbidden', 'only supervisors and admins can override a case priority');
  }
  if (patch.priority && !patch.priorityReason?.trim()) {
    throw new AppError('validation_failed', 'a priority override needs a reason', [{ path: 'priorityReason', message: 'required with priority' }]);
  }
  if (patch.assigneeId) {
    const assignee = await findUser(db, ws, patch.assigneeId);
    if (!assignee) throw new AppError('validation_failed', 'assignee is not a user of this workspace', [{ path: 'assigneeId', message: 'unknown user' }]);
  }
  await db.transaction(async (tx) => {
    const current = await findCase(tx, ws, caseId, true);
    if (!current) throw notFound('case');
    const change: CaseChange = {};
    const actor = { workspaceId: ws, caseId, actorUserId: principal.userId };
    if (patch.status && patch.status !== current.status) {
      change.status = patch.status;
      Object.assign(change, await slaClockOnStatus(tx, ws, current, patch.status, now));
      if (patch.status === 'resolved' || patch.status === 'closed') {
        change.resolvedAt = current.resolved_at ?? now;
        change.nextResponseDueAt = null;
      }
      await appendEvent(tx, { ...actor, type: 'case.status_changed', data: { from: current.status, to: patch.status } });
    }
    if (patch.assigneeId !== undefined && patch.assigneeId !== current.assignee_id) {
      change.assigneeId = patch.assigneeId;
      await appendEvent(tx, { ...actor, type: 'case.assigned', data: { from: current.assignee_id, to: patch.assigneeId } });
    }
    if (patch.priority) {
      change.priority = patch.priority;
      change.priorityRank = priorityRank[patch.priority];
      change.priorityReason = patch.priorityReason?.trim() ?? null;
      change.priorityOverridden = true;
      await appendEvent(tx, {
        ...actor,
        type: 'case.priority_overridden',
        data: { from: current.priority, to: patch.priority, reason: change.priorityReason },
      });
    }
    await updateCase(tx, ws, caseId, change);
  });
  const updated = await findCase(db, ws, caseId);
  if (!updated) throw notFound('case');
  return presentCase(updated);
}

/**
 * The SLA clock stops while a case waits on the customer and restarts when it leaves 'waiting'; the due times move
 * on by the business minutes it stood still. While waiting nothing is owed, so the queue deadline is cleared.
 */
async function slaClockOnStatus(tx: Queryable, workspaceId: string, current: CaseRow, to: CaseStatus, now: Date): Promise<CaseChange> {
  if (to === 'waiting') return current.sla_paused_at ? {} : { slaPausedAt: now, nextResponseDueAt: null };
  if (!current.sla_paused_at) return {};
  const { sla } = await loadCasePolicies(tx, workspaceId);
  const paused = pausedBusinessMinutes(sla, current.sla_paused_at, now);
  return {
    slaPausedAt: null,
    slaPausedMinutes: Number(current.sla_paused_minutes) + paused,
    firstResponseDueAt: current.first_responded_at ? undefined : shiftedDue(sla, current.first_response_due_at, paused),
    resolutionDueAt: shiftedDue(sla, current.resolution_due_at, paused),
  };
}

export async function addNote(db: Db, principal: Principal, caseId: string, body: string): Promise<NoteView> {
  const ws = principal.workspaceId;
  const id = randomUUID();
  const createdAt = await db.transaction(async (tx) => {
    const current = await findCase(tx, ws, caseId);
    if (!current) throw notFound('case');
    const rows = await tx.query<{ created_at: Date }>(
      `INSERT INTO note (workspace_id, id, case_id, user_id, body) VALUES ($1, $2, $3, $4, $5) RETURNING created_at`,
      [ws, id, caseId, principal.userId, body],
    );
    await appendEvent(tx, { workspaceId: ws, type: 'case.note_added', caseId, actorUserId: principal.userId, data: { noteId: id } });
    return rows[0].created_at;
  });
  return { id, userId: principal.userId, body, createdAt: createdAt.toISOString() };
}
