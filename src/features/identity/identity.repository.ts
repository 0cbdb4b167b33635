import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import type {
  IdentityKind,
  IdentityView,
  SuggestionEvidence,
  SuggestionKind,
  SuggestionStatus,
  SuggestionView,
} from './identity.types.ts';

export interface IdentityHolder {
  identityId: string;
  customerId: string;
  verified: boolean;
}

/** Who holds an identity value; identities always sit on live customers (a merge moves them to the survivor). */
export async function findIdentityHolder(
  db: Queryable,
  workspaceId: string,
  identity: { kind: IdentityKind; platform: string; value: string },
): Promise<IdentityHolder | null> {
  const rows = await db.query<{ id: string; customer_id: string; verified: boolean }>(
    `SELECT id, customer_id, verified FROM customer_identity WHERE workspace_id = $1 AND kind = $2 AND platform = $3 AND value = $4`,
    [workspaceId, identity.kind, identity.platform, identity.value],
  );
  const row = rows[0];
  return row ? { identityId: row.id, customerId: row.customer_id, verified: row.verified } : null;
}

/** Adds an identity unless the value is already held; returns its id, or null when someone holds it. */
export async function insertIdentity(
  tx: Queryable,
  workspaceId: string,
  customerId: string,
  identity: { kind: IdentityKind; platform: string; value: string; verified: boolean },
): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO customer_identity (workspace_id, id, customer_id, kind, platform, value, verified)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (workspace_id, kind, platform, value) DO NOTHING RETURNING id`,
    [workspaceId, randomUUID(), customerId, identity.kind, identity.platform, identity.value, identity.verified],
  );
  return rows[0]?.id ?? null;
}

export async function verifyIdentity(tx: Queryable, workspaceId: string, identityId: string): Promise<void> {
  await tx.query(`UPDATE customer_identity SET verified = true WHERE workspace_id = $1 AND id = $2`, [workspaceId, identityId]);
}

export async function listIdentities(db: Queryable, workspaceId: string, customerId: string): Promise<IdentityView[]> {
  const rows = await db.query<{ id: string; kind: IdentityKind; platform: string; value: string; verified: boolean; created_at: Date }>(
    `SELECT id, kind, platform, value, verified, created_at FROM customer_identity
     WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at, id`,
    [workspaceId, customerId],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, platform: r.platform, value: r.value, verified: r.verified, createdAt: r.created_at.toISOString() }));
}

export async function findAuthorProfile(
  db: Queryable,
  workspaceId: string,
  authorId: string,
): Promise<{ platform: string; handle: string | null; displayName: string | null } | null> {
  const rows = await db.query<{ platform: string; handle: string | null; display_name: string | null }>(
    `SELECT platform, handle, display_name FROM author WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, authorId],
  );
  const r = rows[0];
  return r ? { platform: r.platform, handle: r.handle, displayName: r.display_name } : null;
}

/** The workspace's region for phone numbers written in national format (settings.phoneRegion, e.g. "GB"). */
export async function findPhoneRegionSetting(db: Queryable, workspaceId: string): Promise<unknown> {
  const rows = await db.query<{ region: unknown }>(`SELECT settings->>'phoneRegion' AS region FROM workspace WHERE id = $1`, [workspaceId]);
  return rows[0]?.region ?? null;
}

// Must stay identical to the index expressions in migrations/0007_customer_links.sql.
const displayNameKey = (column: string) => `lower(btrim(${column}))`;
const handleKey = (column: string) =>
  `regexp_replace(split_part(split_part(ltrim(lower(${column}), '@'), '@', 1), '.', 1), '[^a-z0-9]', '', 'g')`;

/**
 * Live customers (other than `customerId`) with an author on another platform that has the same display name or
 * handle stem. At most `limit` are returned, so the caller can tell a distinctive match from a common name.
 */
export async function findProfileLookalikes(
  db: Queryable,
  workspaceId: string,
  input: { customerId: string; platform: string; match: 'display_name' | 'handle'; value: string; limit: number },
): Promise<{ customerId: string; displayName: string }[]> {
  const key = input.match === 'display_name' ? displayNameKey : handleKey;
  const minLength = input.match === 'display_name' ? 5 : 4;
  const rows = await db.query<{ customer_id: string; display_name: string }>(
    `WITH wanted AS (SELECT ${key('$2::text')} AS k)
     SELECT DISTINCT cu.id AS customer_id, cu.display_name
     FROM wanted, author a
     JOIN customer cu ON cu.workspace_id = a.workspace_id AND cu.id = a.customer_id AND cu.merged_into_id IS NULL
     WHERE a.workspace_id = $1 AND length(wanted.k) >= $5 AND ${key('a.' + (input.match === 'display_name' ? 'display_name' : 'handle'))} = wanted.k
       AND a.platform <> $3 AND a.customer_id <> $4
     LIMIT $6`,
    [workspaceId, input.value, input.platform, input.customerId, minLength, input.limit],
  );
  return rows.map((r) => ({ customerId: r.customer_id, displayName: r.display_name }));
}

/** Live customers whose display name is exactly this name (case-insensitive), at most `limit`. */
export async function findCustomersNamed(
  db: Queryable,
  workspaceId: string,
  input: { name: string; exceptCustomerId: string; limit: number },
): Promise<{ customerId: string; displayName: string }[]> {
  const rows = await db.query<{ id: string; display_name: string }>(
    `SELECT id, display_name FROM customer
     WHERE workspace_id = $1 AND merged_into_id IS NULL AND lower(display_name) = lower($2) AND id <> $3
     ORDER BY id LIMIT $4`,
    [workspaceId, input.name.trim(), input.exceptCustomerId, input.limit],
  );
  return rows.map((r) => ({ customerId: r.id, displayName: r.display_name }));
}

