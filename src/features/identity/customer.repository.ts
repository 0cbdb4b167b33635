import type { Queryable } from '../../platform/db/db.ts';
import type { AuthorView, CaseHistoryItem } from './identity.types.ts';

export interface CustomerView {
  id: string;
  displayName: string;
  vulnerable: boolean;
  identities: { kind: string; platform: string; value: string; verified: boolean }[];
  authors: { platform: string; externalId: string; handle: string | null; displayName: string | null; followerCount: number | null }[];
}

export interface CustomerRecord {
  id: string;
  displayName: string;
  vulnerable: boolean;
  vulnerableNote: string | null;
  mergedIntoId: string | null;
  createdAt: string;
}

export async function findCustomerRecord(db: Queryable, workspaceId: string, customerId: string, forUpdate = false): Promise<CustomerRecord | null> {
  const rows = await db.query<{ id: string; display_name: string; vulnerable: boolean; vulnerable_note: string | null; merged_into_id: string | null; created_at: Date }>(
    `SELECT id, display_name, vulnerable, vulnerable_note, merged_into_id, created_at FROM customer
     WHERE workspace_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [workspaceId, customerId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    displayName: r.display_name,
    vulnerable: r.vulnerable,
    vulnerableNote: r.vulnerable_note,
    mergedIntoId: r.merged_into_id,
    createdAt: r.created_at.toISOString(),
  };
}

/** The customer card of a case: name, flag, identities and platform accounts. */
export async function findCustomer(db: Queryable, workspaceId: string, customerId: string): Promise<CustomerView | null> {
  const customer = await findCustomerRecord(db, workspaceId, customerId);
  if (!customer) return null;
  const identities = await db.query<{ kind: string; platform: string; value: string; verified: boolean }>(
    `SELECT kind, platform, value, verified FROM customer_identity WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at, id`,
    [workspaceId, customerId],
  );
  const authors = await listAuthors(db, workspaceId, customerId);
  return {
    id: customer.id,
    displayName: customer.displayName,
    vulnerable: customer.vulnerable,
    identities,
    authors: authors.map(({ id: _id, ...author }) => author),
  };
}

export async function listAuthors(db: Queryable, workspaceId: string, customerId: string): Promise<AuthorView[]> {
  const rows = await db.query<{ id: string; platform: string; external_id: string; handle: string | null; display_name: string | null; follower_count: number | null }>(
    `SELECT id, platform, external_id, handle, display_name, follower_count FROM author
     WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at, id`,
    [workspaceId, customerId],
  );
  return rows.map((a) => ({
    id: a.id,
    platform: a.platform,
    externalId: a.external_id,
    handle: a.handle,
    displayName: a.display_name,
    followerCount: a.follower_count,
  }));
}

/** The customer's cases on every channel, newest first. */
export async function listCaseHistory(db: Queryable, workspaceId: string, customerId: string, limit = 200): Promise<CaseHistoryItem[]> {
  const rows = await db.query<{
    id: string;
    status: string;
    priority: string;
    severity: string;
    channel_id: string;
    channel_kind: string;
    channel_name: string;
    subject: string;
    first_message_at: Date;
    last_message_at: Date;
    first_responded_at: Date | null;
    resolved_at: Date | null;
  }>(
    `SELECT c.id, c.status, c.priority, c.severity, c.channel_id, c.channel_kind, ch.name AS channel_name, c.subject,
       c.first_message_at, c.last_message_at, c.first_responded_at, c.resolved_at
     FROM cases c JOIN channel ch ON ch.workspace_id = c.workspace_id AND ch.id = c.channel_id
     WHERE c.workspace_id = $1 AND c.customer_id = $2
     ORDER BY c.last_message_at DESC, c.id LIMIT $3`,
    [workspaceId, customerId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    priority: r.priority,
    severity: r.severity,
    channel: { id: r.channel_id, kind: r.channel_kind, name: r.channel_name },
    subject: r.subject,
    firstMessageAt: r.first_message_at.toISOString(),
    lastMessageAt: r.last_message_at.toISOString(),
    firstRespondedAt: r.first_responded_at ? r.first_responded_at.toISOString() : null,
    resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
  }));
}

export interface CustomerListItem {
  id: string;
  displayName: string;
  vulnerable: boolean;
  identities: { kind: string; platform: string; value: string; verified: boolean }[];
}

/** Position in the search order (name, then id). */
export interface CustomerCursor {
  name: string;
  id: string;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Live customers whose name, platform handle or identity value contains `q` (case-insensitive), or whose phone
 * identity is exactly `phone`, ordered by name with keyset pagination.
 */
export async function searchCustomers(
  db: Queryable,
  workspaceId: string,
  filter: { q: string | null; phone: string | null; after: CustomerCursor | null; limit: number },
): Promise<(CustomerListItem & { sortName: string })[]> {
  const params: unknown[] = [workspaceId, filter.limit];
  const where = ['cu.workspace_id = $1', 'cu.merged_into_id IS NULL'];
  if (filter.q) {
    params.push(likePattern(filter.q));
    const like = `$${params.length}`;
    const alternatives = [
      `cu.display_name ILIKE ${like}`,
      `EXISTS (SELECT 1 FROM customer_identity i WHERE i.workspace_id = cu.workspace_id AND i.customer_id = cu.id AND i.value ILIKE ${like})`,
      `EXISTS (SELECT 1 FROM author a WHERE a.workspace_id = cu.workspace_id AND a.customer_id = cu.id
         AND (a.handle ILIKE ${like} OR a.display_name ILIKE ${like}))`,
    ];
    if (filter.phone) {
      params.push(filter.phone);
      alternatives.push(`EXISTS (SELECT 1 FROM customer_identity i WHERE i.workspace_id = cu.workspace_id AND i.customer_id = cu.id
         AND i.kind = 'phone' AND i.platform = 'phone' AND i.value = $${params.length})`);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  if (filter.after) {
    params.push(filter.after.name, filter.after.id);
    where.push(`(lower(cu.display_name), cu.id) > ($${params.length - 1}::text, $${params.length}::uuid)`);
  }
  const rows = await db.query<{ id: string; display_name: string; sort_name: string; vulnerable: boolean; identities: CustomerListItem['identities'] | null }>(
    `SELECT cu.id, cu.display_name, lower(cu.display_name) AS sort_name, cu.vulnerable,
       (SELECT json_agg(json_build_object('kind', i.kind, 'platform', i.platform, 'value', i.value, 'verified', i.verified)
                        ORDER BY i.created_at, i.id)
          FROM customer_identity i WHERE i.workspace_id = cu.workspace_id AND i.customer_id = cu.id) AS identities
     FROM customer cu WHERE ${where.join(' AND ')}
     ORDER BY lower(cu.display_name), cu.id LIMIT $2`,
    params,
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, sortName: r.sort_name, vulnerable: r.vulnerable, identities: r.identities ?? [] }));
}

export async function updateVulnerable(
  tx: Queryable,
  workspaceId: string,
  customerId: string,
  change: { vulnerable: boolean; note: string | null },
): Promise<void> {
  await tx.query(`UPDATE customer SET vulnerable = $3, vulnerable_note = $4 WHERE workspace_id = $1 AND id = $2`, [
    workspaceId,
    customerId,
    change.vulnerable,
    change.note,
  ]);
}
