import { ImapFlow } from 'imapflow';
import { z } from 'zod';
import type { ReceiveConnector, ReceiveContext } from '../../connector.ts';
import { ConnectorError, createLoopConnector } from '../../connector.ts';
import { createStreamBackoff } from '../../connector.backoff.ts';
import type { EmailConfig, EmailCredentials } from './email.config.ts';
import { emailConfigSchema, emailCredentialsOf } from './email.config.ts';
import { emailConnectorError } from './email.errors.ts';
import { parseEmail } from './email.parser.ts';
import { mapEmail } from './email.mapper.ts';

/**
 * Reads an IMAP mailbox: the new messages by UID, then waits for more with IDLE (or polls). The cursor is the
 * mailbox's UIDVALIDITY and the last UID handed to ingest, saved after every message, so a restart neither reads a
 * message twice nor misses one; when UIDVALIDITY changes (the mailbox was rebuilt) the UIDs mean nothing any more
 * and the mailbox is read again from the backfill window — ingest drops what it already has by Message-ID.
 */

const cursorSchema = z.object({ v: z.literal(1), uidValidity: z.string().regex(/^\d{1,20}$/), lastUid: z.number().int().min(0) });
export type ImapCursor = z.infer<typeof cursorSchema>;

export function parseImapCursor(cursor: string | null): ImapCursor | null {
  if (!cursor) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface ImapCounters {
  connections: number;
  syncs: number;
  ingested: number;
  duplicates: number;
  skipped: number;
  tooLarge: number;
}

export function createImapConnector(ctx: ReceiveContext): ReceiveConnector & { counters: ImapCounters } {
  const counters: ImapCounters = { connections: 0, syncs: 0, ingested: 0, duplicates: 0, skipped: 0, tooLarge: 0 };
  return { ...createLoopConnector(ctx.channel.id, (signal) => run(ctx, signal, counters)), counters };
}

async function run(ctx: ReceiveContext, signal: AbortSignal, counters: ImapCounters): Promise<void> {
  const parsed = emailConfigSchema.safeParse(ctx.channel.config);
  const credentials = emailCredentialsOf(ctx.channel.credentials);
  if (!parsed.success || !credentials) {
    const why = parsed.success ? 'the channel has no IMAP user and password' : `invalid email channel settings: ${parsed.error.issues[0]?.message ?? ''}`;
    ctx.report({ state: 'failing', reason: 'config', message: why }, 'stopped');
    return;
  }
  const backoff = createStreamBackoff(ctx.random);
  let cursor = parseImapCursor(ctx.channel.syncCursor);
  while (!signal.aborted) {
    ctx.report(null, 'connecting');
    try {
      cursor = await session(ctx, parsed.data, credentials, cursor, signal, counters, () => backoff.reset());
    } catch (error) {
      if (signal.aborted) break;
      const failure = emailConnectorError(error, 'IMAP');
      ctx.logger.warn({ reason: failure.reason, message: failure.message }, 'IMAP session failed');
      ctx.report({ state: 'failing', reason: failure.reason, message: failure.message }, 'waiting');
      await ctx.timers.sleep(backoff.next(failure), signal);
    }
  }
  ctx.report(null, 'stopped');
}

/** One connection: sync, then wait for new mail and sync again, until the connection fails or we stop. */
async function session(
  ctx: ReceiveContext,
  config: EmailConfig,
  credentials: EmailCredentials,
  start: ImapCursor | null,
  signal: AbortSignal,
  counters: ImapCounters,
  onHealthy: () => void,
): Promise<ImapCursor | null> {
  const client = new ImapFlow({
    host: config.imap.host,
    port: config.imap.port,
    secure: config.imap.secure,
    auth: { user: credentials.imapUser, pass: credentials.imapPassword },
    logger: false,
    disableAutoIdle: !config.imap.idle,
    // A server without IDLE is asked with NOOP, which also makes it report new messages.
    missingIdleCommand: 'NOOP',
    connectionTimeout: 30_000,
    socketTimeout: 5 * 60_000,
    clientInfo: { name: 'Parley' },
  });
  let closed = false;
  let newMail = false;
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  client.on('error', (error: unknown) => {
    failure = error;
  });
  client.on('exists', () => {
    newMail = true;
    wake?.();
  });
  client.on('close', () => {
    closed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  let cursor = start;
  try {
    await client.connect();
    counters.connections += 1;
    const mailbox = await client.mailboxOpen(config.imap.mailbox);
    const uidValidity = String(mailbox.uidValidity);
    const resumed = cursor !== null && cursor.uidValidity === uidValidity;
    if (cursor && !resumed) ctx.logger.warn({ was: cursor.uidValidity, now: uidValidity }, 'UIDVALIDITY changed; reading the mailbox again');
    let state: ImapCursor = resumed && cursor ? cursor : { v: 1, uidValidity, lastUid: 0 };
    // Messages before this UID existed when the mailbox was opened: on a first read, older ones outside the
    // backfill window are passed over for good.
    const openedBelow = mailbox.uidNext;

    while (!signal.aborted) {
      state = await syncOnce(ctx, client, config, state, openedBelow, signal, counters);
      cursor = state;
      if (signal.aborted) break;
      ctx.report({ state: 'connected' }, config.imap.idle ? 'streaming' : 'polling');
      onHealthy();
      if (closed) throw failure ?? new ConnectorError('network', 'the IMAP server closed the connection');
      if (!newMail) {
        const waiter = new AbortController();
        wake = () => waiter.abort();
        await ctx.timers.sleep(config.imap.pollSeconds * 1000, AbortSignal.any([signal, waiter.signal]));
        wake = null;
      }
      // Set synchronously after the wait: an `exists` during the next sync sets it again and asks for one more pass.
      newMail = false;
      if (closed && !signal.aborted) throw failure ?? new ConnectorError('network', 'the IMAP server closed the connection');
    }
    return cursor;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!closed) {
      await Promise.race([client.logout().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      client.close();
    }
  }
}

async function syncOnce(
  ctx: ReceiveContext,
  client: ImapFlow,
  config: EmailConfig,
  start: ImapCursor,
  openedBelow: number,
  signal: AbortSignal,
  counters: ImapCounters,
): Promise<ImapCursor> {
  counters.syncs += 1;
  const first = start.lastUid === 0;
  const found = first
    ? await client.search({ since: new Date(ctx.clock.now().getTime() - config.imap.backfillDays * 86_400_000) }, { uid: true })
    : await client.search({ uid: `${start.lastUid + 1}:*` }, { uid: true });
  // "n:*" always matches the newest message even when its UID is below n.
  const uids = (found || []).filter((uid) => uid > start.lastUid).sort((a, b) => a - b);
  let cursor = start;
  const ownAddresses = new Set([config.address, ...config.ownAddresses].map((a) => a.toLowerCase()));
  for (const uid of uids) {
    if (signal.aborted) return cursor;
    const fetched = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
    if (fetched && (fetched.size ?? 0) > config.imap.maxMessageBytes) {
      counters.tooLarge += 1;
      ctx.logger.warn({ uid, size: fetched.size }, 'email larger than maxMessageBytes; skipped');
    } else if (fetched) {
      const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (message && message.source) {
        const mapping = mapEmail(await parseEmail(message.source), {
          ownAddresses, now: ctx.clock.now(), source: message.source, origin: { mailbox: config.imap.mailbox, uid, uidValidity: start.uidValidity },
        });
        if (mapping.kind === 'message') {
          const status = await ctx.ingest(mapping.message);
          if (status === 'duplicate') counters.duplicates += 1;
          else counters.ingested += 1;
        } else {
          counters.skipped += 1;
          ctx.logger.debug({ uid, reason: mapping.reason }, 'email not stored');
        }
      }
    }
    cursor = { ...cursor, lastUid: uid };
    await ctx.saveCursor(JSON.stringify(cursor));
  }
  if (first && cursor.lastUid < openedBelow - 1) {
    cursor = { ...cursor, lastUid: openedBelow - 1 };
    await ctx.saveCursor(JSON.stringify(cursor));
  }
  return cursor;
}
