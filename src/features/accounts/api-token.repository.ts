import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { generateToken, hashToken } from '../../platform/crypto.ts';
import type { Principal, Role } from './roles.ts';

/** Creates an API token for a user; the token is shown once and only its hash is stored. */
export async function createApiToken(db: Queryable, workspaceId: string, userId: string, name: string): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = generateToken('pat');
  await db.query(`INSERT INTO api_token (workspace_id, id, user_id, name, token_hash) VALUES ($1, $2, $3, $4, $5)`, [
    workspaceId, id, userId, name, hashToken(token),
  ]);
  return { id, token };
}

export async function findTokenPrincipal(db: Queryable, token: string): Promise<Principal | null> {
  const rows = await db.query<{ workspace_id: string; user_id: string; role: Role }>(
    `UPDATE api_token t SET last_used_at = now() FROM app_user u
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.workspace_id = t.workspace_id AND u.id = t.user_id
       AND u.disabled_at IS NULL
     RETURNING t.workspace_id, t.user_id, u.role`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row ? { workspaceId: row.workspace_id, userId: row.user_id, role: row.role, via: 'token' } : null;
}
