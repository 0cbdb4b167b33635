import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { ingestMessage, inboundMessageSchema } from '../ingest/index.ts';
import type { IngestChannel, IngestDeps, IngestOutcome, InboundMessage, InboundMessageInput } from '../ingest/index.ts';
import { refreshIngestStatistics } from './import.repository.ts';
import { readTwcs } from './twcs.reader.ts';
import { skipReasons } from './twcs.schema.ts';
import type { SkipReason, TwcsTweet } from './twcs.schema.ts';
import { planTwcsImport } from './twcs.threads.ts';
import type { PlannedTweet } from './twcs.threads.ts';

export interface ImportProgress {
  done: number;
  total: number;
}

export interface TwcsImportOptions {
  /** Messages ingested at once on PostgreSQL. PGlite has a single connection, so there it is always 1. */
  concurrency?: number;
  /** Called once before the first message (done = 0) and after every message. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface SkippedRows {
  reason: SkipReason;
  count: number;
  /** A few lines of the file skipped for this reason (the first ones met), in file order. */
  lines: number[];
}

export interface ImportSummary {
  /** Data records read from the file, skipped ones included. */
  rows: number;
  /** Messages stored by this run. */
  messages: number;
  inbound: number;
  outbound: number;
  /** Rows whose tweet was already stored, by an earlier import or earlier in the same file. */
  duplicates: number;
  /** Cases opened by this run. */
  cases: number;
  /** Connected components of reply links among the file's valid tweets. */
  threads: number;
  /** Distinct customer authors among the file's valid tweets. */
  customers: number;
  skipped: SkippedRows[];
  skippedTotal: number;
  elapsedMs: number;
}

interface ReadyMessage {
  line: number;
  message: InboundMessage;
}

const sampleLines = 5;
/** On PGlite, statistics are refreshed after this many messages, then each time the count doubles. */
const firstStatisticsRefresh = 250;

class SkipTally {
  private readonly byReason = new Map<SkipReason, SkippedRows>();

  add(reason: SkipReason, line: number): void {
    const entry = this.byReason.get(reason) ?? { reason, count: 0, lines: [] };
    entry.count += 1;
    if (entry.lines.length < sampleLines) entry.lines.push(line);
    this.byReason.set(reason, entry);
  }

  list(): SkippedRows[] {
    return skipReasons.flatMap((r) => {
      const entry = this.byReason.get(r);
      return entry ? [{ ...entry, lines: [...entry.lines].sort((a, b) => a - b) }] : [];
    });
  }
}

/** The normalized message for one tweet: customers' tweets come in, the brand's replies were sent by the brand. */
export function toInboundMessage(tweet: PlannedTweet): InboundMessageInput {
  const author = { platform: 'x', externalId: tweet.authorId, handle: tweet.authorId };
  return {
    externalId: tweet.tweetId,
    direction: tweet.inbound ? 'inbound' : 'outbound',
    text: tweet.text,
    author,
    senderName: tweet.inbound ? undefined : tweet.authorId,
    replyToExternalId: tweet.replyTo ?? undefined,
    isPublic: true,
    sentAt: tweet.createdAt,
    raw: {
      format: 'twcs',
      tweetId: tweet.tweetId,
      authorId: tweet.authorId,
      inbound: tweet.inbound,
      createdAt: tweet.createdAt,
      responseTweetIds: tweet.responseIds,
      inResponseToTweetId: tweet.inResponseTo,
    },
  };
}

/**
 * Imports a twcs CSV into one X channel through the ordinary ingest path, so threading, cases and events are exactly
 * what live traffic would have produced. Bad rows are skipped and counted; re-running the import stores nothing new.
 */
export async function importTwcs(
  deps: IngestDeps,
  channel: IngestChannel,
  source: string | Readable,
  options: TwcsImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const skips = new SkipTally();
  const tweets: TwcsTweet[] = [];
  let rows = 0;
  for await (const result of readTwcs(source)) {
    rows += 1;
    if (result.ok) tweets.push(result.tweet);
    else skips.add(result.reason, result.line);
  }

  const plan = planTwcsImport(tweets);
  const ready = new Map<string, ReadyMessage>();
  for (const tweet of plan.ordered) {
    const parsed = inboundMessageSchema.safeParse(toInboundMessage(tweet));
    if (parsed.success) ready.set(tweet.tweetId, { line: tweet.line, message: parsed.data });
    else skips.add('invalid-message', tweet.line);
  }
  const concurrency = deps.db.kind === 'pglite' ? 1 : Math.max(1, Math.floor(options.concurrency ?? 1));
  // One group in time order when serial; independent groups otherwise (see planTwcsImport).
  const groups = (concurrency === 1 ? [plan.ordered] : plan.groups).map((group) =>
    group.flatMap((t) => ready.get(t.tweetId) ?? []),
  );

  const counts = { inbound: 0, outbound: 0, duplicates: plan.duplicates.length, cases: 0, done: 0 };
  const total = ready.size;
  const refreshesStatistics = deps.db.kind === 'pglite';
  let nextRefresh = firstStatisticsRefresh;
  options.onProgress?.({ done: 0, total });
  await runGroups(groups, concurrency, async ({ line, message }) => {
    const outcome = await ingestRow(deps, channel, message);
    switch (outcome.status) {
      case 'rejected':
        skips.add('rejected-by-database', line);
        break;
      case 'created':
        counts[message.direction] += 1;
        if (outcome.caseCreated) counts.cases += 1;
        break;
      case 'duplicate':
        counts.duplicates += 1;
        break;
      case 'ignored':
        // Owned channels pass every message; a listening channel may drop some, which is not an error.
        break;
      default: {
        const unreachable: never = outcome.status;
        throw new Error(`unknown ingest status ${String(unreachable)}`);
      }
    }
    counts.done += 1;
    if (refreshesStatistics && counts.done === nextRefresh) {
      nextRefresh *= 2;
      await refreshIngestStatistics(deps.db);
    }
    options.onProgress?.({ done: counts.done, total });
  });

  const skipped = skips.list();
  return {
    rows,
    messages: counts.inbound + counts.outbound,
    inbound: counts.inbound,
    outbound: counts.outbound,
    duplicates: counts.duplicates,
    cases: counts.cases,
    threads: plan.threads,
    customers: plan.customers,
    skipped,
    skippedTotal: skipped.reduce((sum, s) => sum + s.count, 0),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** SQLSTATE class 22 (data exception): the database refused what this row holds; the transaction rolled back. */
function isDataException(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'string' && error.code.startsWith('22');
}

/** Ingests one row; a row whose content the database rejects is reported, anything else (e.g. a lost connection) aborts. */
async function ingestRow(
  deps: IngestDeps,
  channel: IngestChannel,
  message: InboundMessage,
): Promise<{ status: IngestOutcome['status'] | 'rejected'; caseCreated: boolean }> {
  try {
    return await ingestMessage(deps, channel, message);
  } catch (error) {
    if (isDataException(error)) return { status: 'rejected', caseCreated: false };
    throw error;
  }
}

async function runGroups<T>(groups: T[][], concurrency: number, handle: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < groups.length) {
      const group = groups[next];
      next += 1;
      for (const item of group) {
        if (failed) return;
        try {
          await handle(item);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
}
