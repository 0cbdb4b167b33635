import type { Queryable } from '../../platform/db/db.ts';

export const deliveryStates = ['pending', 'sending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/**
 * Turns events into deliveries for every enabled subscription of every workspace — the one webhook query that
 * crosses workspaces, like the outbox's. Each pass looks back `lookBackMs` before the previous pass (event seqs
 * are handed out before commit, so an event may become visible after a later one): an event already queued for a
 * subscription is skipped, and the unique index settles two workers racing. Returns the deliveries created.
 */
export async function fanOutEvents(tx: Queryable, at: Date, lookBackMs: number): Promise<number> {
  const rows = await tx.query<{ n: number | string }>(
    `WITH created AS (
       INSERT INTO webhook_delivery (workspace_id, id, subscription_id, event_seq, event_type, state, attempts, available_at, created_at)
       SELECT s.workspace_id, gen_random_uuid(), s.id, e.seq, e.type, 'pending', 0, $1, $1
       FROM webhook_subscription s
       JOIN event e ON e.workspace_id = s.workspace_id AND e.seq > s.start_seq
         AND e.created_at >= s.scanned_until - make_interval(secs => $2::float8)
       WHERE s.enabled
         AND EXISTS (SELECT 1 FROM unnest(s.event_types) p WHERE p = e.type OR (right(p, 2) = '.*' AND starts_with(e.type, left(p, -1))))
         AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.workspace_id = s.workspace_id AND d.subscription_id = s.id AND d.event_seq = e.seq)
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
     SELECT count(*) AS n FROM created`,
    [at, lookBackMs / 1000],
  );
  await tx.query(`UPDATE webhook_subscription SET scanned_until = now() WHERE enabled`);
  return Number(rows[0]?.n ?? 0);
}

export interface ClaimedDelivery {
  workspaceId: string;
  id: string;
  subscriptionId: string;
  eventSeq: number;
  eventType: string;
  /** This attempt's number, from 1. */
  attempt: number;
}

/**
 * Claims due deliveries of enabled subscriptions (and ones a vanished worker left `sending` past `staleBefore`),
 * marking them `sending` by this worker. Deliveries are at least once: a receiver de-duplicates by delivery id.
 */
export async function claimDeliveries(tx: Queryable, input: { now: Date; staleBefore: Date; limit: number; workerId: string }): Promise<ClaimedDelivery[]> {
  const rows = await tx.query<{ workspace_id: string; id: string; subscription_id: string; event_seq: number | string; event_type: string; attempts: number }>(
    `UPDATE webhook_delivery d SET state = 'sending', claimed_by = $3, claimed_at = $1, attempts = d.attempts + 1
     WHERE (d.workspace_id, d.id) IN (
       SELECT w.workspace_id, w.id FROM webhook_delivery w
       JOIN webhook_subscription s ON s.workspace_id = w.workspace_id AND s.id = w.subscription_id
       WHERE s.enabled AND ((w.state = 'pending' AND w.available_at <= $1) OR (w.state = 'sending' AND w.claimed_at < $2))
       ORDER BY w.available_at, w.event_seq
       LIMIT $4
       FOR UPDATE OF w SKIP LOCKED)
     RETURNING d.workspace_id, d.id, d.subscription_id, d.event_seq, d.event_type, d.attempts`,
    [input.now, input.staleBefore, input.workerId, input.limit],
  );
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    id: r.id,
    subscriptionId: r.subscription_id,
    eventSeq: Number(r.event_seq),
    eventType: r.event_type,
    attempt: Number(r.attempts),
  }));
}

export interface DeliveryTarget {
  url: string;
  secretSealed: string;
  event: { seq: number; type: string; caseId: string | null; actorUserId: string | null; data: Record<string, unknown>; createdAt: Date } | null;
}

