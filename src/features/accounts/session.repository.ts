import crypto, { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { generateToken, hashToken } from '../../platform/crypto.ts';
import type { Principal, Role } from './roles.ts';

export const sessionLifetimeMs = 12 * 3_600_000;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** A new session always gets a new token, so a token planted before login is useless after it (no fixation). */
export async function createSession(db: Queryable, workspaceId: string, userId: string, now: Date): Promise<NewSession> {
  const token = generateToken('pss');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  await db.query(
    `INSERT INTO user_session (workspace_id, id, user_id, token_hash, csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [workspaceId, randomUUID(), userId, hashToken(token), csrfToken, expiresAt],
  );
  return { token, csrfToken, expiresAt };
}

export async function findSessionPrincipal(db: Queryable, token: string, now: Date): Promise<Principal | null> {
  const rows = await db.query<{ workspace_id: string; id: string; user_id: string; role: Role; csrf_token: string }>(
    `SELECT s.workspace_id, s.id, s.user_id, u.role, s.csrf_token FROM user_session s
     JOIN app_user u ON u.workspace_id = s.workspace_id AND u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [hashToken(token), now],
  );
  const row = rows[0];
  if (!row) return null;
  return { workspaceId: row.workspace_id, userId: row.user_id, role: row.role, via: 'session', sessionId: row.id, csrfToken: row.csrf_token };
}

export async function deleteSession(db: Queryable, workspaceId: string, sessionId: string): Promise<void> {
  await db.query(`DELETE FROM user_session WHERE workspace_id = $1 AND id = $2`, [workspaceId, sessionId]);
}
