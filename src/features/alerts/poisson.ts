// Tail probabilities of the Poisson distribution, in log space so the tiny p-values the spike test works with
// (1e-6 and below) neither underflow nor lose their digits.

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = lanczos[0];
  for (let i = 1; i < lanczos.length; i += 1) sum += lanczos[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * ln P(X ≥ k) for X ~ Poisson(λ): the chance of seeing at least `k` events where `λ` are expected. Sums the terms
 * from k upwards until they no longer matter; a `k` far below λ is simply "certain" (0).
 */
export function logPoissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (!(lambda > 0)) return -Infinity;
  const sd = Math.sqrt(lambda);
  if (k < lambda - 12 * sd - 12) return 0;
  let logTerm = -lambda + k * Math.log(lambda) - logGamma(k + 1);
  let logSum = logTerm;
  const logLambda = Math.log(lambda);
  // Past the mode the terms fall at least geometrically; stop once one adds less than 1e-17 of the sum.
  const limit = Math.max(k, lambda) + 40 * sd + 200;
  for (let j = k + 1; j <= limit; j += 1) {
    logTerm += logLambda - Math.log(j);
    logSum = logAddExp(logSum, logTerm);
    if (j > lambda && logTerm - logSum < -39) break;
  }
  return Math.min(0, logSum);
}
