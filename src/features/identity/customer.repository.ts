import type { Queryable } from '../../platform/db/db.ts';

export interface CustomerView {
  id: string;
  displayName: string;
  vulnerable: boolean;
  identities: { kind: string; platform: string; value: string; verified: boolean }[];
  authors: { platform: string; externalId: string; handle: string | null; displayName: string | null; followerCount: number | null }[];
}

export async function findCustomer(db: Queryable, workspaceId: string, customerId: string): Promise<CustomerView | null> {
  const rows = await db.query<{ id: string; display_name: string; vulnerable: boolean }>(
    `SELECT id, display_name, vulnerable FROM customer WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, customerId],
  );
  const customer = rows[0];
  if (!customer) return null;
  const identities = await db.query<{ kind: string; platform: string; value: string; verified: boolean }>(
    `SELECT kind, platform, value, verified FROM customer_identity WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at`,
    [workspaceId, customerId],
  );
  const authors = await db.query<{ platform: string; external_id: string; handle: string | null; display_name: string | null; follower_count: number | null }>(
    `SELECT platform, external_id, handle, display_name, follower_count FROM author WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at`,
    [workspaceId, customerId],
  );
  return {
    id: customer.id,
    displayName: customer.display_name,
    vulnerable: customer.vulnerable,
    identities,
    authors: authors.map((a) => ({
      platform: a.platform,
      externalId: a.external_id,
      handle: a.handle,
      displayName: a.display_name,
      followerCount: a.follower_count,
    })),
  };
}
