import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { z } from 'zod';
import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { decryptSecret } from '../../platform/crypto.ts';
import { ingestMessage } from '../ingest/index.ts';
import type { IngestDeps } from '../ingest/index.ts';
import type { ListenChannel, ReceiveConnector, ReceiveContext, StreamRule, Timers } from './connector.ts';
import { listenableKinds, realTimers } from './connector.ts';
import type { ChannelSyncRow } from './channel-sync.repository.ts';
import { listListenChannels, markChannelIdle, saveChannelCursor } from './channel-sync.repository.ts';
import { acquireChannelLease, releaseChannelLease } from './channel-lease.repository.ts';
import type { HealthReporter } from './channel-health.reporter.ts';
import { createHealthReporter } from './channel-health.reporter.ts';
import { createReceiveConnector, listensWithDriver } from './drivers/index.ts';

/**
 * Runs one receive connector per enabled listening channel (Bluesky, Mastodon, X stream, feeds) and keeps at most
 * one per channel across all processes through a lease row per channel. Each channel runs on its own: a failing
 * channel reports its failure and retries without touching the others.
 */
export interface ListenerSupervisor {
  start(): Promise<void>;
  /** Stops every connector, waits for their cursors and health to be written, and hands the leases back. */
  stop(): Promise<void>;
  /** One pass: pick up new channels, renew leases, restart changed ones, drop removed ones. */
  scan(): Promise<void>;
  /** `workspaceId:channelId` of the channels this process listens to. */
  running(): string[];
}

export interface ListenerSupervisorOptions {
  db: Db;
  secretKey: Buffer;
  ingest: IngestDeps;
  logger: Logger;
  clock?: Clock;
  timers?: Timers;
  random?: () => number;
  /** Identifies this process in the lease table. */
  holderId?: string;
  scanIntervalMs?: number;
  leaseTtlMs?: number;
  healthRefreshMs?: number;
  /** The rules an X channel's filtered stream should carry; null leaves the stream's rules alone. */
  streamRules?: (channel: ChannelSyncRow) => Promise<StreamRule[] | null>;
  /** Replaces the driver registry (tests). */
  createConnector?: (ctx: ReceiveContext) => ReceiveConnector | null;
}

interface Running {
  row: ChannelSyncRow;
  fingerprint: string;
  connector: ReceiveConnector;
  reporter: HealthReporter;
  controller: AbortController;
  done: Promise<void>;
  finished: boolean;
}

const configRulesSchema = z.array(z.object({ id: z.string().min(1).max(64), value: z.string().min(1).max(1_024), tag: z.string().max(32) })).max(1_000);

/** Stream rules written into an X channel's `config.streamRules` (an override of the translated listening rules), or null. */
export async function streamRulesFromConfig(channel: ChannelSyncRow): Promise<StreamRule[] | null> {
  const parsed = configRulesSchema.safeParse(channel.config.streamRules);
  return parsed.success ? parsed.data : null;
}

/**
 * A failing listener's sleep is its back-off: before it starts, the channel row records when the next attempt comes,
 * so the health API can say why the channel waits and until when. Drivers need not know.
 */
function showingWaits(timers: Timers, reporter: HealthReporter, clock: Clock): Timers {
  return {
    async sleep(ms, signal) {
      if (reporter.current?.state === 'failing' && !signal.aborted) {
        reporter.waitingUntil(new Date(clock.now().getTime() + ms));
        await reporter.flush();
      }
      await timers.sleep(ms, signal);
    },
  };
}

function keyOf(row: { workspaceId: string; id: string }): string {
  return `${row.workspaceId}:${row.id}`;
}

/** A restart is needed when what the connector was built from changed (not its cursor, which it writes itself). */
function fingerprintOf(row: ChannelSyncRow): string {
  return createHash('sha256')
    .update(JSON.stringify([row.kind, row.owned, row.config, row.credentialsEncrypted]))
    .digest('hex');
}

