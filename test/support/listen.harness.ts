import crypto from 'node:crypto';
import { openDatabase } from '../../src/platform/db/db.ts';
import type { Db } from '../../src/platform/db/db.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createWorkspace } from '../../src/features/accounts/index.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import type { ChannelKind, ChannelView } from '../../src/features/channels/index.ts';
import type { ConnectorHealth, ReceiveContext, StreamRule, SyncStage, Timers } from '../../src/features/channels/connector.ts';
import { ingestMessage } from '../../src/features/ingest/index.ts';
import type { IngestDeps } from '../../src/features/ingest/index.ts';
import { createBaselineClassifier } from '../../src/features/classification/index.ts';
import { createPassThroughMatcher } from '../../src/features/listening/index.ts';
import { createEventNotifier } from '../../src/features/events/index.ts';

// The lexicon baseline: listener tests check what reaches ingest, not how a (retrained) model labels it.
const listenerTestClassifier = createBaselineClassifier();

/** One in-memory database per test file: PGlite takes seconds to boot, a workspace per test keeps tests apart. */
export async function openMigratedMemoryDb(): Promise<Db> {
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  return db;
}

/** Sleeps shortened by `factor` (and capped), remembering what was asked: back-off is asserted, not waited for. */
export function scaledTimers(factor = 1_000, capMs = 200): Timers & { requested: number[] } {
  const requested: number[] = [];
  return {
    requested,
    sleep(ms, signal) {
      requested.push(ms);
      return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(done, Math.min(capMs, Math.max(1, ms / factor)));
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}

export interface StoredMessage {
  externalId: string;
  text: string;
  replyToExternalId: string | null;
  sentAt: Date;
  raw: Record<string, unknown> | null;
  authorExternalId: string | null;
  authorHandle: string | null;
}

export interface ListenHarness {
  db: Db;
  deps: IngestDeps;
  secretKey: Buffer;
  workspaceId: string;
  channel: ChannelView;
  /** A receive context over this channel; `reports` and `cursors` record what the connector said. */
  context(options?: { cursor?: string | null; timers?: Timers; clock?: Clock; rules?: StreamRule[] | null; config?: Record<string, unknown> }): ReceiveContext & {
    reports: Array<{ health: ConnectorHealth | null; stage: SyncStage | undefined }>;
    cursors: string[];
  };
  messages(): Promise<StoredMessage[]>;
  storedCursor(): Promise<string | null>;
  close(): Promise<void>;
}

export async function createListenHarness(input: {
  kind: ChannelKind;
  config: Record<string, unknown>;
  owned?: boolean;
  credentials?: Record<string, string>;
  db?: Db;
}): Promise<ListenHarness> {
  const db = input.db ?? (await openDatabase({ dataDir: 'memory://' }));
  if (!input.db) await migrate(db);
  const secretKey = crypto.randomBytes(32);
  const workspace = await createWorkspace(db, { slug: `ws-${crypto.randomUUID().slice(0, 8)}`, name: 'Listening test' });
  const { channel } = await createChannel(db, secretKey, {
    workspaceId: workspace.id, kind: input.kind, name: `${input.kind} listener`, owned: input.owned ?? false, config: input.config,
    credentials: input.credentials,
  });
  const deps: IngestDeps = {
    db, classifier: listenerTestClassifier, matcher: createPassThroughMatcher(), clock: systemClock, notifier: createEventNotifier(), threadWindowHours: 72,
  };
  const logger = createLogger('silent');
  const target = { workspaceId: workspace.id, id: channel.id, kind: channel.kind, owned: channel.owned };

  return {
    db, deps, secretKey, workspaceId: workspace.id, channel,
    context(options = {}) {
      const reports: Array<{ health: ConnectorHealth | null; stage: SyncStage | undefined }> = [];
      const cursors: string[] = [];
      return {
        channel: {
          workspaceId: workspace.id, id: channel.id, kind: channel.kind, name: channel.name, owned: channel.owned,
          config: options.config ?? input.config, credentials: input.credentials ?? {}, syncCursor: options.cursor ?? null,
        },
        ingest: async (message) => (await ingestMessage(deps, target, message)).status,
        saveCursor: async (cursor) => {
          cursors.push(cursor);
          await db.query('UPDATE channel SET sync_cursor = $3 WHERE workspace_id = $1 AND id = $2', [workspace.id, channel.id, cursor]);
        },
        report: (health, stage) => {
          reports.push({ health, stage });
        },
        streamRules: async () => options.rules ?? null,
        clock: options.clock ?? systemClock,
        timers: options.timers ?? scaledTimers(),
        logger,
        random: () => 0.5,
        reports,
        cursors,
      };
    },
    async messages() {
      const rows = await db.query<{
        external_id: string; text: string; reply_to_external_id: string | null; sent_at: Date; raw: Record<string, unknown> | null;
        author_external_id: string | null; handle: string | null;
      }>(
        `SELECT m.external_id, m.text, m.reply_to_external_id, m.sent_at, m.raw, a.external_id AS author_external_id, a.handle
         FROM message m LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
         WHERE m.workspace_id = $1 AND m.channel_id = $2 ORDER BY m.received_at, m.external_id`,
        [workspace.id, channel.id],
      );
      return rows.map((r) => ({
        externalId: r.external_id, text: r.text, replyToExternalId: r.reply_to_external_id, sentAt: r.sent_at, raw: r.raw,
        authorExternalId: r.author_external_id, authorHandle: r.handle,
      }));
    },
    async storedCursor() {
      const rows = await db.query<{ sync_cursor: string | null }>('SELECT sync_cursor FROM channel WHERE workspace_id = $1 AND id = $2', [
        workspace.id, channel.id,
      ]);
      return rows[0]?.sync_cursor ?? null;
    },
    close: () => (input.db ? Promise.resolve() : db.close()),
  };
}

/** Polls `check` until it holds (tests of asynchronous listeners), failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
