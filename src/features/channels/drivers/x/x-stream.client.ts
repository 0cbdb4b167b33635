import { z } from 'zod';
import type { ReceiveConnector, ReceiveContext } from '../../connector.ts';
import { ConnectorError, createLoopConnector } from '../../connector.ts';
import { createXBackoff } from '../../connector.backoff.ts';
import type { Backoff } from '../../connector.backoff.ts';
import { asConnectorError, connectorErrorOfStatus } from '../shared/http.errors.ts';
import { ownAccountsOf } from '../shared/own-accounts.ts';
import type { OwnAccounts } from '../shared/own-accounts.ts';
import { parseXStreamLine } from './x.mapper.ts';
import { connectorErrorOfStreamError } from './x.errors.ts';
import { syncStreamRules } from './x-rules.client.ts';

/** channel.config of an X channel listening through the filtered stream. */
export const xStreamConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.x.com'),
  /** X sends a keep-alive newline every ~20 s; silence this long means the connection is dead. */
  stallTimeoutMs: z.number().int().min(50).max(600_000).default(40_000),
  maxLineBytes: z.number().int().min(1_024).max(10_000_000).default(1_000_000),
  lagThresholdSeconds: z.number().min(1).max(86_400).default(60),
  ruleSyncIntervalMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
});
export type XStreamConfig = z.infer<typeof xStreamConfigSchema>;

export const streamQuery = new URLSearchParams({
  'tweet.fields': 'created_at,lang,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,note_tweet',
  expansions: 'author_id,referenced_tweets.id,referenced_tweets.id.author_id',
  'user.fields': 'username,name,public_metrics',
}).toString();

export interface XStreamCounters {
  lines: number;
  keepalives: number;
  ingested: number;
  duplicates: number;
  skipped: number;
  invalid: number;
  ruleSyncs: number;
}

/**
 * X API v2 filtered stream: NDJSON over one long HTTP response, Parley's rules synced to the stream's rule
 * endpoint before each connection and periodically, and X's documented reconnect back-off.
 */
export function createXStreamConnector(ctx: ReceiveContext): ReceiveConnector & { counters: XStreamCounters } {
  const counters: XStreamCounters = { lines: 0, keepalives: 0, ingested: 0, duplicates: 0, skipped: 0, invalid: 0, ruleSyncs: 0 };
  const connector = createLoopConnector(ctx.channel.id, (signal) => run(ctx, signal, counters));
  return { ...connector, counters };
}

async function run(ctx: ReceiveContext, signal: AbortSignal, counters: XStreamCounters): Promise<void> {
  const parsed = xStreamConfigSchema.safeParse(ctx.channel.config);
  const token = ctx.channel.credentials.bearerToken;
  if (!parsed.success || !token) {
    const message = parsed.success ? 'the channel has no bearerToken credential' : `invalid X channel settings: ${parsed.error.issues[0]?.message ?? ''}`;
    ctx.report({ state: 'failing', reason: 'config', message }, 'stopped');
    return;
  }
  const config = parsed.data;
  const own = ownAccountsOf(ctx.channel.config);
  const backoff = createXBackoff();
  while (!signal.aborted) {
    ctx.report(null, 'connecting');
    let failure: ConnectorError | null;
    try {
      await syncRules(ctx, config, token, signal, counters);
      failure = await runSession(ctx, config, token, own, signal, counters, backoff);
    } catch (error) {
      failure = asConnectorError(error);
    }
    if (signal.aborted) break;
    const error = failure ?? new ConnectorError('network', 'X ended the stream');
    ctx.report({ state: 'failing', reason: error.reason, message: error.message }, 'waiting');
    ctx.logger.warn({ reason: error.reason, message: error.message, status: error.status }, 'X stream disconnected');
    await ctx.timers.sleep(backoff.next(error), signal);
  }
  ctx.report(null, 'stopped');
}

async function syncRules(ctx: ReceiveContext, config: XStreamConfig, token: string, signal: AbortSignal, counters: XStreamCounters): Promise<void> {
  const wanted = await ctx.streamRules();
  if (wanted === null) return;
  const result = await syncStreamRules({ baseUrl: config.baseUrl, bearerToken: token, now: () => ctx.clock.now(), signal }, wanted);
  counters.ruleSyncs += 1;
  if (result.rejected.length > 0) ctx.logger.warn({ rejected: result.rejected }, 'X refused some stream rules');
  ctx.logger.info({ added: result.added, deleted: result.deleted, kept: result.kept }, 'X stream rules synced');
}

