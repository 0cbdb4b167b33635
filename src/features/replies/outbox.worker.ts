import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { decryptSecret } from '../../platform/crypto.ts';
import { SendError, createSendConnector, recordChannelHealth } from '../channels/index.ts';
import type { ChannelKind, SendConnector, SendDeps, SendRequest, SentPost } from '../channels/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import { claimDue, deferChannel, finishAttempt, loadDeliveryContext, rescheduleAttempt } from './outbox.repository.ts';
import type { Claim, DeliveryContext } from './outbox.repository.ts';
import { outboxRetryPolicy, retryDelayMs } from './outbox.backoff.ts';
import type { RetryPolicy } from './outbox.backoff.ts';
import { recordSentReply } from './reply.recorder.ts';
import { findLastInboundAt, findTargetMessage, updateReply } from './reply.repository.ts';
import type { TargetMessage } from './reply.repository.ts';
import { releaseNextPart, stopThreadAfter } from './thread.delivery.ts';
import type { ThreadPart } from './thread.delivery.ts';
import { fallBackFromRefusedDm } from './private-move.fallback.ts';

/**
 * Outbox delivery. Each pass claims due rows (committing `sending` and a fresh attempt id before any platform call),
 * sends each through its channel's send connector with the reply id as idempotency key, and records the outcome in
 * one transaction fenced by the attempt id:
 *
 *   sent                → outbound message on the case, reply sent, `reply.sent`; a thread's next part enters
 *                         the outbox
 *   temporary failure   → back to pending after back-off (never sooner than the platform asked), `reply.retrying`;
 *                         when the attempt may have reached the platform, the next one reconciles first
 *   auth / permission   → channel marked failing with the reason, reply failed, `reply.failed`
 *   rejected            → reply failed with the platform's reason, `reply.failed`; a refused move-private DM
 *                         falls back to email or a secure link
 *   cannot tell         → reply unknown for an agent to confirm, `reply.unknown`
 *
 * A failed part of a thread fails the parts after it. A row left `sending` by a crashed worker is claimed again once
 * stale and reconciled — never sent blindly.
 */
export interface OutboxWorker {
  /** One pass; resolves with the number of rows it handled. */
  runOnce(): Promise<number>;
  /** Runs passes until stopped: at once while there is work, otherwise every `pollIntervalMs`. */
  start(): void;
  /** Stops after the pass in flight. */
  stop(): Promise<void>;
}