/** What one delivery sends: its subscription's URL and secret, and the event. */
export async function loadDeliveryTarget(db: Queryable, claim: ClaimedDelivery): Promise<DeliveryTarget | null> {
  const rows = await db.query<{
    url: string; secret_sealed: string; seq: number | string | null; type: string | null; case_id: string | null;
    actor_user_id: string | null; data: Record<string, unknown> | null; created_at: Date | null;
  }>(
    `SELECT s.url, s.secret_sealed, e.seq, e.type, e.case_id, e.actor_user_id, e.data, e.created_at
     FROM webhook_subscription s
     LEFT JOIN event e ON e.workspace_id = s.workspace_id AND e.seq = $3
     WHERE s.workspace_id = $1 AND s.id = $2`,
    [claim.workspaceId, claim.subscriptionId, claim.eventSeq],
  );
  const r = rows[0];
  if (!r) return null;
  const event = r.seq !== null && r.type && r.created_at
    ? { seq: Number(r.seq), type: r.type, caseId: r.case_id, actorUserId: r.actor_user_id, data: r.data ?? {}, createdAt: r.created_at }
    : null;
  return { url: r.url, secretSealed: r.secret_sealed, event };
}

export interface AttemptResult {
  state: 'delivered' | 'pending' | 'failed';
  status: number | null;
  error: string | null;
  availableAt?: Date;
}

/** Records an attempt's outcome, fenced by the claim: a worker that lost its row writes nothing. */
export async function settleDelivery(tx: Queryable, claim: ClaimedDelivery, workerId: string, result: AttemptResult, at: Date): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE webhook_delivery SET state = $5, last_status = $6, last_error = $7,
       available_at = coalesce($8, available_at), delivered_at = CASE WHEN $5 = 'delivered' THEN $9::timestamptz END
     WHERE workspace_id = $1 AND id = $2 AND state = 'sending' AND claimed_by = $3 AND attempts = $4
     RETURNING id`,
    [claim.workspaceId, claim.id, workerId, claim.attempt, result.state, result.status, result.error, result.availableAt ?? null, at],
  );
  return rows.length > 0;
}

/** A success resets the subscription's run of failures. */
export async function recordSubscriptionSuccess(tx: Queryable, workspaceId: string, subscriptionId: string, at: Date): Promise<void> {
  await tx.query(
    `UPDATE webhook_subscription SET consecutive_failures = 0, last_success_at = $3, last_error = NULL WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, subscriptionId, at],
  );
}

/**
 * A failed attempt adds to the subscription's run of failures; the attempt that reaches `maxFailures` disables it
 * with a reason an admin can read. Returns whether this attempt disabled it.
 */
export async function recordSubscriptionFailure(
  tx: Queryable,
  input: { workspaceId: string; subscriptionId: string; error: string; at: Date; maxFailures: number },
): Promise<boolean> {
  const rows = await tx.query<{ enabled: boolean; disabled_at: Date | null }>(
    `UPDATE webhook_subscription SET
       consecutive_failures = consecutive_failures + 1, last_failure_at = $3, last_error = $4,
       enabled = CASE WHEN enabled AND consecutive_failures + 1 >= $5 THEN false ELSE enabled END,
       disabled_at = CASE WHEN enabled AND consecutive_failures + 1 >= $5 THEN $3 ELSE disabled_at END,
       disabled_reason = CASE WHEN enabled AND consecutive_failures + 1 >= $5
         THEN 'disabled after ' || (consecutive_failures + 1) || ' consecutive failed deliveries; last: ' || $4 ELSE disabled_reason END
     WHERE workspace_id = $1 AND id = $2
     RETURNING enabled, disabled_at`,
    [input.workspaceId, input.subscriptionId, input.at, input.error, input.maxFailures],
  );
  const row = rows[0];
  return row !== undefined && !row.enabled && row.disabled_at !== null && row.disabled_at.getTime() === input.at.getTime();
}

export interface DeliveryView {
  id: string;
  eventSeq: number;
  eventType: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export async function listDeliveries(db: Queryable, workspaceId: string, subscriptionId: string, limit: number): Promise<DeliveryView[]> {
  const rows = await db.query<{
    id: string; event_seq: number | string; event_type: string; state: DeliveryState; attempts: number; available_at: Date;
    last_status: number | null; last_error: string | null; delivered_at: Date | null; created_at: Date;
  }>(
    `SELECT id, event_seq, event_type, state, attempts, available_at, last_status, last_error, delivered_at, created_at
     FROM webhook_delivery WHERE workspace_id = $1 AND subscription_id = $2
     ORDER BY created_at DESC, event_seq DESC LIMIT $3`,
    [workspaceId, subscriptionId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    eventSeq: Number(r.event_seq),
    eventType: r.event_type,
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: r.state === 'pending' ? r.available_at.toISOString() : null,
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at ? r.delivered_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  }));
}
