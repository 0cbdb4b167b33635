import { z } from 'zod';
import type { ReceiveConnector, ReceiveContext } from '../../connector.ts';
import { ConnectorError, createLoopConnector } from '../../connector.ts';
import { createStreamBackoff } from '../../connector.backoff.ts';
import { asConnectorError } from '../shared/http.errors.ts';
import { maxNumericId, isNumericId } from '../shared/numeric-id.ts';
import { ownAccountsOf } from '../shared/own-accounts.ts';
import type { OwnAccounts } from '../shared/own-accounts.ts';
import { createSerialQueue } from '../shared/serial.queue.ts';
import { openWsSession } from '../shared/ws.session.ts';
import { connectorErrorOfClose, connectorErrorOfStreamError } from './mastodon.errors.ts';
import type { MastodonDecision } from './mastodon.mapper.ts';
import { mapStatus, parseMastodonFrame, statusSchema } from './mastodon.mapper.ts';
import { backfillTimeline } from './mastodon-rest.client.ts';
import type { StreamSpec } from './mastodon-rest.client.ts';

const streamSpecSchema = z.object({
  stream: z.enum(['public', 'public:local', 'public:remote', 'hashtag', 'hashtag:local', 'user']),
  tag: z.string().regex(/^[\p{L}\p{N}_]{1,100}$/u).optional(),
});

/** channel.config of a Mastodon channel: one instance, one or more of its streams. */
export const mastodonConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The streaming server, when not at `<baseUrl>/api/v1/streaming` (ws: or wss:). */
  streamingUrl: z.url({ protocol: /^wss?$/ }).optional(),
  streams: z.array(streamSpecSchema).min(1).max(20).default([{ stream: 'public' }]),
  backfillPages: z.number().int().min(0).max(100).default(10),
  stallTimeoutMs: z.number().int().min(50).max(600_000).default(90_000),
  maxFrameBytes: z.number().int().min(1_024).max(8_000_000).default(1_000_000),
  lagThresholdSeconds: z.number().min(1).max(86_400).default(60),
});
export type MastodonConfig = z.infer<typeof mastodonConfigSchema>;

export function streamKeyOfSpec(spec: StreamSpec): string {
  return (spec.tag ? `${spec.stream.split(':')[0]}:${spec.tag}` : spec.stream).toLowerCase();
}

