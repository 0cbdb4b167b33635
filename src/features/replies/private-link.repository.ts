import type { Queryable } from '../../platform/db/db.ts';

/** Secure links to private conversations, and where else a case's conversation can go private. */

export interface NewPrivateLink {
  workspaceId: string;
  id: string;
  caseId: string;
  channelId: string;
  tokenHash: string;
  introText: string | null;
  createdBy: string | null;
  at: Date;
  expiresAt: Date;
}

export async function insertPrivateLink(tx: Queryable, link: NewPrivateLink): Promise<void> {
  await tx.query(
    `INSERT INTO private_link (workspace_id, id, case_id, channel_id, token_hash, intro_text, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [link.workspaceId, link.id, link.caseId, link.channelId, link.tokenHash, link.introText, link.createdBy, link.at, link.expiresAt],
  );
}

export interface PrivateLinkRow extends Record<string, unknown> {
  workspace_id: string;
  id: string;
  case_id: string;
  channel_id: string;
  intro_text: string | null;
  expires_at: Date;
  channel_kind: string;
  channel_name: string;
  channel_owned: boolean;
  channel_config: Record<string, unknown>;
}

/** The link a token's hash names, with its channel: the one lookup that crosses workspaces (a public page). */
export async function findPrivateLinkByTokenHash(db: Queryable, tokenHash: string): Promise<PrivateLinkRow | null> {
  const rows = await db.query<PrivateLinkRow>(
    `SELECT l.workspace_id, l.id, l.case_id, l.channel_id, l.intro_text, l.expires_at, ch.kind AS channel_kind, ch.name AS channel_name,
       ch.owned AS channel_owned, ch.config AS channel_config
     FROM private_link l JOIN channel ch ON ch.workspace_id = l.workspace_id AND ch.id = l.channel_id
     WHERE l.token_hash = $1`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function markPrivateLinkUsed(tx: Queryable, workspaceId: string, linkId: string, at: Date): Promise<void> {
  await tx.query(`UPDATE private_link SET use_count = use_count + 1, last_used_at = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, linkId, at]);
}

/**
 * The customer's email address for a private answer: a verified one first (the customer wrote from it, or an agent
 * recorded it), else the newest they gave in a message of their own.
 */
export async function findCaseCustomerEmail(db: Queryable, workspaceId: string, caseId: string): Promise<{ identityId: string; address: string } | null> {
  const rows = await db.query<{ id: string; value: string }>(
    `SELECT ci.id, ci.value FROM cases c
     JOIN customer_identity ci ON ci.workspace_id = c.workspace_id AND ci.customer_id = c.customer_id
     WHERE c.workspace_id = $1 AND c.id = $2 AND ci.kind = 'email'
     ORDER BY ci.verified DESC, ci.created_at DESC, ci.id LIMIT 1`,
    [workspaceId, caseId],
  );
  const row = rows[0];
  return row ? { identityId: row.id, address: row.value } : null;
}

export interface PrivateChannel extends Record<string, unknown> {
  id: string;
  name: string;
  config: Record<string, unknown>;
}

/**
 * The workspace's oldest enabled channel of this kind: where private email or link conversations go. An email
 * channel must be able to send (SMTP settings); a web form hosts the link's page and emails its answers.
 */
export async function findFirstEnabledChannel(db: Queryable, workspaceId: string, kind: 'email' | 'webform'): Promise<PrivateChannel | null> {
  const rows = await db.query<PrivateChannel>(
    `SELECT id, name, config FROM channel
     WHERE workspace_id = $1 AND kind = $2 AND coalesce(config->>'enabled', 'true') <> 'false'
       AND (kind <> 'email' OR config->'smtp' IS NOT NULL)
     ORDER BY created_at, id LIMIT 1`,
    [workspaceId, kind],
  );
  return rows[0] ?? null;
}
