import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { decryptSecret } from '../../platform/crypto.ts';
import { retryDelayMs } from '../replies/index.ts';
import type { RetryPolicy } from '../replies/index.ts';
import {
  claimDeliveries,
  fanOutEvents,
  loadDeliveryTarget,
  recordSubscriptionFailure,
  recordSubscriptionSuccess,
  settleDelivery,
} from './delivery.repository.ts';
import type { AttemptResult, ClaimedDelivery, DeliveryTarget } from './delivery.repository.ts';
import { signedHeaders } from './webhook.signature.ts';
import { sendWebhook } from './webhook.sender.ts';
import type { SendOutcome } from './webhook.sender.ts';

/**
 * Outbound webhook delivery. Each pass turns new events into deliveries for the subscriptions that asked for them,
 * then claims due deliveries (FOR UPDATE SKIP LOCKED, so any number of workers share them) and posts each, signed:
 *
 *   2xx                          → delivered; the subscription's failure run resets
 *   network error, timeout, 5xx,
 *   408, 429                     → tried again after exponential back-off (never sooner than Retry-After), up to
 *                                  `maxAttempts`, then failed
 *   other status, blocked target → failed at once
 *
 * Every failed attempt adds to the subscription's run of consecutive failures; at `maxConsecutiveFailures` the
 * subscription is disabled with the reason shown on the API, and its deliveries wait until an admin enables it.
 */
export interface WebhookWorker {
  /** One pass; resolves with the number of deliveries attempted. */
  runOnce(): Promise<{ queued: number; attempted: number }>;
  start(): void;
  stop(): Promise<void>;
}

/** 10 s doubling to an hour, drawn from [d/2, d]; ten attempts span about an hour and a half. */
export const webhookRetryPolicy: RetryPolicy = { baseMs: 10_000, maxMs: 60 * 60_000, jitter: 0.5, maxAttempts: 10 };

export const defaultMaxConsecutiveFailures = 20;

export interface WebhookWorkerOptions {
  db: Db;
  secretKey: Buffer;
  logger: Logger;
  /** Whether webhooks may go to private and loopback addresses (PARLEY_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  clock?: Clock;
  random?: () => number;
  workerId?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  timeoutMs?: number;
  retryPolicy?: RetryPolicy;
  maxConsecutiveFailures?: number;
  /** How far before the previous pass each fan-out looks again for events committed late. */
  lookBackMs?: number;
}

export function createWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? 20;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleAfterMs = timeoutMs + 60_000;
  const policy = options.retryPolicy ?? webhookRetryPolicy;
  const maxFailures = options.maxConsecutiveFailures ?? defaultMaxConsecutiveFailures;
  const lookBackMs = options.lookBackMs ?? 60_000;
  const log = options.logger.child({ component: 'webhooks', workerId });

  async function runOnce(): Promise<{ queued: number; attempted: number }> {
    const now = clock.now();
    const queued = await options.db.transaction((tx) => fanOutEvents(tx, now, lookBackMs));
    const claims = await options.db.transaction((tx) =>
      claimDeliveries(tx, { now, staleBefore: new Date(now.getTime() - staleAfterMs), limit: batchSize, workerId }),
    );
    await Promise.all(claims.map((claim) => deliver(claim).catch((error: unknown) => log.error({ err: error, deliveryId: claim.id }, 'webhook delivery failed unexpectedly'))));
    return { queued, attempted: claims.length };
  }

  async function deliver(claim: ClaimedDelivery): Promise<void> {
    const target = await loadDeliveryTarget(options.db, claim);
    if (!target) return;
    const outcome = await attempt(claim, target);
    await settle(claim, outcome);
  }

  async function attempt(claim: ClaimedDelivery, target: DeliveryTarget): Promise<SendOutcome> {
    if (!target.event) return { kind: 'rejected', status: null, error: `event ${claim.eventSeq} no longer exists` };
    let secret: string;
    try {
      secret = decryptSecret(options.secretKey, target.secretSealed);
    } catch {
      return { kind: 'rejected', status: null, error: 'the signing secret cannot be decrypted with this PARLEY_SECRET_KEY' };
    }
    const body = deliveryBody(claim, target.event);
    const now = clock.now();
    return sendWebhook({
      url: target.url,
      body,
      headers: signedHeaders({ secret, deliveryId: claim.id, eventType: claim.eventType, body, at: now }),
      timeoutMs,
      allowPrivate: options.allowPrivate,
      now,
    });
  }

  async function settle(claim: ClaimedDelivery, outcome: SendOutcome): Promise<void> {
    const at = clock.now();
    let result: AttemptResult;
    switch (outcome.kind) {
      case 'delivered':
        result = { state: 'delivered', status: outcome.status, error: null };
        break;
      case 'retry':
        result = claim.attempt >= policy.maxAttempts
          ? { state: 'failed', status: outcome.status, error: `${outcome.error} (gave up after ${claim.attempt} attempts)` }
          : { state: 'pending', status: outcome.status, error: outcome.error, availableAt: new Date(at.getTime() + retryDelayMs(policy, claim.attempt, random, outcome.retryAfterMs)) };
        break;
      case 'rejected':
        result = { state: 'failed', status: outcome.status, error: outcome.error };
        break;
      default: {
        const unreachable: never = outcome;
        throw new Error(`unknown send outcome ${JSON.stringify(unreachable)}`);
      }
    }
    const disabled = await options.db.transaction(async (tx) => {
      if (!(await settleDelivery(tx, claim, workerId, result, at))) return false;
      if (result.state === 'delivered') {
        await recordSubscriptionSuccess(tx, claim.workspaceId, claim.subscriptionId, at);
        return false;
      }
      return recordSubscriptionFailure(tx, { workspaceId: claim.workspaceId, subscriptionId: claim.subscriptionId, error: result.error ?? 'failed', at, maxFailures });
    });
    if (disabled) log.warn({ subscriptionId: claim.subscriptionId, workspaceId: claim.workspaceId }, 'webhook subscription disabled after repeated failures');
  }

  let running = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const loop = async () => {
    if (stopped || running) return;
    running = true;
    let busy = false;
    try {
      const pass = runOnce();
      inFlight = pass;
      const { attempted } = await pass;
      busy = attempted >= batchSize;
    } catch (error) {
      log.warn({ err: error }, 'webhook pass failed; retrying on the next tick');
    } finally {
      running = false;
    }
    if (!stopped) timer = setTimeout(() => void loop(), busy ? 0 : pollIntervalMs);
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(() => void loop(), 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight.catch(() => undefined);
    },
  };
}

/**
 * The JSON a receiver gets. The same bytes on every attempt (the event is immutable), signed with a fresh timestamp.
 * `id` is the delivery's id: a receiver that sees it twice has seen the same delivery twice.
 */
export function deliveryBody(
  claim: { id: string; workspaceId: string },
  event: { seq: number; type: string; caseId: string | null; actorUserId: string | null; data: Record<string, unknown>; createdAt: Date },
): string {
  return JSON.stringify({
    id: claim.id,
    workspaceId: claim.workspaceId,
    event: { seq: event.seq, type: event.type, caseId: event.caseId, actorUserId: event.actorUserId, createdAt: event.createdAt.toISOString(), data: event.data },
  });
}
