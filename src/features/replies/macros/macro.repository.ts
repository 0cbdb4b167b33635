import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../platform/db/db.ts';

export interface Macro {
  id: string;
  name: string;
  body: string;
  updatedAt: string;
}

interface MacroRow extends Record<string, unknown> {
  id: string;
  name: string;
  body: string;
  updated_at: Date;
}

const present = (r: MacroRow): Macro => ({ id: r.id, name: r.name, body: r.body, updatedAt: r.updated_at.toISOString() });

export async function macroNameTaken(db: Queryable, workspaceId: string, name: string, exceptId?: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM macro WHERE workspace_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3::uuid`, [
    workspaceId, name, exceptId ?? null,
  ]);
  return rows.length > 0;
}

export async function insertMacro(db: Queryable, workspaceId: string, userId: string, input: { name: string; body: string }): Promise<Macro> {
  const rows = await db.query<MacroRow>(
    `INSERT INTO macro (workspace_id, id, name, body, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, name, body, updated_at`,
    [workspaceId, randomUUID(), input.name, input.body, userId],
  );
  return present(rows[0]);
}

export async function updateMacro(db: Queryable, workspaceId: string, id: string, input: { name?: string; body?: string }): Promise<Macro | null> {
  const rows = await db.query<MacroRow>(
    `UPDATE macro SET name = COALESCE($3, name), body = COALESCE($4, body), updated_at = now()
     WHERE workspace_id = $1 AND id = $2 RETURNING id, name, body, updated_at`,
    [workspaceId, id, input.name ?? null, input.body ?? null],
  );
  return rows[0] ? present(rows[0]) : null;
}

export async function deleteMacro(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  return (await db.query(`DELETE FROM macro WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id])).length > 0;
}

export async function findMacro(db: Queryable, workspaceId: string, id: string): Promise<Macro | null> {
  const rows = await db.query<MacroRow>(`SELECT id, name, body, updated_at FROM macro WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return rows[0] ? present(rows[0]) : null;
}

export async function listMacros(db: Queryable, workspaceId: string): Promise<Macro[]> {
  const rows = await db.query<MacroRow>(`SELECT id, name, body, updated_at FROM macro WHERE workspace_id = $1 ORDER BY lower(name)`, [workspaceId]);
  return rows.map(present);
}
