import type { Queryable } from '../../platform/db/db.ts';

/** What priority and escalation need to know about the customer behind a case. */
export interface CustomerFacts {
  vulnerable: boolean;
  /** The largest follower count among the customer's authors (null: no platform reports one, e.g. phone). */
  followers: number | null;
  /** The customer's stored inbound messages sent within (since, until]. */
  recentContacts: number;
}

export async function loadCustomerFacts(db: Queryable, workspaceId: string, customerId: string, since: Date, until: Date): Promise<CustomerFacts> {
  const rows = await db.query<{ vulnerable: boolean; followers: number | null; contacts: number | string }>(
    `SELECT cu.vulnerable,
       (SELECT max(a.follower_count) FROM author a WHERE a.workspace_id = cu.workspace_id AND a.customer_id = cu.id) AS followers,
       (SELECT count(*) FROM author a JOIN message m ON m.workspace_id = a.workspace_id AND m.author_id = a.id
          WHERE a.workspace_id = cu.workspace_id AND a.customer_id = cu.id AND m.direction = 'inbound'
            AND m.sent_at > $3 AND m.sent_at <= $4) AS contacts
     FROM customer cu WHERE cu.workspace_id = $1 AND cu.id = $2`,
    [workspaceId, customerId, since, until],
  );
  const row = rows[0];
  if (!row) return { vulnerable: false, followers: null, recentContacts: 0 };
  return { vulnerable: row.vulnerable, followers: row.followers === null ? null : Number(row.followers), recentContacts: Number(row.contacts) };
}
