import type { ConnectorFailureReason } from './connector.ts';

/**
 * Reconnect back-off. Pure arithmetic so the schedules get table-driven tests; the connectors only ask
 * "how long now?" after a failure and say "it worked" after a success.
 */

export type XFailureClass = 'network' | 'http' | 'rate_limit';

/**
 * X's documented filtered-stream schedule: network errors back off linearly by 250 ms up to 16 s; HTTP errors
 * exponentially from 5 s up to 320 s; HTTP 429 exponentially from one minute (X gives no ceiling; Parley stops
 * doubling at 16 minutes so a channel comes back the same hour). `attempt` counts from 1.
 */
export function xReconnectDelayMs(failure: XFailureClass, attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  switch (failure) {
    case 'network':
      return Math.min(250 * n, 16_000);
    case 'http':
      return Math.min(5_000 * 2 ** Math.min(n - 1, 30), 320_000);
    case 'rate_limit':
      return Math.min(60_000 * 2 ** Math.min(n - 1, 30), 960_000);
    default: {
      const unreachable: never = failure;
      throw new Error(`unknown failure class ${String(unreachable)}`);
    }
  }
}

/** Which of X's three schedules a Parley failure reason falls under. */
export function xFailureClassOf(reason: ConnectorFailureReason): XFailureClass {
  switch (reason) {
    case 'network':
    case 'protocol':
      return 'network';
    case 'rate_limit':
      return 'rate_limit';
    case 'auth':
    case 'permission':
    case 'config':
      return 'http';
    default: {
      const unreachable: never = reason;
      throw new Error(`unknown reason ${String(unreachable)}`);
    }
  }
}

export interface ExponentialPolicy {
  baseMs: number;
  maxMs: number;
  /** 0 = no jitter; 0.5 = the delay is drawn from [d/2, d]. */
  jitter: number;
}

/** Exponential back-off with "equal jitter"; `random` returns [0, 1). `attempt` counts from 1. */
export function exponentialDelayMs(policy: ExponentialPolicy, attempt: number, random: () => number): number {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(policy.baseMs * 2 ** Math.min(n - 1, 30), policy.maxMs);
  const spread = ceiling * policy.jitter;
  return Math.round(ceiling - spread + spread * random());
}

/** The schedule used by the WebSocket listeners (Jetstream, Mastodon) and the feed poller after failures. */
export const streamReconnectPolicy: ExponentialPolicy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 };
/** Rate limits wait at least a minute, then double. */
export const rateLimitPolicy: ExponentialPolicy = { baseMs: 60_000, maxMs: 15 * 60_000, jitter: 0 };

/** What the schedules need to know about a failure (a ConnectorError fits). */
export interface FailureInfo {
  reason: ConnectorFailureReason;
  retryAfterMs?: number;
  /** The HTTP status, when the platform answered with one. */
  status?: number;
}

/** X's schedule for a failure: 429 → rate limit; any other HTTP answer → HTTP; no answer → network. */
export function xFailureClassOfFailure(failure: FailureInfo): XFailureClass {
  if (failure.reason === 'rate_limit') return 'rate_limit';
  if (failure.status !== undefined && failure.status >= 400 && failure.status <= 599) return 'http';
  return xFailureClassOf(failure.reason);
}

export interface Backoff {
  /** The wait before the next attempt after this failure. */
  next(failure: FailureInfo): number;
  /** A connection worked: start the schedules over. */
  reset(): void;
  readonly attempts: number;
}

/** X's schedules; the attempt counter starts over when the kind of failure changes. */
export function createXBackoff(): Backoff {
  let lastClass: XFailureClass | null = null;
  let attempts = 0;
  return {
    next(failure) {
      const kind = xFailureClassOfFailure(failure);
      attempts = kind === lastClass ? attempts + 1 : 1;
      lastClass = kind;
      return Math.max(xReconnectDelayMs(kind, attempts), failure.retryAfterMs ?? 0);
    },
    reset() {
      attempts = 0;
      lastClass = null;
    },
    get attempts() {
      return attempts;
    },
  };
}

/** Exponential with jitter for ordinary failures, and the slower rate-limit schedule for 429s. */
export function createStreamBackoff(random: () => number, policy: ExponentialPolicy = streamReconnectPolicy): Backoff {
  let attempts = 0;
  return {
    next(failure) {
      attempts += 1;
      const scheduled = failure.reason === 'rate_limit' ? exponentialDelayMs(rateLimitPolicy, attempts, random) : exponentialDelayMs(policy, attempts, random);
      return Math.max(scheduled, failure.retryAfterMs ?? 0);
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
