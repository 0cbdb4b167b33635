import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { appendEvent } from '../events/index.ts';
import { lockCustomer } from './customer-lock.repository.ts';
import { normalizeEmail, normalizePhone } from './evidence.extractor.ts';
import type { IdentityKind } from './identity.types.ts';

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
  /** True when this call created the author *and* a new customer for it (invisible to others until commit). */
  created: boolean;
}

/** The identity kind an author's platform gives its customer: an address for email and phone, a handle otherwise. */
function identityKind(platform: string): IdentityKind {
  if (platform === 'email') return 'email';
  if (platform === 'phone') return 'phone';
  return 'handle';
}

/** The stored identity value of an author: normalised for addresses so text evidence can match it exactly. */
export function identityValueOf(kind: IdentityKind, externalId: string): string {
  switch (kind) {
    case 'email':
      return normalizeEmail(externalId) ?? externalId.trim().toLowerCase();
    case 'phone':
      return normalizePhone(externalId) ?? externalId.trim();
    case 'handle':
      return externalId;
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

// An author changes customer only in a merge or an un-merge, both of which hold that customer's lock.
const maxResolveAttempts = 5;

/**
 * Finds the author by platform identity, or creates it, and returns it with its existing customer *locked* (the
 * pipeline's workspace:customer advisory lock), so a concurrent merge can never move the author between this lookup
 * and the message being threaded; a customer created here needs no lock until commit. A new email or phone author whose address a customer already gave joins that customer.
 * Profile fields are refreshed when the platform sends newer ones.
 */
export async function resolveAuthor(tx: Queryable, workspaceId: string, input: AuthorInput): Promise<ResolvedAuthor> {
  const held: string[] = [];
  for (let attempt = 0; attempt < maxResolveAttempts; attempt += 1) {
    const found = await tx.query<{ id: string; customer_id: string }>(
      `SELECT id, customer_id FROM author WHERE workspace_id = $1 AND platform = $2 AND external_id = $3`,
      [workspaceId, input.platform, input.externalId],
    );
    const author = found[0];
    if (!author) {
      const created = await createAuthor(tx, workspaceId, input, held);
      if (created) return created;
      continue;
    }
    if (!(await lockCustomer(tx, workspaceId, author.customer_id, held))) break;
    held.push(author.customer_id);
    // Checked and refreshed in one statement: if a merge moved the author while we waited, nothing is updated.
    const updated = await tx.query<{ id: string }>(
      `UPDATE author SET
         handle = COALESCE($5, handle),
         display_name = COALESCE($6, display_name),
         follower_count = COALESCE($7, follower_count),
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2 AND customer_id = $3 AND platform = $4
       RETURNING id`,
      [workspaceId, author.id, author.customer_id, input.platform, input.handle ?? null, input.displayName ?? null, input.followerCount ?? null],
    );
    if (updated[0]) return { authorId: author.id, customerId: author.customer_id, created: false };
  }
  throw new AppError('unavailable', 'this customer is being merged right now; retry the message');
}

async function createAuthor(tx: Queryable, workspaceId: string, input: AuthorInput, held: string[]): Promise<ResolvedAuthor | null> {
  const kind = identityKind(input.platform);
  const value = identityValueOf(kind, input.externalId);
  const authorId = randomUUID();
  if (kind !== 'handle') {
    const claimed = await joinClaimingCustomer(tx, workspaceId, input, { kind, value, authorId }, held);
    if (claimed !== 'unclaimed') return claimed;
  }
  const customerId = randomUUID();
  const displayName = input.displayName || input.handle || input.externalId;
  await tx.query(`INSERT INTO customer (workspace_id, id, display_name) VALUES ($1, $2, $3)`, [workspaceId, customerId, displayName]);
  // No lock needed: nobody else can see this customer until the transaction commits.
  const inserted = await insertAuthor(tx, workspaceId, authorId, input, customerId);
  if (!inserted) {
    // Another transaction created this author first; use theirs and drop the customer made for nothing.
    await tx.query(`DELETE FROM customer WHERE workspace_id = $1 AND id = $2`, [workspaceId, customerId]);
    return null;
  }
  await tx.query(
    `INSERT INTO customer_identity (workspace_id, id, customer_id, kind, platform, value, verified)
     VALUES ($1, $2, $3, $4, $5, $6, true) ON CONFLICT (workspace_id, kind, platform, value) DO NOTHING`,
    [workspaceId, randomUUID(), customerId, kind, kind === 'handle' ? input.platform : kind, value],
  );
  return { authorId, customerId, created: true };
}

/**
 * A first email from (or call from) an address some customer already gave in a message: the sender is that
 * customer, and the claim is now verified by the channel itself.
 */
async function joinClaimingCustomer(
  tx: Queryable,
  workspaceId: string,
  input: AuthorInput,
  identity: { kind: IdentityKind; value: string; authorId: string },
  held: string[],
): Promise<ResolvedAuthor | null | 'unclaimed'> {
  const holder = await tx.query<{ id: string; customer_id: string }>(
    `SELECT id, customer_id FROM customer_identity WHERE workspace_id = $1 AND kind = $2 AND platform = $2 AND value = $3`,
    [workspaceId, identity.kind, identity.value],
  );
  const claim = holder[0];
  if (!claim) return 'unclaimed';
  if (!(await lockCustomer(tx, workspaceId, claim.customer_id, held))) return 'unclaimed';
  held.push(claim.customer_id);
  const verified = await tx.query<{ id: string }>(
    `UPDATE customer_identity SET verified = true
     WHERE workspace_id = $1 AND id = $2 AND customer_id = $3 RETURNING id`,
    [workspaceId, claim.id, claim.customer_id],
  );
  // The claim moved in a merge while we waited for the lock: look again from the top.
  if (!verified[0]) return null;
  const inserted = await insertAuthor(tx, workspaceId, identity.authorId, input, claim.customer_id);
  if (!inserted) return null;
  await appendEvent(tx, {
    workspaceId,
    type: 'customer.identity_added',
    data: {
      customerId: claim.customer_id,
      identityId: claim.id,
      kind: identity.kind,
      verified: true,
      source: 'channel',
      authorId: identity.authorId,
    },
  });
  // Not `created`: the customer existed, and the pipeline threads into their open cases as usual.
  return { authorId: identity.authorId, customerId: claim.customer_id, created: false };
}

async function insertAuthor(tx: Queryable, workspaceId: string, authorId: string, input: AuthorInput, customerId: string): Promise<boolean> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO author (workspace_id, id, platform, external_id, handle, display_name, follower_count, customer_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (workspace_id, platform, external_id) DO NOTHING RETURNING id`,
    [workspaceId, authorId, input.platform, input.externalId, input.handle ?? null, input.displayName ?? null, input.followerCount ?? null, customerId],
  );
  return inserted.length > 0;
}
