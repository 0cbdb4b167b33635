import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { logGamma, logPoissonUpperTail } from './poisson.ts';

// Direct summation in plain doubles: fine while λ^k / k! stays representable (small λ and k).
function bruteUpperTail(k: number, lambda: number): number {
  let below = 0;
  let term = Math.exp(-lambda);
  for (let j = 0; j < k; j += 1) {
    below += term;
    term *= lambda / (j + 1);
  }
  return 1 - below;
}

describe('logGamma', () => {
  it.each([
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [11, Math.log(3_628_800)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
  ])('lnΓ(%d)', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 10);
  });
});

describe('logPoissonUpperTail', () => {
  it.each([
    [1, 1],
    [3, 0.5],
    [8, 0.5],
    [12, 3],
    [20, 5],
    [30, 12],
    [5, 8],
    [40, 40],
  ])('P(X ≥ %d) for λ = %d matches direct summation', (k, lambda) => {
    const expected = k > lambda + 3 * Math.sqrt(lambda) ? bruteTail(k, lambda) : bruteUpperTail(k, lambda);
    expect(Math.exp(logPoissonUpperTail(k, lambda))).toBeCloseTo(expected, 9);
    expect(Math.exp(logPoissonUpperTail(k, lambda)) / expected).toBeCloseTo(1, 6);
  });

  it('stays accurate far in the tail, where 1 − CDF underflows', () => {
    // P(X ≥ 60; 5): dominated by its first term e^-5 5^60 / 60!
    const first = -5 + 60 * Math.log(5) - logGamma(61);
    const value = logPoissonUpperTail(60, 5);
    expect(value).toBeLessThan(-90);
    expect(1 - (1 - Math.exp(value))).toBe(0);
    expect(value - first).toBeGreaterThan(0);
    expect(value - first).toBeLessThan(0.1);
  });

  it('handles the edges', () => {
    expect(logPoissonUpperTail(0, 3)).toBe(0);
    expect(logPoissonUpperTail(1, 0)).toBe(-Infinity);
    expect(logPoissonUpperTail(2, 10_000)).toBe(0);
  });

  it('falls as k rises and rises with λ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0.01, max: 300, noNaN: true }), (k, lambda) => {
        const here = logPoissonUpperTail(k, lambda);
        expect(here).toBeLessThanOrEqual(0);
        expect(logPoissonUpperTail(k + 1, lambda)).toBeLessThanOrEqual(here + 1e-12);
        expect(logPoissonUpperTail(k, lambda * 1.1)).toBeGreaterThanOrEqual(here - 1e-12);
      }),
      { numRuns: 300 },
    );
  });
});

// Sum of the upper terms directly (for tails too small for 1 − CDF).
function bruteTail(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  for (let j = 1; j <= k; j += 1) term *= lambda / j;
  let sum = 0;
  for (let j = k; j < k + 500; j += 1) {
    sum += term;
    term *= lambda / (j + 1);
  }
  return sum;
}
