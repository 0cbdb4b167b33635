import { describe, expect, it } from 'vitest';
import { outboxRetryPolicy, retryDelayMs } from './outbox.backoff.ts';

describe('retryDelayMs', () => {
  it.each([
    // attempt, random, platform wait, expected
    [1, 0, undefined, 2_500],
    [1, 0.999_999, undefined, 5_000],
    [2, 0.5, undefined, 7_500],
    [3, 0, undefined, 10_000],
    [9, 1, undefined, 900_000],
    [30, 0, undefined, 450_000],
    [1, 0.5, 120_000, 120_000],
    [8, 1, 1_000, 640_000],
  ])('attempt %i, random %f, platform wait %s → %i ms', (attempt, random, wait, expected) => {
    expect(retryDelayMs(outboxRetryPolicy, attempt, () => random, wait)).toBe(Math.round(expected));
  });

  it('stays within [d/2, d] for any random draw', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = Math.min(5_000 * 2 ** (attempt - 1), 900_000);
      for (const r of [0, 0.25, 0.5, 0.75, 0.999]) {
        const delay = retryDelayMs(outboxRetryPolicy, attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});
