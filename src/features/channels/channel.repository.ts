import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { encryptSecret, generateToken, hashToken } from '../../platform/crypto.ts';
import type { ChannelHealth, ChannelKind, ChannelView } from './channel.types.ts';

interface ChannelRow extends Record<string, unknown> {
  workspace_id: string;
  id: string;
  kind: ChannelKind;
  name: string;
  owned: boolean;
  config: Record<string, unknown>;
  credentials_encrypted: string | null;
  health: ChannelHealth;
  health_reason: string | null;
  next_attempt_at: Date | null;
  last_success_at: Date | null;
  failure_count: number;
  created_at: Date;
}

const columns = `workspace_id, id, kind, name, owned, config, credentials_encrypted, health, health_reason, next_attempt_at,
  last_success_at, failure_count, created_at`;

function present(row: ChannelRow): ChannelView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    owned: row.owned,
    config: row.config,
    hasCredentials: row.credentials_encrypted !== null,
    health: row.health,
    healthReason: row.health_reason,
    nextAttemptAt: row.next_attempt_at ? row.next_attempt_at.toISOString() : null,
    lastSuccessAt: row.last_success_at ? row.last_success_at.toISOString() : null,
    failureCount: Number(row.failure_count),
    createdAt: row.created_at.toISOString(),
  };
}

export interface NewChannel {
  workspaceId: string;
  kind: ChannelKind;
  name: string;
  owned?: boolean;
  config?: Record<string, unknown>;
  credentials?: Record<string, string>;
}

/** Creates a channel and its ingest token; the token is returned once and only its hash is kept. */
export async function createChannel(db: Queryable, secretKey: Buffer, input: NewChannel): Promise<{ channel: ChannelView; token: string }> {
  const token = generateToken('pch');
  const sealed = input.credentials ? encryptSecret(secretKey, JSON.stringify(input.credentials)) : null;
  const rows = await db.query<ChannelRow>(
    `INSERT INTO channel (workspace_id, id, kind, name, owned, config, credentials_encrypted, token_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${columns}`,
    [input.workspaceId, randomUUID(), input.kind, input.name, input.owned ?? true, JSON.stringify(input.config ?? {}), sealed, hashToken(token)],
  );
  return { channel: present(rows[0]), token };
}

export async function findChannel(db: Queryable, workspaceId: string, channelId: string): Promise<ChannelView | null> {
  const rows = await db.query<ChannelRow>(`SELECT ${columns} FROM channel WHERE workspace_id = $1 AND id = $2`, [workspaceId, channelId]);
  return rows[0] ? present(rows[0]) : null;
}

export async function listChannels(db: Queryable, workspaceId: string): Promise<ChannelView[]> {
  const rows = await db.query<ChannelRow>(`SELECT ${columns} FROM channel WHERE workspace_id = $1 ORDER BY created_at, id`, [workspaceId]);
  return rows.map(present);
}

/** The channel a token opens, or null; used to authenticate ingest calls. */
export async function findChannelByToken(db: Queryable, token: string): Promise<(ChannelView & { workspaceId: string }) | null> {
  const rows = await db.query<ChannelRow>(`SELECT ${columns} FROM channel WHERE token_hash = $1`, [hashToken(token)]);
  return rows[0] ? { ...present(rows[0]), workspaceId: rows[0].workspace_id } : null;
}

/** Replaces a channel's ingest token; the old one stops working at once. */
export async function rotateChannelToken(db: Queryable, workspaceId: string, channelId: string): Promise<string | null> {
  const token = generateToken('pch');
  const rows = await db.query(`UPDATE channel SET token_hash = $3 WHERE workspace_id = $1 AND id = $2 RETURNING id`, [
    workspaceId, channelId, hashToken(token),
  ]);
  return rows.length > 0 ? token : null;
}

/**
 * A channel named by id alone, for the public entry points that carry only the id in their URL (webhooks, the web
 * form): the channel, its workspace and its sealed credentials, or null.
 */
export async function findChannelForWebhook(
  db: Queryable,
  channelId: string,
): Promise<{ channel: ChannelView & { workspaceId: string }; credentialsEncrypted: string | null } | null> {
  const rows = await db.query<ChannelRow>(`SELECT ${columns} FROM channel WHERE id = $1`, [channelId]);
  const row = rows[0];
  return row ? { channel: { ...present(row), workspaceId: row.workspace_id }, credentialsEncrypted: row.credentials_encrypted } : null;
}
