import { z } from 'zod';
import type { ReceiveConnector, ReceiveContext } from '../../connector.ts';
import { ConnectorError, createLoopConnector } from '../../connector.ts';
import { createStreamBackoff } from '../../connector.backoff.ts';
import { readBodyLimited } from '../shared/body.reader.ts';
import { asConnectorError, connectorErrorOfStatus } from '../shared/http.errors.ts';
import { decodeFeedBytes } from './feed.charset.ts';
import { parseFeedXml } from './feed.parser.ts';
import { feedItemKey, mapFeedItem } from './feed.mapper.ts';
import { feedTimeoutError } from './rss.errors.ts';

const feedUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** channel.config of a feed channel: one `url`, or several `feeds`, each with its own interval. */
export const feedConfigSchema = z
  .object({
    url: feedUrl.optional(),
    feeds: z.array(z.object({ url: feedUrl, intervalSeconds: z.number().min(1).max(86_400).optional() })).min(1).max(500).optional(),
    intervalSeconds: z.number().min(1).max(86_400).default(900),
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    maxBytes: z.number().int().min(1_024).max(50_000_000).default(5_000_000),
  })
  .refine((c) => c.url !== undefined || c.feeds !== undefined, { message: 'a feed channel needs "url" or "feeds"' });
export type FeedConfig = z.infer<typeof feedConfigSchema>;

const feedStateSchema = z.object({
  etag: z.string().max(1024).optional(),
  lastModified: z.string().max(128).optional(),
  seen: z.array(z.string().max(300)).max(2_000).default([]),
});
type FeedState = z.infer<typeof feedStateSchema>;
const cursorSchema = z.object({ v: z.literal(1), feeds: z.record(z.string(), feedStateSchema) });

const maxSeen = 1_000;
/** After failures a feed waits at least its interval, and longer as failures repeat (up to six hours). */
const feedFailurePolicy = { baseMs: 60_000, maxMs: 6 * 3_600_000, jitter: 0.25 };

export function parseFeedCursor(cursor: string | null): Record<string, FeedState> {
  if (!cursor) return {};
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data.feeds : {};
  } catch {
    return {};
  }
}

export interface FeedCounters {
  polls: number;
  notModified: number;
  ingested: number;
  duplicates: number;
  failures: number;
}

export interface FeedPollResult {
  status: 'not_modified' | 'fetched';
  newItems: number;
}

/**
 * Polls RSS 2.0, RSS 1.0 and Atom feeds, each on its own interval, with conditional GET (ETag / Last-Modified →
 * 304), a byte limit, a time limit and charset handling. Items seen in the previous fetch of a feed are not
 * handed to ingest again (ingest would drop them anyway; this spares the classifier).
 */
export function createFeedConnector(ctx: ReceiveContext): ReceiveConnector & { counters: FeedCounters } {
  const counters: FeedCounters = { polls: 0, notModified: 0, ingested: 0, duplicates: 0, failures: 0 };
  const connector = createLoopConnector(ctx.channel.id, (signal) => run(ctx, signal, counters));
  return { ...connector, counters };
}

