import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Role } from './roles.ts';

export interface User {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
}

interface UserRow extends Record<string, unknown> {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
}

const toUser = (r: UserRow): User => ({ id: r.id, workspaceId: r.workspace_id, email: r.email, name: r.name, role: r.role });

export const minPasswordLength = 10;

export async function createUser(
  db: Queryable,
  input: { workspaceId: string; email: string; name: string; role: Role; password: string },
): Promise<User> {
  if (input.password.length < minPasswordLength) {
    throw new AppError('validation_failed', `password must be at least ${minPasswordLength} characters`);
  }
  const taken = await db.query(`SELECT 1 FROM app_user WHERE workspace_id = $1 AND lower(email) = lower($2)`, [input.workspaceId, input.email]);
  if (taken.length > 0) throw new AppError('conflict', `a user with email ${input.email} already exists in this workspace`);
  const id = randomUUID();
  const hash = await argon2.hash(input.password, { type: argon2.argon2id });
  await db.query(
    `INSERT INTO app_user (workspace_id, id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
    [input.workspaceId, id, input.email, input.name, input.role, hash],
  );
  return { id, workspaceId: input.workspaceId, email: input.email, name: input.name, role: input.role };
}

export async function findUser(db: Queryable, workspaceId: string, userId: string): Promise<User | null> {
  const rows = await db.query<UserRow>(
    `SELECT id, workspace_id, email, name, role, password_hash FROM app_user
     WHERE workspace_id = $1 AND id = $2 AND disabled_at IS NULL`,
    [workspaceId, userId],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function listUsers(db: Queryable, workspaceId: string): Promise<User[]> {
  const rows = await db.query<UserRow>(
    `SELECT id, workspace_id, email, name, role, password_hash FROM app_user
     WHERE workspace_id = $1 AND disabled_at IS NULL ORDER BY name`,
    [workspaceId],
  );
  return rows.map(toUser);
}

// Verifying against a fixed hash when the email is unknown keeps login time independent of whether it exists.
let decoyHash: Promise<string> | undefined;

/** Checks an email and password; a workspace slug narrows the search when one email is used in several workspaces. */
export async function verifyLogin(db: Queryable, email: string, password: string, workspaceSlug?: string): Promise<User | null> {
  const rows = await db.query<UserRow>(
    `SELECT u.id, u.workspace_id, u.email, u.name, u.role, u.password_hash FROM app_user u
     JOIN workspace w ON w.id = u.workspace_id
     WHERE lower(u.email) = lower($1) AND u.disabled_at IS NULL AND ($2::text IS NULL OR w.slug = $2)`,
    [email, workspaceSlug ?? null],
  );
  for (const row of rows) {
    if (row.password_hash && (await argon2.verify(row.password_hash, password))) return toUser(row);
  }
  if (rows.length === 0) {
    decoyHash ??= argon2.hash('decoy-password-for-timing', { type: argon2.argon2id });
    await argon2.verify(await decoyHash, password);
  }
  return null;
}