export interface OutboxWorkerOptions {
  db: Db;
  secretKey: Buffer;
  logger: Logger;
  clock?: Clock;
  notifier?: EventNotifier;
  random?: () => number;
  workerId?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  /** A platform call that takes longer is abandoned (and treated as possibly delivered). */
  sendTimeoutMs?: number;
  /** A row `sending` for longer than this lost its worker; it must stay above sendTimeoutMs. */
  staleAfterMs?: number;
  retryPolicy?: RetryPolicy;
  /** Replaces the driver registry (tests use it to point at a connector they control). */
  connectorFor?: (kind: ChannelKind) => SendConnector | null;
  sendDeps?: SendDeps;
}

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? 10;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  const staleAfterMs = Math.max(options.staleAfterMs ?? 5 * 60_000, sendTimeoutMs + 30_000);
  const policy = options.retryPolicy ?? outboxRetryPolicy;
  const connectors = new Map<ChannelKind, SendConnector | null>();
  const connectorFor = (kind: ChannelKind): SendConnector | null => {
    if (options.connectorFor) return options.connectorFor(kind);
    if (!connectors.has(kind)) connectors.set(kind, createSendConnector(kind, options.sendDeps));
    return connectors.get(kind) ?? null;
  };
  const log = options.logger.child({ component: 'outbox', workerId });

  async function runOnce(): Promise<number> {
    const now = clock.now();
    const claims = await options.db.transaction(async (tx) => {
      const claimed = await claimDue(tx, { now, staleBefore: new Date(now.getTime() - staleAfterMs), limit: batchSize, workerId });
      for (const claim of claimed) {
        await updateReply(tx, claim.workspaceId, claim.replyId, { status: 'sending' }, now);
        await appendEvent(tx, {
          workspaceId: claim.workspaceId,
          type: 'reply.sending',
          caseId: claim.caseId,
          data: { replyId: claim.replyId, attempt: claim.attempt, reconciling: claim.needsReconcile },
        });
      }
      return claimed;
    });
    for (const workspaceId of new Set(claims.map((c) => c.workspaceId))) options.notifier?.notify(workspaceId);
    await Promise.all(claims.map((claim) => deliver(claim).catch((error: unknown) => log.error({ err: error, replyId: claim.replyId }, 'delivery failed unexpectedly'))));
    return claims.length;
  }

  async function deliver(claim: Claim): Promise<void> {
    const context = await loadDeliveryContext(options.db, claim.workspaceId, claim.replyId);
    if (!context) return;
    const connector = connectorFor(context.channel.kind);
    if (!connector) {
      await settle(claim, context, { kind: 'failed', reason: `${context.channel.kind} replies are not sent by a connector` });
      return;
    }
    let credentials: Record<string, string>;
    try {
      credentials = credentialsOf(context);
    } catch {
      await settle(claim, context, { kind: 'failed', reason: 'the channel credentials cannot be decrypted with this PARLEY_SECRET_KEY', channelFailure: 'auth' });
      return;
    }
    if (context.thread && context.thread.part > 1 && !context.threadParent) {
      // The outbox releases a part only after the one before it is recorded as sent; anything else is a bug.
      await settle(claim, context, { kind: 'failed', reason: `part ${context.thread.part - 1} of this thread was not recorded as sent` });
      return;
    }
    const target = context.inReplyToMessageId ? await findTargetMessage(options.db, claim.workspaceId, context.inReplyToMessageId) : null;
    const lastInboundAt = target?.author ? await findLastInboundAt(options.db, claim.workspaceId, context.channel.id, target.author.id) : null;
    const request = requestOf(claim, context, credentials, target, lastInboundAt, clock.now());
    const signal = AbortSignal.timeout(sendTimeoutMs);

    let reconcilePending = claim.needsReconcile;
    try {
      if (claim.needsReconcile) {
        const outcome = await connector.reconcile(request, signal);
        switch (outcome.state) {
          case 'sent':
            await settle(claim, context, { kind: 'sent', post: outcome.post, via: 'reconciled', target });
            return;
          case 'unknown':
            await settle(claim, context, { kind: 'unknown', reason: outcome.reason });
            return;
          case 'safe_to_send':
            reconcilePending = false;
            break;
          default: {
            const unreachable: never = outcome;
            throw new Error(`unknown reconcile outcome ${JSON.stringify(unreachable)}`);
          }
        }
      }
      const post = await connector.send(request, signal);
      await settle(claim, context, { kind: 'sent', post, via: 'connector', target });
    } catch (error) {
      const failure = asSendError(error);
      await handleFailure(claim, context, failure, reconcilePending || failure.ambiguous);
    }
  }

  async function handleFailure(claim: Claim, context: DeliveryContext, failure: SendError, mayHaveArrived: boolean): Promise<void> {
    switch (failure.kind) {
      case 'temporary': {
        if (claim.attempt >= policy.maxAttempts) {
          const reason = `gave up after ${claim.attempt} attempts: ${failure.message}`;
          // An attempt that may have arrived is not a failure Parley can assert.
          await settle(claim, context, mayHaveArrived ? { kind: 'unknown', reason } : { kind: 'failed', reason });
          return;
        }
        const delay = retryDelayMs(policy, claim.attempt, random, failure.retryAfterMs);
        const retryAt = new Date(clock.now().getTime() + delay);
        await options.db.transaction(async (tx) => {
          const owned = await rescheduleAttempt(tx, claim, { availableAt: retryAt, needsReconcile: mayHaveArrived, lastError: failure.message });
          if (!owned) return;
          if (failure.retryAfterMs !== undefined) await deferChannel(tx, claim.workspaceId, context.channel.id, retryAt);
          await updateReply(tx, claim.workspaceId, claim.replyId, { status: 'queued' }, clock.now());
          await appendEvent(tx, {
            workspaceId: claim.workspaceId,
            type: 'reply.retrying',
            caseId: context.caseId,
            data: { replyId: claim.replyId, attempt: claim.attempt, retryAt: retryAt.toISOString(), reason: failure.message, reconcileFirst: mayHaveArrived },
          });
        });
        options.notifier?.notify(claim.workspaceId);
        log.warn({ replyId: claim.replyId, attempt: claim.attempt, delayMs: delay, reason: failure.message }, 'reply delivery will be retried');
        return;
      }
      case 'auth':
      case 'permission':
        await settle(claim, context, { kind: 'failed', reason: failure.message, channelFailure: failure.kind });
        return;
      case 'rejected':
        await settle(claim, context, { kind: 'failed', reason: failure.message, refused: true });
        return;
      default: {
        const unreachable: never = failure.kind;
        throw new Error(`unknown send error kind ${String(unreachable)}`);
      }
    }
  }

  type Outcome =
    | { kind: 'sent'; post: SentPost; via: 'connector' | 'reconciled'; target: TargetMessage | null }
    | { kind: 'failed'; reason: string; channelFailure?: 'auth' | 'permission'; refused?: boolean }
    | { kind: 'unknown'; reason: string };

  /** Records the end of a delivery, fenced by the attempt id: a worker that lost its row writes nothing. */
  async function settle(claim: Claim, context: DeliveryContext, outcome: Outcome): Promise<void> {
    const now = clock.now();
    const ws = claim.workspaceId;
    const part: ThreadPart | null = context.thread
      ? { workspaceId: ws, caseId: context.caseId, replyId: claim.replyId, threadId: context.thread.id, part: context.thread.part, of: context.thread.of }
      : null;
    const owned = await retryOnConflict(() => options.db.transaction(async (tx) => {
      if (!(await finishAttempt(tx, claim, outcome.kind === 'sent' ? null : outcome.reason))) return false;
      switch (outcome.kind) {
        case 'sent':
          await recordSentReply(tx, {
            workspaceId: ws,
            replyId: claim.replyId,
            caseId: context.caseId,
            channelId: context.channel.id,
            isPrivate: context.isPrivate,
            senderName: context.agentName,
            replyToExternalId: context.threadParent?.externalId ?? outcome.target?.externalId ?? null,
            externalId: outcome.post.externalId,
            url: outcome.post.url,
            text: outcome.post.text,
            raw: outcome.post.raw,
            at: now,
            via: outcome.via,
            actorUserId: null,
          });
          if (part) await releaseNextPart(tx, part, now);
          return true;
        case 'failed':
          await updateReply(tx, ws, claim.replyId, { status: 'failed', failureReason: outcome.reason }, now);
          if (outcome.channelFailure) {
            await recordChannelHealth(tx, ws, context.channel.id, { state: 'failing', reason: outcome.channelFailure, message: `sending: ${outcome.reason}` }, null, now);
          }
          await appendEvent(tx, {
            workspaceId: ws, type: 'reply.failed', caseId: context.caseId,
            data: { replyId: claim.replyId, reason: outcome.reason, channelFailing: outcome.channelFailure ?? null, threadId: context.thread?.id ?? null },
          });
          if (part) await stopThreadAfter(tx, part, outcome.reason, now);
          if (outcome.refused && context.privateFallback && context.isPrivate) {
            await fallBackFromRefusedDm(tx, options.secretKey, {
              workspaceId: ws, caseId: context.caseId, replyId: claim.replyId, channelId: context.channel.id, channelKind: context.channel.kind,
              channelConfig: context.channel.config, authorUserId: context.authorUserId, senderName: context.agentName, text: context.text,
              inReplyToMessageId: context.inReplyToMessageId, linkBaseUrl: context.linkBaseUrl,
            }, outcome.reason, now);
          }
          return true;
        case 'unknown':
          await updateReply(tx, ws, claim.replyId, { status: 'unknown', failureReason: outcome.reason }, now);
          await appendEvent(tx, { workspaceId: ws, type: 'reply.unknown', caseId: context.caseId, data: { replyId: claim.replyId, reason: outcome.reason } });
          return true;
        default: {
          const unreachable: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
        }
      }
    }));
    if (!owned) {
      log.warn({ replyId: claim.replyId, attemptId: claim.attemptId }, 'another worker took this reply over; its outcome here is discarded');
      return;
    }
    options.notifier?.notify(ws);
    log.info({ replyId: claim.replyId, outcome: outcome.kind, attempt: claim.attempt }, 'reply delivery settled');
  }

  function credentialsOf(context: DeliveryContext): Record<string, string> {
    if (!context.channel.credentialsEncrypted) return {};
    const parsed: unknown = JSON.parse(decryptSecret(options.secretKey, context.channel.credentialsEncrypted));
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }

  let controller: AbortController | null = null;
  let loop: Promise<void> | null = null;

  return {
    runOnce,
    start() {
      if (loop) return;
      const own = new AbortController();
      controller = own;
      loop = (async () => {
        while (!own.signal.aborted) {
          let handled = 0;
          try {
            handled = await runOnce();
          } catch (error) {
            log.error({ err: error }, 'outbox pass failed');
          }
          if (handled === 0 && !own.signal.aborted) await sleep(pollIntervalMs, own.signal);
        }
      })();
    },
    async stop() {
      controller?.abort();
      await loop;
      loop = null;
      controller = null;
    },
  };
}

