import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import type { MergeMoved, MergeSource, MergeView } from './identity.types.ts';

export interface MergeParty {
  id: string;
  mergedIntoId: string | null;
  vulnerable: boolean;
  /** The customer's first contact: their earliest case, else when the customer record was made. */
  firstContactAt: Date;
}

export async function findMergeParties(tx: Queryable, workspaceId: string, ids: readonly string[]): Promise<MergeParty[]> {
  const rows = await tx.query<{ id: string; merged_into_id: string | null; vulnerable: boolean; first_contact_at: Date }>(
    `SELECT cu.id, cu.merged_into_id, cu.vulnerable,
       COALESCE((SELECT min(c.first_message_at) FROM cases c WHERE c.workspace_id = cu.workspace_id AND c.customer_id = cu.id),
                cu.created_at) AS first_contact_at
     FROM customer cu WHERE cu.workspace_id = $1 AND cu.id = ANY($2::uuid[])`,
    [workspaceId, ids],
  );
  return rows.map((r) => ({ id: r.id, mergedIntoId: r.merged_into_id, vulnerable: r.vulnerable, firstContactAt: r.first_contact_at }));
}

/** Moves everything of `absorbedId` to `survivorId` and returns exactly what moved. Both customers must be locked. */
export async function moveCustomerRecords(tx: Queryable, workspaceId: string, absorbedId: string, survivorId: string): Promise<Omit<MergeMoved, 'survivorWasVulnerable'>> {
  const params = [workspaceId, absorbedId, survivorId];
  const authors = await tx.query<{ id: string }>(
    `UPDATE author SET customer_id = $3, updated_at = now() WHERE workspace_id = $1 AND customer_id = $2 RETURNING id`,
    params,
  );
  const identities = await tx.query<{ id: string }>(
    `UPDATE customer_identity SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2 RETURNING id`,
    params,
  );
  const cases = await tx.query<{ id: string }>(
    `UPDATE cases SET customer_id = $3, updated_at = now() WHERE workspace_id = $1 AND customer_id = $2 RETURNING id`,
    params,
  );
  return { authorIds: authors.map((r) => r.id), identityIds: identities.map((r) => r.id), caseIds: cases.map((r) => r.id) };
}

/** Moves back exactly the rows a merge moved, where they still sit on the survivor. */
export async function restoreCustomerRecords(
  tx: Queryable,
  workspaceId: string,
  survivorId: string,
  absorbedId: string,
  moved: MergeMoved,
): Promise<{ authors: number; identities: number; cases: number }> {
  const authors = await tx.query(
    `UPDATE author SET customer_id = $3, updated_at = now() WHERE workspace_id = $1 AND customer_id = $2 AND id = ANY($4::uuid[]) RETURNING id`,
    [workspaceId, survivorId, absorbedId, moved.authorIds],
  );
  const identities = await tx.query(
    `UPDATE customer_identity SET customer_id = $3 WHERE workspace_id = $1 AND customer_id = $2 AND id = ANY($4::uuid[]) RETURNING id`,
    [workspaceId, survivorId, absorbedId, moved.identityIds],
  );
  const cases = await tx.query(
    `UPDATE cases SET customer_id = $3, updated_at = now() WHERE workspace_id = $1 AND customer_id = $2 AND id = ANY($4::uuid[]) RETURNING id`,
    [workspaceId, survivorId, absorbedId, moved.caseIds],
  );
  return { authors: authors.length, identities: identities.length, cases: cases.length };
}

export async function setMergedInto(tx: Queryable, workspaceId: string, customerId: string, survivorId: string | null): Promise<void> {
  await tx.query(`UPDATE customer SET merged_into_id = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, customerId, survivorId]);
}

export async function setVulnerableFlag(tx: Queryable, workspaceId: string, customerId: string, vulnerable: boolean): Promise<void> {
  await tx.query(`UPDATE customer SET vulnerable = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, customerId, vulnerable]);
}

