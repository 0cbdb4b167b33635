import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';

export interface AuthorInput {
  platform: string;
  externalId: string;
  handle?: string | null;
  displayName?: string | null;
  followerCount?: number | null;
}

export interface ResolvedAuthor {
  authorId: string;
  customerId: string;
  created: boolean;
}

/** The identity kind an author's platform gives its customer: an address for email and phone, a handle otherwise. */
function identityKind(platform: string): 'email' | 'phone' | 'handle' {
  if (platform === 'email') return 'email';
  if (platform === 'phone') return 'phone';
  return 'handle';
}

/**
 * Finds the author by platform identity, or creates it with a new customer and that customer's first identity.
 * Profile fields are refreshed when the platform sends newer ones.
 */
export async function resolveAuthor(tx: Queryable, workspaceId: string, input: AuthorInput): Promise<ResolvedAuthor> {
  const existing = await tx.query<{ id: string; customer_id: string }>(
    `UPDATE author SET
       handle = COALESCE($4, handle),
       display_name = COALESCE($5, display_name),
       follower_count = COALESCE($6, follower_count),
       updated_at = now()
     WHERE workspace_id = $1 AND platform = $2 AND external_id = $3
     RETURNING id, customer_id`,
    [workspaceId, input.platform, input.externalId, input.handle ?? null, input.displayName ?? null, input.followerCount ?? null],
  );
  if (existing[0]) return { authorId: existing[0].id, customerId: existing[0].customer_id, created: false };

  const customerId = randomUUID();
  const authorId = randomUUID();
  const displayName = input.displayName || input.handle || input.externalId;
  await tx.query(`INSERT INTO customer (workspace_id, id, display_name) VALUES ($1, $2, $3)`, [workspaceId, customerId, displayName]);
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO author (workspace_id, id, platform, external_id, handle, display_name, follower_count, customer_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (workspace_id, platform, external_id) DO NOTHING RETURNING id`,
    [workspaceId, authorId, input.platform, input.externalId, input.handle ?? null, input.displayName ?? null, input.followerCount ?? null, customerId],
  );
  if (!inserted[0]) {
    // Another transaction created this author first; use theirs and drop the customer made for nothing.
    await tx.query(`DELETE FROM customer WHERE workspace_id = $1 AND id = $2`, [workspaceId, customerId]);
    return resolveAuthor(tx, workspaceId, input);
  }
  const kind = identityKind(input.platform);
  await tx.query(
    `INSERT INTO customer_identity (workspace_id, id, customer_id, kind, platform, value, verified)
     VALUES ($1, $2, $3, $4, $5, $6, true) ON CONFLICT (workspace_id, kind, platform, value) DO NOTHING`,
    [workspaceId, randomUUID(), customerId, kind, input.platform, kind === 'handle' ? input.externalId : input.externalId.toLowerCase()],
  );
  return { authorId, customerId, created: true };
}