export interface NewSuggestion {
  workspaceId: string;
  customerId: string;
  kind: SuggestionKind;
  otherCustomerId?: string;
  identity?: { kind: IdentityKind; platform: string; value: string };
  evidence: SuggestionEvidence;
  detail: string;
  messageId?: string | null;
}

/** One suggestion per pair (or per customer and claimed value): a dismissed one is never raised again. */
export function suggestionKey(s: Pick<NewSuggestion, 'customerId' | 'kind' | 'otherCustomerId' | 'identity'>): string {
  if (s.kind === 'merge' && s.otherCustomerId) {
    const [a, b] = [s.customerId, s.otherCustomerId].sort();
    return `merge:${a}:${b}`;
  }
  return `identity:${s.customerId}:${s.identity?.kind}:${s.identity?.platform}:${s.identity?.value}`;
}

export async function insertSuggestion(tx: Queryable, s: NewSuggestion): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO identity_suggestion (workspace_id, id, customer_id, kind, other_customer_id, identity_kind, identity_platform,
       identity_value, evidence, detail, message_id, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING id`,
    [s.workspaceId, randomUUID(), s.customerId, s.kind, s.otherCustomerId ?? null, s.identity?.kind ?? null, s.identity?.platform ?? null,
      s.identity?.value ?? null, s.evidence, s.detail.slice(0, 500), s.messageId ?? null, suggestionKey(s)],
  );
  return rows.length > 0;
}

interface SuggestionRow extends Record<string, unknown> {
  id: string;
  customer_id: string;
  customer_name: string;
  kind: SuggestionKind;
  other_customer_id: string | null;
  other_name: string | null;
  identity_kind: IdentityKind | null;
  identity_platform: string | null;
  identity_value: string | null;
  evidence: SuggestionEvidence;
  detail: string;
  message_id: string | null;
  status: SuggestionStatus;
  created_at: Date;
  decided_at: Date | null;
}

const suggestionSelect = `SELECT s.id, s.customer_id, me.display_name AS customer_name, s.kind, s.other_customer_id,
    o.display_name AS other_name, s.identity_kind, s.identity_platform, s.identity_value, s.evidence, s.detail, s.message_id,
    s.status, s.created_at, s.decided_at
  FROM identity_suggestion s
  JOIN customer me ON me.workspace_id = s.workspace_id AND me.id = s.customer_id
  LEFT JOIN customer o ON o.workspace_id = s.workspace_id AND o.id = s.other_customer_id`;

function toSuggestionView(r: SuggestionRow, perspective?: string): SuggestionView {
  // Seen from the other customer's page, the pair reads the other way round.
  const flipped = perspective !== undefined && r.other_customer_id === perspective;
  let otherCustomer: SuggestionView['otherCustomer'] = null;
  if (r.other_customer_id) {
    otherCustomer = flipped
      ? { id: r.customer_id, displayName: r.customer_name }
      : { id: r.other_customer_id, displayName: r.other_name ?? '' };
  }
  return {
    id: r.id,
    customerId: flipped ? r.other_customer_id ?? r.customer_id : r.customer_id,
    kind: r.kind,
    otherCustomer,
    identity:
      r.identity_kind && r.identity_platform && r.identity_value !== null
        ? { kind: r.identity_kind, platform: r.identity_platform, value: r.identity_value }
        : null,
    evidence: r.evidence,
    detail: r.detail,
    messageId: r.message_id,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
  };
}

/** Suggestions that involve the customer on either side, newest first. */
export async function listSuggestions(
  db: Queryable,
  workspaceId: string,
  customerId: string,
  status: SuggestionStatus | 'all',
  limit = 100,
): Promise<SuggestionView[]> {
  const rows = await db.query<SuggestionRow>(
    `${suggestionSelect}
     WHERE s.workspace_id = $1 AND (s.customer_id = $2 OR s.other_customer_id = $2) AND ($3::text = 'all' OR s.status = $3::text)
     ORDER BY s.created_at DESC, s.id LIMIT $4`,
    [workspaceId, customerId, status, limit],
  );
  return rows.map((r) => toSuggestionView(r, customerId));
}

export async function findSuggestion(db: Queryable, workspaceId: string, suggestionId: string, forUpdate = false): Promise<SuggestionView | null> {
  const rows = await db.query<SuggestionRow>(
    `${suggestionSelect} WHERE s.workspace_id = $1 AND s.id = $2 ${forUpdate ? 'FOR UPDATE OF s' : ''}`,
    [workspaceId, suggestionId],
  );
  return rows[0] ? toSuggestionView(rows[0]) : null;
}

export async function decideSuggestion(
  tx: Queryable,
  workspaceId: string,
  suggestionId: string,
  decision: { status: 'accepted' | 'dismissed'; userId: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE identity_suggestion SET status = $3, decided_by = $4, decided_at = now() WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, suggestionId, decision.status, decision.userId],
  );
}

/** Open merge suggestions between two customers are settled when the two are merged, however that happened. */
export async function acceptPairSuggestions(tx: Queryable, workspaceId: string, a: string, b: string, userId: string | null): Promise<void> {
  await tx.query(
    `UPDATE identity_suggestion SET status = 'accepted', decided_by = $3, decided_at = now()
     WHERE workspace_id = $1 AND dedupe_key = $2 AND status = 'open'`,
    [workspaceId, suggestionKey({ customerId: a, otherCustomerId: b, kind: 'merge' }), userId],
  );
}