export interface NewMerge {
  workspaceId: string;
  survivorId: string;
  absorbedId: string;
  source: MergeSource;
  reason: string;
  evidence: Record<string, unknown> | null;
  moved: MergeMoved;
  mergedBy: string | null;
}

export async function insertMerge(tx: Queryable, m: NewMerge): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO customer_merge (workspace_id, id, survivor_id, absorbed_id, source, reason, evidence, moved, merged_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [m.workspaceId, id, m.survivorId, m.absorbedId, m.source, m.reason, m.evidence ? JSON.stringify(m.evidence) : null,
      JSON.stringify(m.moved), m.mergedBy],
  );
  return id;
}

interface MergeRow extends Record<string, unknown> {
  id: string;
  survivor_id: string;
  absorbed_id: string;
  source: MergeSource;
  reason: string;
  moved: MergeMoved;
  merged_by: string | null;
  merged_at: Date;
  undone_at: Date | null;
  undone_by: string | null;
}

export interface StoredMerge extends MergeView {
  movedRows: MergeMoved;
}

function toStoredMerge(r: MergeRow): StoredMerge {
  return {
    id: r.id,
    survivorId: r.survivor_id,
    absorbedId: r.absorbed_id,
    source: r.source,
    reason: r.reason,
    moved: { authors: r.moved.authorIds.length, identities: r.moved.identityIds.length, cases: r.moved.caseIds.length },
    movedRows: r.moved,
    mergedBy: r.merged_by,
    mergedAt: r.merged_at.toISOString(),
    undoneAt: r.undone_at ? r.undone_at.toISOString() : null,
    undoneBy: r.undone_by,
  };
}

const mergeColumns = 'id, survivor_id, absorbed_id, source, reason, moved, merged_by, merged_at, undone_at, undone_by';

export async function findMerge(db: Queryable, workspaceId: string, mergeId: string, forUpdate = false): Promise<StoredMerge | null> {
  const rows = await db.query<MergeRow>(
    `SELECT ${mergeColumns} FROM customer_merge WHERE workspace_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [workspaceId, mergeId],
  );
  return rows[0] ? toStoredMerge(rows[0]) : null;
}

/** Merges the customer took part in, on either side, newest first. */
export async function listMergesOf(db: Queryable, workspaceId: string, customerId: string, limit = 50): Promise<MergeView[]> {
  const rows = await db.query<MergeRow>(
    `SELECT ${mergeColumns} FROM customer_merge WHERE workspace_id = $1 AND (survivor_id = $2 OR absorbed_id = $2)
     ORDER BY merged_at DESC, id LIMIT $3`,
    [workspaceId, customerId, limit],
  );
  return rows.map((r) => {
    const { movedRows: _movedRows, ...view } = toStoredMerge(r);
    return view;
  });
}

/** True when a supervisor once separated these two: evidence alone must not merge them again. */
export async function wasMergeUndone(db: Queryable, workspaceId: string, a: string, b: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM customer_merge WHERE workspace_id = $1 AND undone_at IS NOT NULL
       AND ((survivor_id = $2 AND absorbed_id = $3) OR (survivor_id = $3 AND absorbed_id = $2)) LIMIT 1`,
    [workspaceId, a, b],
  );
  return rows.length > 0;
}

export async function markMergeUndone(tx: Queryable, workspaceId: string, mergeId: string, userId: string): Promise<void> {
  await tx.query(`UPDATE customer_merge SET undone_at = now(), undone_by = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, mergeId, userId]);
}

/** Follows merged_into_id to the customer that holds everything now (bounded: chains are short and acyclic). */
export async function resolveLiveCustomerId(db: Queryable, workspaceId: string, customerId: string): Promise<string | null> {
  let current = customerId;
  for (let hop = 0; hop < 16; hop += 1) {
    const rows = await db.query<{ merged_into_id: string | null }>(
      `SELECT merged_into_id FROM customer WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, current],
    );
    if (!rows[0]) return null;
    if (!rows[0].merged_into_id) return current;
    current = rows[0].merged_into_id;
  }
  return null;
}