export function streamingUrlOf(config: MastodonConfig): string {
  if (config.streamingUrl) return config.streamingUrl;
  const url = new URL('/api/v1/streaming', config.baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

const cursorSchema = z.object({ v: z.literal(1), streams: z.record(z.string().max(200), z.string().max(40)) });

export function parseMastodonCursor(cursor: string | null): Record<string, string> {
  if (!cursor) return {};
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data.streams : {};
  } catch {
    return {};
  }
}

export interface MastodonCounters {
  frames: number;
  ingested: number;
  duplicates: number;
  skipped: number;
  invalid: number;
  oversize: number;
  backfilled: number;
}

type Task = { kind: 'frame'; decision: MastodonDecision } | { kind: 'backfill'; spec: StreamSpec; sinceId: string };

/**
 * Mastodon's streaming API over one WebSocket (public, hashtag and user streams multiplexed with `subscribe`),
 * reconnecting with back-off. After every (re)connection each stream is backfilled through the REST timeline from
 * its last seen status id before live events are handled, so a gap is filled in order and overlaps are dropped
 * by ingest.
 */
export function createMastodonConnector(ctx: ReceiveContext): ReceiveConnector & { counters: MastodonCounters } {
  const counters: MastodonCounters = { frames: 0, ingested: 0, duplicates: 0, skipped: 0, invalid: 0, oversize: 0, backfilled: 0 };
  const connector = createLoopConnector(ctx.channel.id, (signal) => run(ctx, signal, counters));
  return { ...connector, counters };
}

async function run(ctx: ReceiveContext, signal: AbortSignal, counters: MastodonCounters): Promise<void> {
  const parsed = mastodonConfigSchema.safeParse(ctx.channel.config);
  if (!parsed.success) {
    ctx.report({ state: 'failing', reason: 'config', message: `invalid Mastodon channel settings: ${parsed.error.issues[0]?.message ?? ''}` }, 'stopped');
    return;
  }
  const config = parsed.data;
  const own = ownAccountsOf(ctx.channel.config);
  const token = ctx.channel.credentials.accessToken;
  const lastIds = parseMastodonCursor(ctx.channel.syncCursor);
  const backoff = createStreamBackoff(ctx.random);
  let saved = JSON.stringify(lastIds);

  const saveCursor = async () => {
    const cursor = JSON.stringify({ v: 1, streams: lastIds });
    if (cursor === saved) return;
    saved = cursor;
    await ctx.saveCursor(cursor);
  };

  const ingest = async (decision: MastodonDecision) => {
    if (decision.kind === 'post') {
      const status = await ctx.ingest(decision.post.message);
      if (status === 'duplicate') counters.duplicates += 1;
      else counters.ingested += 1;
      const created = decision.createdAt ? Date.parse(decision.createdAt) : NaN;
      const lagSeconds = Number.isNaN(created) ? 0 : Math.max(0, (ctx.clock.now().getTime() - created) / 1000);
      ctx.report(lagSeconds > config.lagThresholdSeconds ? { state: 'lagging', lagSeconds: Math.round(lagSeconds) } : { state: 'connected' }, 'streaming');
    } else if (decision.kind === 'skip') counters.skipped += 1;
    else counters.invalid += 1;
    if ((decision.kind === 'post' || decision.kind === 'skip') && decision.stream && decision.statusId && isNumericId(decision.statusId)) {
      const next = maxNumericId(lastIds[decision.stream], decision.statusId);
      if (next) lastIds[decision.stream] = next;
    }
  };

  const handle = async (task: Task) => {
    if (task.kind === 'frame') {
      await ingest(task.decision);
      await saveCursor();
      return;
    }
    ctx.report(null, 'backfilling');
    const key = streamKeyOfSpec(task.spec);
    const options = { baseUrl: config.baseUrl, accessToken: token, signal, now: () => ctx.clock.now(), maxPages: config.backfillPages };
    for await (const page of backfillTimeline(options, task.spec, task.sinceId)) {
      for (const raw of page) {
        const status = statusSchema.safeParse(raw);
        await ingest(status.success ? mapStatus(status.data, key, own, ctx.clock.now()) : { kind: 'invalid', reason: 'status is malformed' });
        if (status.success) counters.backfilled += 1;
      }
      await saveCursor();
    }
    ctx.report(null, 'streaming');
  };

  while (!signal.aborted) {
    ctx.report(null, 'connecting');
    const failure = await runSession(ctx, config, token, own, signal, counters, handle, lastIds, () => backoff.reset());
    await saveCursor().catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not save the Mastodon cursor'));
    if (signal.aborted) break;
    const error = failure ?? new ConnectorError('network', 'Mastodon ended the stream');
    ctx.report({ state: 'failing', reason: error.reason, message: error.message }, 'waiting');
    ctx.logger.warn({ reason: error.reason, message: error.message }, 'Mastodon listener disconnected');
    await ctx.timers.sleep(backoff.next(error), signal);
  }
  ctx.report(null, 'stopped');
}

async function runSession(
  ctx: ReceiveContext,
  config: MastodonConfig,
  token: string | undefined,
  own: OwnAccounts,
  signal: AbortSignal,
  counters: MastodonCounters,
  handle: (task: Task) => Promise<void>,
  lastIds: Record<string, string>,
  onHealthy: () => void,
): Promise<ConnectorError | null> {
  const session = openWsSession({
    url: streamingUrlOf(config),
    platform: 'Mastodon',
    headers: token ? { authorization: `Bearer ${token}` } : undefined,
    maxFrameBytes: config.maxFrameBytes,
    hardFrameBytes: Math.max(config.maxFrameBytes * 4, 8_000_000),
    stallTimeoutMs: config.stallTimeoutMs,
    signal,
    now: () => ctx.clock.now(),
    onOpen() {
      onHealthy();
      ctx.report({ state: 'connected' }, 'streaming');
      for (const spec of config.streams) {
        session.send(JSON.stringify({ type: 'subscribe', stream: spec.stream, ...(spec.tag ? { tag: spec.tag } : {}) }));
        const sinceId = lastIds[streamKeyOfSpec(spec)];
        if (sinceId) queue.push({ kind: 'backfill', spec, sinceId });
      }
    },
    onFrame(text) {
      counters.frames += 1;
      const decision = parseMastodonFrame(text, own, ctx.clock.now());
      if (decision.kind === 'error') {
        session.fail(connectorErrorOfStreamError(decision.message, decision.status));
        return;
      }
      queue.push({ kind: 'frame', decision });
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
    onFailure: (error) => {
      const failure = asConnectorError(error);
      session.fail(failure.status !== undefined ? failure : new ConnectorError(failure.reason, `Mastodon backfill or ingest failed: ${failure.message}`));
    },
  });
  const failure = await session.done;
  if (signal.aborted || failure) await queue.abandon();
  else await queue.drained();
  return failure;
}
