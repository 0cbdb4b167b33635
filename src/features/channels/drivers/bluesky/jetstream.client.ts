import { z } from 'zod';
import type { ReceiveConnector, ReceiveContext } from '../../connector.ts';
import { ConnectorError, createLoopConnector } from '../../connector.ts';
import { createStreamBackoff } from '../../connector.backoff.ts';
import { asConnectorError } from '../shared/http.errors.ts';
import { ownAccountsOf } from '../shared/own-accounts.ts';
import { createSerialQueue } from '../shared/serial.queue.ts';
import { openWsSession } from '../shared/ws.session.ts';
import { connectorErrorOfClose } from './bluesky.errors.ts';
import type { JetstreamDecision } from './jetstream.mapper.ts';
import { parseJetstreamFrame, postCollection } from './jetstream.mapper.ts';

/** channel.config of a Bluesky channel. */
export const jetstreamConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^wss?$/ }).default('wss://jetstream2.us-east.bsky.network'),
  /** Only these accounts' posts (Jetstream `wantedDids`, at most 10,000); all posts when absent. */
  wantedDids: z.array(z.string().regex(/^did:[a-z]+:[a-zA-Z0-9._:%-]+$/)).max(10_000).optional(),
  /** How far to rewind the cursor on resume: Jetstream's order is only roughly by time. */
  rewindSeconds: z.number().int().min(0).max(600).default(5),
  lagThresholdSeconds: z.number().min(1).max(86_400).default(30),
  stallTimeoutMs: z.number().int().min(50).max(600_000).default(60_000),
  maxFrameBytes: z.number().int().min(1_024).max(4_000_000).default(512_000),
  cursorSaveIntervalMs: z.number().int().min(0).max(60_000).default(1_000),
});
export type JetstreamConfig = z.infer<typeof jetstreamConfigSchema>;

const hardFrameBytes = 8_000_000;

/** The Jetstream URL for a resume point; `cursor` is already rewound. */
export function jetstreamUrl(config: JetstreamConfig, cursor: number | null): string {
  const url = new URL('/subscribe', config.baseUrl);
  url.searchParams.append('wantedCollections', postCollection);
  for (const did of config.wantedDids ?? []) url.searchParams.append('wantedDids', did);
  if (cursor !== null) url.searchParams.set('cursor', String(cursor));
  return url.toString();
}

export function parseJetstreamCursor(cursor: string | null): number | null {
  if (!cursor || !/^\d{1,17}$/.test(cursor)) return null;
  return Number(cursor);
}

export interface JetstreamCounters {
  frames: number;
  ingested: number;
  duplicates: number;
  skipped: number;
  invalid: number;
  oversize: number;
}

/**
 * Bluesky through Jetstream: `app.bsky.feed.post` commits over a WebSocket, resumed after any break from the
 * persisted `time_us` cursor rewound by a few seconds. Replayed events are dropped by ingest's idempotency on
 * the post's at-uri, so a restart leaves no gap and no duplicate.
 */
export function createJetstreamConnector(ctx: ReceiveContext): ReceiveConnector & { counters: JetstreamCounters } {
  const counters: JetstreamCounters = { frames: 0, ingested: 0, duplicates: 0, skipped: 0, invalid: 0, oversize: 0 };
  const connector = createLoopConnector(ctx.channel.id, (signal) => run(ctx, signal, counters));
  return { ...connector, counters };
}

async function run(ctx: ReceiveContext, signal: AbortSignal, counters: JetstreamCounters): Promise<void> {
  const parsed = jetstreamConfigSchema.safeParse(ctx.channel.config);
  if (!parsed.success) {
    ctx.report({ state: 'failing', reason: 'config', message: `invalid Bluesky channel settings: ${parsed.error.issues[0]?.message ?? ''}` }, 'stopped');
    return;
  }
  const config = parsed.data;
  const own = ownAccountsOf(ctx.channel.config);
  const backoff = createStreamBackoff(ctx.random);
  let cursor = parseJetstreamCursor(ctx.channel.syncCursor);
  let savedCursor = cursor;
  let lastSaveAt = 0;

  const saveCursor = async (force: boolean) => {
    if (cursor === null || cursor === savedCursor) return;
    const now = ctx.clock.now().getTime();
    if (!force && now - lastSaveAt < config.cursorSaveIntervalMs) return;
    lastSaveAt = now;
    savedCursor = cursor;
    await ctx.saveCursor(String(cursor));
  };

  const handle = async (decision: JetstreamDecision) => {
    if (decision.kind === 'invalid') {
      counters.invalid += 1;
      return;
    }
    if (decision.kind === 'post') {
      const status = await ctx.ingest(decision.post.message);
      if (status === 'duplicate') counters.duplicates += 1;
      else counters.ingested += 1;
    } else {
      counters.skipped += 1;
    }
    cursor = Math.max(cursor ?? 0, decision.timeUs);
    const lagSeconds = Math.max(0, (ctx.clock.now().getTime() * 1000 - decision.timeUs) / 1e6);
    ctx.report(lagSeconds > config.lagThresholdSeconds ? { state: 'lagging', lagSeconds: Math.round(lagSeconds) } : { state: 'connected' }, 'streaming');
    await saveCursor(false);
  };

  while (!signal.aborted) {
    const resumeFrom = cursor === null ? null : Math.max(0, cursor - config.rewindSeconds * 1_000_000);
    ctx.report(null, 'connecting');
    const failure = await runSession(ctx, config, jetstreamUrl(config, resumeFrom), signal, counters, handle, () => backoff.reset(), own);
    await saveCursor(true).catch((error: unknown) => ctx.logger.warn({ err: error, channelId: ctx.channel.id }, 'could not save the Jetstream cursor'));
    if (signal.aborted) break;
    const error = failure ?? new ConnectorError('network', 'Jetstream ended the stream');
    ctx.report({ state: 'failing', reason: error.reason, message: error.message }, 'waiting');
    ctx.logger.warn({ channelId: ctx.channel.id, reason: error.reason, message: error.message }, 'Bluesky listener disconnected');
    await ctx.timers.sleep(backoff.next(error), signal);
  }
  ctx.report(null, 'stopped');
}

async function runSession(
  ctx: ReceiveContext,
  config: JetstreamConfig,
  url: string,
  signal: AbortSignal,
  counters: JetstreamCounters,
  handle: (decision: JetstreamDecision) => Promise<void>,
  onHealthy: () => void,
  own: ReturnType<typeof ownAccountsOf>,
): Promise<ConnectorError | null> {
  let healthy = false;
  const session = openWsSession({
    url,
    platform: 'Jetstream',
    maxFrameBytes: config.maxFrameBytes,
    hardFrameBytes,
    stallTimeoutMs: config.stallTimeoutMs,
    signal,
    now: () => ctx.clock.now(),
    onFrame(text) {
      counters.frames += 1;
      if (!healthy) {
        healthy = true;
        onHealthy();
      }
      queue.push(parseJetstreamFrame(text, own, ctx.clock.now()));
    },
    onOversize() {
      counters.oversize += 1;
    },
    closeError: connectorErrorOfClose,
  });
  const queue = createSerialQueue(handle, {
    highWater: 2_000,
    lowWater: 500,
    onPressure: (paused) => (paused ? session.pause() : session.resume()),
    onFailure: (error) => session.fail(new ConnectorError('network', `could not store a Bluesky post: ${asConnectorError(error).message}`)),
  });
  const failure = await session.done;
  // Events not yet handled are dropped: the next connection replays them from the cursor.
  if (signal.aborted || failure) await queue.abandon();
  else await queue.drained();
  return failure;
}
