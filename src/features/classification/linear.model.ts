import type { FeatureConfig, FeatureVector } from './feature.extractor.ts';

/** Model generation: bump when features or the file layout change. 2: token-scoped character n-grams, NBSVM option. */
export const modelGeneration = 2;

/**
 * A linear model over hashed features. One output with a sigmoid for a binary head, or one output per class with a
 * softmax. Weights are laid out bucket-major (`weights[bucket * outputs + k]`) so one message touches one cache line
 * per feature.
 */
export interface LinearModel {
  name: string;
  version: string;
  classes: string[];
  outputs: number;
  features: FeatureConfig;
  weights: Float32Array;
  bias: Float32Array;
  /** Platt scaling of the binary score, fitted on out-of-fold predictions: p = sigmoid(a * margin + b). */
  calibration: { a: number; b: number } | null;
  /** Anything worth keeping with the weights: training data digests, hyper-parameters, held-out metrics. */
  info: Record<string, unknown>;
}

/** Raw margins (logits) of the model for one vector, written into `out` (length = outputs). */
export function computeMargins(model: LinearModel, vector: FeatureVector, out: Float64Array): Float64Array {
  const { outputs, weights } = model;
  for (let k = 0; k < outputs; k += 1) out[k] = model.bias[k];
  const { indices, values } = vector;
  if (outputs === 1) {
    let s = out[0];
    for (let f = 0; f < vector.length; f += 1) s += weights[indices[f]] * values[f];
    out[0] = s;
    return out;
  }
  for (let f = 0; f < vector.length; f += 1) {
    const base = indices[f] * outputs;
    const v = values[f];
    for (let k = 0; k < outputs; k += 1) out[k] += weights[base + k] * v;
  }
  return out;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** In-place softmax of `scores[0..n)`. */
export function softmaxInPlace(scores: Float64Array, n = scores.length): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < n; k += 1) if (scores[k] > max) max = scores[k];
  let sum = 0;
  for (let k = 0; k < n; k += 1) {
    scores[k] = Math.exp(scores[k] - max);
    sum += scores[k];
  }
  for (let k = 0; k < n; k += 1) scores[k] /= sum;
  return scores;
}

/** Probability of the positive class of a binary model, calibrated when the model carries a calibration. */
export function binaryProbability(model: LinearModel, margin: number): number {
  return model.calibration ? sigmoid(model.calibration.a * margin + model.calibration.b) : sigmoid(margin);
}
