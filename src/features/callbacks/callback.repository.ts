import type { Queryable } from '../../platform/db/db.ts';
import type { CallbackOutcome, CallbackStatus, CallbackView } from './callback.types.ts';

interface CallbackRow extends Record<string, unknown> {
  workspace_id: string;
  id: string;
  case_id: string;
  phone: string | null;
  note: string | null;
  due_at: Date;
  status: CallbackStatus;
  outcome: CallbackOutcome | null;
  outcome_note: string | null;
  created_by: string;
  completed_by: string | null;
  created_at: Date;
  due_marked_at: Date | null;
  completed_at: Date | null;
}

const columns = `workspace_id, id, case_id, phone, note, due_at, status, outcome, outcome_note, created_by, completed_by,
  created_at, due_marked_at, completed_at`;

function present(row: CallbackRow): CallbackView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    caseId: row.case_id,
    phone: row.phone,
    note: row.note,
    dueAt: row.due_at.toISOString(),
    status: row.status,
    outcome: row.outcome,
    outcomeNote: row.outcome_note,
    createdBy: row.created_by,
    completedBy: row.completed_by,
    createdAt: row.created_at.toISOString(),
    dueMarkedAt: iso(row.due_marked_at),
    completedAt: iso(row.completed_at),
  };
}

export interface NewCallback {
  workspaceId: string;
  id: string;
  caseId: string;
  phone: string | null;
  note: string | null;
  dueAt: Date;
  createdBy: string;
  at: Date;
}

export async function insertCallback(tx: Queryable, input: NewCallback): Promise<CallbackView> {
  const rows = await tx.query<CallbackRow>(
    `INSERT INTO callback (workspace_id, id, case_id, phone, note, due_at, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${columns}`,
    [input.workspaceId, input.id, input.caseId, input.phone, input.note, input.dueAt, input.createdBy, input.at],
  );
  return present(rows[0]);
}

export async function listCaseCallbacks(db: Queryable, workspaceId: string, caseId: string): Promise<CallbackView[]> {
  const rows = await db.query<CallbackRow>(
    `SELECT ${columns} FROM callback WHERE workspace_id = $1 AND case_id = $2 ORDER BY due_at, created_at, id`,
    [workspaceId, caseId],
  );
  return rows.map(present);
}

export async function lockCallback(tx: Queryable, workspaceId: string, caseId: string, callbackId: string): Promise<CallbackView | null> {
  const rows = await tx.query<CallbackRow>(
    `SELECT ${columns} FROM callback WHERE workspace_id = $1 AND case_id = $2 AND id = $3 FOR UPDATE`,
    [workspaceId, caseId, callbackId],
  );
  return rows[0] ? present(rows[0]) : null;
}

export async function completeCallbackRow(
  tx: Queryable,
  workspaceId: string,
  callbackId: string,
  change: { outcome: CallbackOutcome; outcomeNote: string | null; completedBy: string; at: Date },
): Promise<CallbackView> {
  const rows = await tx.query<CallbackRow>(
    `UPDATE callback SET status = $3, outcome = $4, outcome_note = $5, completed_by = $6, completed_at = $7
     WHERE workspace_id = $1 AND id = $2 RETURNING ${columns}`,
    [workspaceId, callbackId, change.outcome === 'canceled' ? 'canceled' : 'completed', change.outcome, change.outcomeNote,
      change.completedBy, change.at],
  );
  return present(rows[0]);
}

/**
 * Scheduled callbacks due by `now`, oldest first, locked so that two workers never mark the same one; the only
 * query here that crosses workspaces (the timer serves the whole installation).
 */
export async function claimDueCallbacks(tx: Queryable, now: Date, limit: number): Promise<(CallbackView & { workspaceId: string })[]> {
  const rows = await tx.query<CallbackRow>(
    `SELECT ${columns} FROM callback WHERE status = 'scheduled' AND due_at <= $1
     ORDER BY due_at, workspace_id, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map((row) => ({ ...present(row), workspaceId: row.workspace_id }));
}

export async function markCallbackDue(tx: Queryable, workspaceId: string, callbackId: string, at: Date): Promise<void> {
  await tx.query(`UPDATE callback SET status = 'due', due_marked_at = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, callbackId, at]);
}
