/**
 * When the outbox tries a temporary failure again: exponential from 5 s, doubling to at most 15 minutes, with
 * "equal jitter" so a platform outage does not bring every worker back in the same second — and never sooner than
 * the platform asked (Retry-After, rate-limit reset).
 */

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** 0.5: the delay is drawn from [d/2, d]. */
  jitter: number;
  /** Attempts before a temporary failure becomes final. */
  maxAttempts: number;
}

export const outboxRetryPolicy: RetryPolicy = { baseMs: 5_000, maxMs: 15 * 60_000, jitter: 0.5, maxAttempts: 8 };

/** The wait after failed attempt number `attempt` (counting from 1); `random` returns [0, 1). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number, platformWaitMs?: number): number {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(policy.baseMs * 2 ** Math.min(n - 1, 30), policy.maxMs);
  const spread = ceiling * policy.jitter;
  const scheduled = Math.round(ceiling - spread + spread * random());
  return Math.max(scheduled, platformWaitMs ?? 0);
}