async function runSession(
  ctx: ReceiveContext,
  config: XStreamConfig,
  token: string,
  own: OwnAccounts,
  signal: AbortSignal,
  counters: XStreamCounters,
  backoff: Backoff,
): Promise<ConnectorError | null> {
  const session = new AbortController();
  const stop = () => session.abort();
  signal.addEventListener('abort', stop, { once: true });
  let stalled = false;
  let lastActivity = Date.now();
  const checkEvery = Math.max(10, Math.floor(config.stallTimeoutMs / 4));
  let lastTick = Date.now();
  const watchdog = setInterval(() => {
    const tick = Date.now();
    // A late tick means this process was busy (not X silent): give the stream a fresh period.
    if (tick - lastTick > checkEvery * 2) lastActivity = tick;
    lastTick = tick;
    if (tick - lastActivity > config.stallTimeoutMs) {
      stalled = true;
      session.abort();
    }
  }, checkEvery);
  let lastRuleSync = Date.now();
  let ruleSync: Promise<void> | null = null;

  try {
    const response = await fetch(new URL(`/2/tweets/search/stream?${streamQuery}`, config.baseUrl), {
      headers: { authorization: `Bearer ${token}`, 'user-agent': 'Parley listener' },
      signal: session.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return connectorErrorOfStatus('X', response.status, response.headers, ctx.clock.now());
    }
    backoff.reset();
    lastActivity = Date.now();
    ctx.report({ state: 'connected' }, 'streaming');

    const decoder = new TextDecoder('utf-8');
    let buffer = '';
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      lastActivity = Date.now();
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        const failure = await handleLine(ctx, config, line, own, counters);
        if (failure) {
          await reader.cancel().catch(() => undefined);
          return failure;
        }
        newline = buffer.indexOf('\n');
      }
      if (buffer.length > config.maxLineBytes) {
        await reader.cancel().catch(() => undefined);
        return new ConnectorError('protocol', `X sent a line over ${config.maxLineBytes} bytes`);
      }
      if (!ruleSync && Date.now() - lastRuleSync > config.ruleSyncIntervalMs) {
        lastRuleSync = Date.now();
        ruleSync = syncRules(ctx, config, token, signal, counters)
          .catch((error: unknown) => ctx.logger.warn({ message: asConnectorError(error).message }, 'X rule sync failed'))
          .finally(() => {
            ruleSync = null;
          });
      }
    }
    return new ConnectorError('network', 'X closed the stream');
  } catch (error) {
    if (signal.aborted) return null;
    if (stalled) return new ConnectorError('network', `X stream stalled: nothing for ${Math.round(config.stallTimeoutMs / 1000)} s`);
    return asConnectorError(error);
  } finally {
    clearInterval(watchdog);
    signal.removeEventListener('abort', stop);
    session.abort();
    await ruleSync;
  }
}

async function handleLine(ctx: ReceiveContext, config: XStreamConfig, line: string, own: OwnAccounts, counters: XStreamCounters): Promise<ConnectorError | null> {
  const decision = parseXStreamLine(line, own, ctx.clock.now());
  switch (decision.kind) {
    case 'keepalive':
      counters.keepalives += 1;
      return null;
    case 'invalid':
      counters.lines += 1;
      counters.invalid += 1;
      return null;
    case 'skip':
      counters.lines += 1;
      counters.skipped += 1;
      return null;
    case 'disconnect':
      counters.lines += 1;
      return connectorErrorOfStreamError(decision.title, decision.detail);
    case 'post': {
      counters.lines += 1;
      try {
        const status = await ctx.ingest(decision.post.message);
        if (status === 'duplicate') counters.duplicates += 1;
        else counters.ingested += 1;
      } catch (error) {
        return new ConnectorError('network', `could not store an X post: ${asConnectorError(error).message}`);
      }
      const created = decision.createdAt ? Date.parse(decision.createdAt) : NaN;
      const lagSeconds = Number.isNaN(created) ? 0 : Math.max(0, (ctx.clock.now().getTime() - created) / 1000);
      ctx.report(lagSeconds > config.lagThresholdSeconds ? { state: 'lagging', lagSeconds: Math.round(lagSeconds) } : { state: 'connected' }, 'streaming');
      return null;
    }
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
    }
  }
}