export function createListenerSupervisor(options: ListenerSupervisorOptions): ListenerSupervisor {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const holder = options.holderId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const scanIntervalMs = options.scanIntervalMs ?? 15_000;
  const leaseTtlMs = options.leaseTtlMs ?? Math.max(30_000, scanIntervalMs * 3);
  const build = options.createConnector ?? createReceiveConnector;
  const log = options.logger;
  const running = new Map<string, Running>();
  let timer: NodeJS.Timeout | null = null;
  let scanning: Promise<void> | null = null;
  let stopped = false;

  function contextOf(row: ChannelSyncRow, reporter: HealthReporter): ReceiveContext | null {
    let credentials: Record<string, string> = {};
    if (row.credentialsEncrypted) {
      try {
        const parsed: unknown = JSON.parse(decryptSecret(options.secretKey, row.credentialsEncrypted));
        if (typeof parsed === 'object' && parsed !== null) {
          credentials = Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
        }
      } catch {
        reporter.report({ state: 'failing', reason: 'config', message: 'the channel credentials cannot be decrypted with this secret key' }, 'stopped');
        return null;
      }
    }
    const channel: ListenChannel = { ...row, credentials };
    const target = { workspaceId: row.workspaceId, id: row.id, kind: row.kind, owned: row.owned };
    return {
      channel,
      ingest: async (message) => (await ingestMessage(options.ingest, target, message)).status,
      saveCursor: (cursor) => saveChannelCursor(options.db, row.workspaceId, row.id, cursor),
      report: (health, stage) => reporter.report(health, stage),
      streamRules: () => (options.streamRules ?? streamRulesFromConfig)(row),
      clock,
      timers: showingWaits(timers, reporter, clock),
      logger: log.child({ channelId: row.id, channelKind: row.kind }),
      random,
    };
  }

  function launch(row: ChannelSyncRow): void {
    const reporter = createHealthReporter({
      db: options.db, clock, logger: log, workspaceId: row.workspaceId, channelId: row.id, refreshMs: options.healthRefreshMs,
    });
    const ctx = contextOf(row, reporter);
    const connector = ctx ? build(ctx) : null;
    const controller = new AbortController();
    const entry: Running = {
      row, fingerprint: fingerprintOf(row), reporter, controller, finished: false,
      connector: connector ?? { channelId: row.id, start: async () => undefined, stop: async () => undefined },
      done: Promise.resolve(),
    };
    entry.done = entry.connector
      .start(controller.signal)
      .catch((error: unknown) => {
        log.error({ err: error, channelId: row.id }, 'listener crashed');
        reporter.report({ state: 'failing', reason: 'protocol', message: 'the listener stopped unexpectedly; it will be restarted' }, 'stopped');
        // Forget it, so the next scan starts a fresh connector.
        if (running.get(keyOf(row)) === entry) running.delete(keyOf(row));
        void releaseChannelLease(options.db, row.workspaceId, row.id, holder).catch(() => undefined);
      })
      .finally(() => {
        entry.finished = true;
      });
    running.set(keyOf(row), entry);
    log.info({ channelId: row.id, channelKind: row.kind }, 'listening');
  }

  async function halt(key: string, entry: Running, why: string): Promise<void> {
    running.delete(key);
    entry.controller.abort();
    await entry.connector.stop();
    await entry.done;
    await entry.reporter.flush();
    await markChannelIdle(options.db, entry.row.workspaceId, entry.row.id).catch(() => undefined);
    await releaseChannelLease(options.db, entry.row.workspaceId, entry.row.id, holder).catch(() => undefined);
    log.info({ channelId: entry.row.id, why }, 'stopped listening');
  }

  async function scanOnce(): Promise<void> {
    const rows = (await listListenChannels(options.db, listenableKinds)).filter(listensWithDriver);
    const wanted = new Map(rows.map((row) => [keyOf(row), row]));
    for (const [key, entry] of running) {
      const row = wanted.get(key);
      if (!row) await halt(key, entry, 'channel removed or disabled');
      else if (fingerprintOf(row) !== entry.fingerprint) await halt(key, entry, 'channel settings changed');
    }
    for (const [key, row] of wanted) {
      if (stopped) return;
      const held = await acquireChannelLease(options.db, row.workspaceId, row.id, holder, leaseTtlMs);
      const entry = running.get(key);
      if (entry && !held) await halt(key, entry, 'lease lost to another process');
      else if (!entry && held) launch(row);
    }
  }

  async function scan(): Promise<void> {
    if (scanning) return scanning;
    scanning = scanOnce()
      .catch((error: unknown) => log.error({ err: error }, 'listener scan failed; retrying at the next scan'))
      .finally(() => {
        scanning = null;
      });
    return scanning;
  }

  return {
    async start() {
      stopped = false;
      await scan();
      timer = setInterval(() => void scan(), scanIntervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await scanning;
      await Promise.all([...running].map(([key, entry]) => halt(key, entry, 'shutting down')));
    },
    scan,
    running: () => [...running.keys()],
  };
}
