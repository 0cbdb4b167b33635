import type { Queryable } from '../../platform/db/db.ts';
import type { ChannelKind } from './channel.types.ts';
import type { ConnectorHealth, SyncStage } from './connector.ts';

/**
 * A channel's sync state — cursor, stage, health, failure count, last success — as its listener writes it. The
 * supervisor's channel scan is the one query that crosses workspaces: it runs for the whole installation.
 */

export interface ChannelSyncRow {
  workspaceId: string;
  id: string;
  kind: ChannelKind;
  name: string;
  owned: boolean;
  config: Record<string, unknown>;
  credentialsEncrypted: string | null;
  syncCursor: string | null;
}

interface Row extends Record<string, unknown> {
  workspace_id: string;
  id: string;
  kind: ChannelKind;
  name: string;
  owned: boolean;
  config: Record<string, unknown>;
  credentials_encrypted: string | null;
  sync_cursor: string | null;
}

function present(row: Row): ChannelSyncRow {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    kind: row.kind,
    name: row.name,
    owned: row.owned,
    config: row.config,
    credentialsEncrypted: row.credentials_encrypted,
    syncCursor: row.sync_cursor,
  };
}

const columns = 'workspace_id, id, kind, name, owned, config, credentials_encrypted, sync_cursor';

/** Channels of these kinds in every workspace, unless their config says `"enabled": false`. */
export async function listListenChannels(db: Queryable, kinds: readonly string[]): Promise<ChannelSyncRow[]> {
  const rows = await db.query<Row>(
    `SELECT ${columns} FROM channel
     WHERE kind = ANY($1::text[]) AND coalesce(config->>'enabled', 'true') <> 'false'
       AND coalesce(config->>'mode', '') NOT IN ('api', 'webhook')
     ORDER BY workspace_id, created_at, id`,
    [[...kinds]],
  );
  return rows.map(present);
}

export async function findChannelSync(db: Queryable, workspaceId: string, channelId: string): Promise<ChannelSyncRow | null> {
  const rows = await db.query<Row>(`SELECT ${columns} FROM channel WHERE workspace_id = $1 AND id = $2`, [workspaceId, channelId]);
  return rows[0] ? present(rows[0]) : null;
}

export async function saveChannelCursor(db: Queryable, workspaceId: string, channelId: string, cursor: string): Promise<void> {
  await db.query('UPDATE channel SET sync_cursor = $3 WHERE workspace_id = $1 AND id = $2', [workspaceId, channelId, cursor]);
}

/** A short, safe sentence for `health_reason`. */
export function healthReasonOf(health: ConnectorHealth): string | null {
  switch (health.state) {
    case 'connected':
      return null;
    case 'lagging':
      return `${health.lagSeconds} s behind`;
    case 'failing':
      return `${health.reason}: ${health.message}`.slice(0, 500);
    default: {
      const unreachable: never = health;
      throw new Error(`unknown health ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Writes health and stage. Connected and lagging are successes (failure count reset, last success now); each
 * failing report counts one more consecutive failure.
 */
export async function recordChannelHealth(
  db: Queryable,
  workspaceId: string,
  channelId: string,
  health: ConnectorHealth | null,
  stage: SyncStage | null,
  at: Date,
): Promise<void> {
  if (health === null) {
    if (stage === null) return;
    await db.query('UPDATE channel SET sync_stage = $3, next_attempt_at = NULL WHERE workspace_id = $1 AND id = $2', [workspaceId, channelId, stage]);
    return;
  }
  const failing = health.state === 'failing';
  // A new report ends any wait: the listener is trying (or working) again; the next back-off sets a new time.
  await db.query(
    `UPDATE channel SET
       health = $3,
       health_reason = $4,
       next_attempt_at = NULL,
       sync_stage = coalesce($5, sync_stage),
       failure_count = CASE WHEN $6 THEN failure_count + 1 ELSE 0 END,
       last_success_at = CASE WHEN $6 THEN last_success_at ELSE $7 END
     WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, channelId, health.state, healthReasonOf(health), stage, failing, at],
  );
}

/** A failing listener is waiting out its back-off: it tries again at `at`. */
export async function recordChannelNextAttempt(db: Queryable, workspaceId: string, channelId: string, at: Date): Promise<void> {
  await db.query('UPDATE channel SET next_attempt_at = $3 WHERE workspace_id = $1 AND id = $2', [workspaceId, channelId, at]);
}

/** The listener stopped (shutdown, channel disabled): the channel shows idle until a listener picks it up again. */
export async function markChannelIdle(db: Queryable, workspaceId: string, channelId: string): Promise<void> {
  await db.query(
    `UPDATE channel SET health = 'idle', health_reason = NULL, next_attempt_at = NULL, sync_stage = 'stopped' WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, channelId],
  );
}