async function run(ctx: ReceiveContext, signal: AbortSignal, counters: FeedCounters): Promise<void> {
  const parsed = feedConfigSchema.safeParse(ctx.channel.config);
  if (!parsed.success) {
    ctx.report({ state: 'failing', reason: 'config', message: `invalid feed channel settings: ${parsed.error.issues[0]?.message ?? ''}` }, 'stopped');
    return;
  }
  const config = parsed.data;
  const feeds = config.feeds ?? [{ url: config.url ?? '', intervalSeconds: undefined }];
  const states = parseFeedCursor(ctx.channel.syncCursor);
  const failures = new Map<string, ConnectorError>();
  let saving: Promise<void> = Promise.resolve();

  const save = () => {
    const cursor = JSON.stringify({ v: 1, feeds: Object.fromEntries(feeds.map((f) => [f.url, states[f.url] ?? { seen: [] }])) });
    saving = saving
      .then(() => ctx.saveCursor(cursor))
      .catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not save the feed state'));
  };
  const reportHealth = () => {
    const [firstFailure] = failures;
    if (!firstFailure) return ctx.report({ state: 'connected' }, 'polling');
    const [url, error] = firstFailure;
    const others = failures.size > 1 ? ` (and ${failures.size - 1} other feeds)` : '';
    ctx.report({ state: 'failing', reason: error.reason, message: `${new URL(url).host}: ${error.message}${others}` }, 'polling');
  };

  await Promise.all(
    feeds.map(async (feed) => {
      const intervalMs = (feed.intervalSeconds ?? config.intervalSeconds) * 1000;
      const backoff = createStreamBackoff(ctx.random, feedFailurePolicy);
      while (!signal.aborted) {
        let waitMs = intervalMs;
        try {
          const { state } = await pollFeed(ctx, config, feed.url, states[feed.url] ?? { seen: [] }, signal, counters);
          if (signal.aborted) break;
          states[feed.url] = state;
          failures.delete(feed.url);
          backoff.reset();
          save();
        } catch (error) {
          if (signal.aborted) break;
          const failure = asConnectorError(error);
          counters.failures += 1;
          failures.set(feed.url, failure);
          waitMs = Math.max(intervalMs, backoff.next(failure));
          ctx.logger.warn({ feed: feed.url, reason: failure.reason, message: failure.message }, 'feed poll failed');
        }
        reportHealth();
        await ctx.timers.sleep(waitMs, signal);
      }
    }),
  );
  await saving;
  ctx.report(null, 'stopped');
}

/** One conditional GET of one feed and the ingest of its new items; returns the feed's next state. */
export async function pollFeed(
  ctx: ReceiveContext,
  config: FeedConfig,
  url: string,
  state: FeedState,
  signal: AbortSignal,
  counters: FeedCounters,
): Promise<{ state: FeedState; result: FeedPollResult }> {
  counters.polls += 1;
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const headers: Record<string, string> = {
    'user-agent': 'Parley feed reader (+https://github.com/parley)',
    accept: 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1',
  };
  if (state.etag) headers['if-none-match'] = state.etag;
  if (state.lastModified) headers['if-modified-since'] = state.lastModified;

  let response: Response;
  let bytes: Buffer;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
    if (response.status === 304) {
      await response.body?.cancel().catch(() => undefined);
      counters.notModified += 1;
      return { state, result: { status: 'not_modified', newItems: 0 } };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw connectorErrorOfStatus('the feed', response.status, response.headers, ctx.clock.now());
    }
    bytes = await readBodyLimited(response, config.maxBytes);
  } catch (error) {
    if (timeout.aborted && !signal.aborted) throw feedTimeoutError(config.timeoutMs);
    throw asConnectorError(error);
  }

  const decoded = decodeFeedBytes(bytes, response.headers.get('content-type'));
  const feed = parseFeedXml(decoded.text, response.url || url);
  const now = ctx.clock.now();
  const seen = new Set(state.seen);
  const keys: string[] = [];
  // Oldest first, so replies in a comments feed find their parents.
  const items = feed.items
    .map((item, index) => ({ item, index, at: Date.parse(item.published ?? '') }))
    .sort((a, b) => (Number.isNaN(a.at) || Number.isNaN(b.at) ? b.index - a.index : a.at - b.at));
  let newItems = 0;
  for (const { item } of items) {
    if (signal.aborted) throw new ConnectorError('network', 'stopped while polling');
    const key = feedItemKey(item);
    if (!key) continue;
    keys.push(key);
    if (seen.has(key)) continue;
    const post = mapFeedItem(item, feed, url, now);
    if (!post) continue;
    const status = await ctx.ingest(post.message);
    if (status === 'duplicate') counters.duplicates += 1;
    else counters.ingested += 1;
    newItems += 1;
  }
  const next: FeedState = {
    etag: response.headers.get('etag')?.slice(0, 1024) ?? undefined,
    lastModified: response.headers.get('last-modified')?.slice(0, 128) ?? undefined,
    seen: keys.slice(0, maxSeen),
  };
  return { state: next, result: { status: 'fetched', newItems } };
}
