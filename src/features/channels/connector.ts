import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { InboundMessage, IngestStatus } from '../ingest/index.ts';
import type { ChannelKind } from './channel.types.ts';

/**
 * Parley's connector contract. Every channel driver implements the receive side here; the send side (reply,
 * private message, limits) is added beside it when the outbox lands, so a driver will export one object per side.
 */

/** Why a connector cannot make progress; each driver translates its platform's errors into one of these. */
export const connectorFailureReasons = ['auth', 'permission', 'rate_limit', 'network', 'protocol', 'config'] as const;
export type ConnectorFailureReason = (typeof connectorFailureReasons)[number];

/** A platform failure in Parley's terms: a stable reason, a safe message and, when the platform said so, a wait. */
export class ConnectorError extends Error {
  readonly reason: ConnectorFailureReason;
  /** The platform asked us to wait this long (Retry-After, rate-limit reset) before trying again. */
  readonly retryAfterMs: number | undefined;
  /** The HTTP status or close code behind the failure, for logs. */
  readonly status: number | undefined;

  constructor(reason: ConnectorFailureReason, message: string, options: { retryAfterMs?: number; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ConnectorError';
    this.reason = reason;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** What a receive connector tells the outside world about itself. */
export type ConnectorHealth =
  | { state: 'connected' }
  /** Events arrive, but they are this far behind real time (now minus the newest event's platform time). */
  | { state: 'lagging'; lagSeconds: number }
  | { state: 'failing'; reason: ConnectorFailureReason; message: string };

/** The stage a listener is in, stored on the channel row as `sync_stage`. */
export type SyncStage = 'idle' | 'connecting' | 'streaming' | 'backfilling' | 'polling' | 'waiting' | 'stopped';

/** Sleeps that tests can shorten; a sleep ends early (resolving) when the signal aborts. */
export interface Timers {
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realTimers: Timers = {
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** The channel as a listener sees it: its settings, its decrypted credentials and where it stopped last time. */
export interface ListenChannel {
  workspaceId: string;
  id: string;
  kind: ChannelKind;
  name: string;
  owned: boolean;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  /** Driver-specific resume point (Jetstream `time_us`, Mastodon last status ids, feed validators). */
  syncCursor: string | null;
}

/** A rule to push to a platform that filters server-side (X filtered stream). */
export interface StreamRule {
  /** Parley's rule id. */
  id: string;
  /** The rule in the platform's own query syntax. */
  value: string;
  /** Parley's rule tag (brand, product, competitor, other). */
  tag: string;
}

/** Everything a receive connector may use; the supervisor builds one per channel, tests build their own. */
export interface ReceiveContext {
  channel: ListenChannel;
  /** Hands one normalized message to the ingest pipeline (idempotent on the external id). */
  ingest(message: InboundMessage): Promise<IngestStatus>;
  /** Persists the resume point; called only after every message before it was ingested. */
  saveCursor(cursor: string): Promise<void>;
  /**
   * Reports health (null: unchanged) and the sync stage; the receiver throttles writes, so connectors may call it
   * for every event.
   */
  report(health: ConnectorHealth | null, stage?: SyncStage): void;
  /** Rules the platform should filter by, or null to leave the platform's rules as they are. */
  streamRules(): Promise<StreamRule[] | null>;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Jitter source for back-off (tests pin it). */
  random: () => number;
}

/**
 * The receive side of a channel: a stream with a persisted cursor, or a poller. One connector serves one channel;
 * the supervisor runs at most one per channel across all processes.
 */
export interface ReceiveConnector {
  readonly channelId: string;
  /**
   * Connects and keeps receiving — reconnecting, backing off and reporting health — until `signal` aborts or
   * `stop` is called. Resolves once fully stopped; platform failures are reported through health, never thrown.
   */
  start(signal: AbortSignal): Promise<void>;
  /** Stops receiving and waits for the in-flight message to finish and the cursor to be saved. */
  stop(): Promise<void>;
}

/** Channel kinds that Parley listens to with a stream or a poller (the others arrive by webhook or the API). */
export const listenableKinds = ['bluesky', 'mastodon', 'x', 'rss', 'email'] as const satisfies readonly ChannelKind[];
export type ListenableKind = (typeof listenableKinds)[number];

export function isListenableKind(kind: string): kind is ListenableKind {
  return (listenableKinds as readonly string[]).includes(kind);
}

/** Runs `body` until it returns or the signal aborts; the shared skeleton of every connector's `start`/`stop`. */
export function createLoopConnector(channelId: string, body: (signal: AbortSignal) => Promise<void>): ReceiveConnector {
  let controller: AbortController | null = null;
  let running: Promise<void> | null = null;
  return {
    channelId,
    start(signal) {
      if (running) return running;
      const own = new AbortController();
      controller = own;
      const onAbort = () => own.abort();
      if (signal.aborted) own.abort();
      else signal.addEventListener('abort', onAbort, { once: true });
      running = body(own.signal).finally(() => {
        signal.removeEventListener('abort', onAbort);
      });
      return running;
    },
    async stop() {
      controller?.abort();
      await running?.catch(() => undefined);
    },
  };
}
