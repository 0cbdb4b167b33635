import type { Db } from '../../platform/db/db.ts';
import { encryptSecret, inspectSecret } from '../../platform/crypto.ts';
import type { SecretKey } from '../../platform/crypto.ts';
import { listWorkspaceIdsAfter, lockSealedCredentials, replaceSealedCredentials } from './secrets.repository.ts';
import type { ChannelKey } from './secrets.repository.ts';

export interface UnreadableSecret extends ChannelKey {
  /** Why no key opens it; never any part of the secret. */
  reason: string;
}

export interface SecretRotationSummary {
  reEncrypted: number;
  alreadyCurrent: number;
  unreadable: UnreadableSecret[];
  batches: number;
}

export interface SecretRotationOptions {
  /** Channels per transaction. */
  batchSize?: number;
  /** Count only; write nothing. */
  dryRun?: boolean;
}

interface BatchResult {
  count: number;
  changed: number;
  current: number;
  unreadable: UnreadableSecret[];
  lastChannelId: string | null;
}

/**
 * Re-seals every stored channel credential under the current key, workspace by workspace, one transaction per batch.
 * A batch locks its rows, re-seals those under an older key (or the key-id-less v1 format) and commits, so an
 * interrupted run leaves each row sealed under either key — both readable while PARLEY_SECRET_KEY_PREVIOUS still lists
 * the old one — and a second run simply finds less to do. A secret no key opens is reported and left as it is.
 */
export async function rotateChannelSecrets(db: Db, key: SecretKey, options: SecretRotationOptions = {}): Promise<SecretRotationSummary> {
  const batchSize = options.batchSize ?? 200;
  const summary: SecretRotationSummary = { reEncrypted: 0, alreadyCurrent: 0, unreadable: [], batches: 0 };

  const rotateBatch = (workspaceId: string, after: string | null) =>
    db.transaction(async (tx): Promise<BatchResult> => {
      const rows = await lockSealedCredentials(tx, workspaceId, after, batchSize);
      const changes: Array<{ channelId: string; before: string; after: string }> = [];
      const unreadable: UnreadableSecret[] = [];
      let current = 0;
      for (const row of rows) {
        const inspected = inspectSecret(key, row.sealed);
        switch (inspected.state) {
          case 'current':
            current += 1;
            break;
          case 'stale':
            changes.push({ channelId: row.channelId, before: row.sealed, after: encryptSecret(key, inspected.plaintext) });
            break;
          case 'unreadable':
            unreadable.push({ workspaceId, channelId: row.channelId, reason: inspected.reason });
            break;
          default: {
            const unreachable: never = inspected;
            throw new Error(`unknown secret state ${JSON.stringify(unreachable)}`);
          }
        }
      }
      // The rows are locked, so every change applies; counting what the database changed keeps the summary honest.
      const changed = options.dryRun ? changes.length : await replaceSealedCredentials(tx, workspaceId, changes);
      return { count: rows.length, changed, current, unreadable, lastChannelId: rows.at(-1)?.channelId ?? null };
    });

  let afterWorkspace: string | null = null;
  for (;;) {
    const workspaceIds = await listWorkspaceIdsAfter(db, afterWorkspace, 100);
    for (const workspaceId of workspaceIds) {
      let afterChannel: string | null = null;
      for (;;) {
        const result = await rotateBatch(workspaceId, afterChannel);
        if (result.count === 0) break;
        summary.batches += 1;
        summary.reEncrypted += result.changed;
        summary.alreadyCurrent += result.current;
        summary.unreadable.push(...result.unreadable);
        if (result.count < batchSize) break;
        afterChannel = result.lastChannelId;
      }
    }
    if (workspaceIds.length < 100) break;
    afterWorkspace = workspaceIds[workspaceIds.length - 1];
  }
  return summary;
}
