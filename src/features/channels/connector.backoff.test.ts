import { describe, expect, it } from 'vitest';
import { ConnectorError } from './connector.ts';
import { createStreamBackoff, createXBackoff, exponentialDelayMs, parseRetryAfterMs, xReconnectDelayMs } from './connector.backoff.ts';

describe("X's documented reconnect schedules", () => {
  it.each([
    ['network', 1, 250], ['network', 2, 500], ['network', 3, 750], ['network', 64, 16_000], ['network', 65, 16_000], ['network', 1_000, 16_000],
    ['http', 1, 5_000], ['http', 2, 10_000], ['http', 3, 20_000], ['http', 6, 160_000], ['http', 7, 320_000], ['http', 8, 320_000], ['http', 100, 320_000],
    ['rate_limit', 1, 60_000], ['rate_limit', 2, 120_000], ['rate_limit', 3, 240_000], ['rate_limit', 5, 960_000], ['rate_limit', 50, 960_000],
  ] as const)('%s failure #%i waits %i ms', (kind, attempt, expected) => {
    expect(xReconnectDelayMs(kind, attempt)).toBe(expected);
  });

  it('walks the schedule with a fake clock, restarting it when the kind of failure changes or a connection works', () => {
    const backoff = createXBackoff();
    const network = new ConnectorError('network', 'reset');
    const http503 = new ConnectorError('network', 'HTTP 503', { status: 503 });
    const auth = new ConnectorError('auth', 'HTTP 401', { status: 401 });
    const limited = new ConnectorError('rate_limit', 'HTTP 429', { status: 429 });
    const script: Array<[ConnectorError, number]> = [
      [network, 250], [network, 500], [network, 750],
      [http503, 5_000], [http503, 10_000], [auth, 20_000],
      [limited, 60_000], [limited, 120_000],
      [network, 250],
    ];
    let clock = 0;
    for (const [failure, expected] of script) {
      const wait = backoff.next(failure);
      expect(wait).toBe(expected);
      clock += wait;
    }
    expect(clock).toBe(250 + 500 + 750 + 5_000 + 10_000 + 20_000 + 60_000 + 120_000 + 250);
    backoff.reset();
    expect(backoff.next(http503)).toBe(5_000);
  });

  it('waits at least as long as the platform asked', () => {
    expect(createXBackoff().next(new ConnectorError('rate_limit', '429', { status: 429, retryAfterMs: 900_000 }))).toBe(900_000);
  });
});

describe('stream back-off (Jetstream, Mastodon, feeds)', () => {
  it.each([
    [1, 0, 500], [1, 0.999, 1_000], [2, 0.5, 1_500], [3, 0, 2_000], [7, 1, 60_000], [30, 0, 30_000],
  ])('attempt %i with random %f waits %i ms (equal jitter)', (attempt, random, expected) => {
    expect(exponentialDelayMs({ baseMs: 1_000, maxMs: 60_000, jitter: 0.5 }, attempt, () => random)).toBeCloseTo(expected, -1);
  });

  it('uses the one-minute schedule for rate limits, and starts over after a reset', () => {
    const backoff = createStreamBackoff(() => 0.5);
    expect(backoff.next({ reason: 'network' })).toBe(750);
    expect(backoff.next({ reason: 'rate_limit' })).toBe(120_000);
    backoff.reset();
    expect(backoff.next({ reason: 'network' })).toBe(750);
  });
});

describe('Retry-After', () => {
  const now = new Date('2025-10-09T08:00:00Z');
  it.each([
    ['120', 120_000],
    ['Thu, 09 Oct 2025 08:01:00 GMT', 60_000],
    ['Thu, 09 Oct 2025 07:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s ms', (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
});