function requestOf(
  claim: Claim,
  context: DeliveryContext,
  credentials: Record<string, string>,
  target: TargetMessage | null,
  lastInboundAt: Date | null,
  now: Date,
): SendRequest {
  return {
    replyId: claim.replyId,
    createdAt: context.createdAt,
    text: context.text,
    private: context.isPrivate,
    channel: {
      workspaceId: claim.workspaceId,
      id: context.channel.id,
      kind: context.channel.kind,
      name: context.channel.name,
      config: context.channel.config,
      credentials,
    },
    target: target
      ? {
          externalId: target.externalId,
          replyToExternalId: target.replyToExternalId,
          isPublic: target.isPublic,
          text: target.text,
          sentAt: target.sentAt,
          raw: target.raw,
          author: target.author
            ? { platform: target.author.platform, externalId: target.author.externalId, handle: target.author.handle, displayName: target.author.displayName }
            : null,
        }
      : null,
    subject: context.subject,
    agentName: context.agentName,
    lastInboundAt,
    firstAttemptAt: claim.firstAttemptAt,
    now,
    threadParent: context.threadParent,
    recipient: context.recipientAddress,
  };
}

const retryableSqlStates = new Set(['40001', '40P01']);

/**
 * Recording an outcome that lost a deadlock or serialization race is simply tried again: until it commits, the row
 * stays `sending`, and giving up would leave a delivered reply to the slow stale-row reconciliation.
 */
async function retryOnConflict<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
      if (attempt >= attempts || typeof code !== 'string' || !retryableSqlStates.has(code)) throw error;
    }
  }
}

/** Anything a connector throws that is not a SendError is a bug or an unforeseen failure: retry, and check first. */
function asSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new SendError('temporary', 'the platform did not answer in time', { ambiguous: true, cause: error });
  }
  return new SendError('temporary', `unexpected error while sending: ${message}`, { ambiguous: true, cause: error });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
