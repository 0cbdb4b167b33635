import type { LinearModel } from './linear.model.ts';
import type { SparseDataset } from './linear.trainer.ts';

// NBSVM-style feature weighting (Wang & Manning 2012): each hashed feature is scaled by its log-count ratio
// r = log((p / |p|₁) / (q / |q|₁)), p and q the smoothed counts of its presence in positive and negative training rows.
// Every bucket is scaled (n-grams, dense and transfer features alike), so the scaling folds exactly into the weights
// of the saved model: w·(r∘x) = (w∘r)·x, and classification costs nothing more.

/** Log-count ratios per bucket from the given rows of a binary dataset (presence counts, add-`alpha` smoothing). */
export function logCountRatios(data: SparseDataset, rows: ArrayLike<number>, buckets: number, alpha = 1): Float32Array {
  const positive = new Float64Array(buckets).fill(alpha);
  const negative = new Float64Array(buckets).fill(alpha);
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r];
    const counts = data.labels[row] === 1 ? positive : negative;
    for (let f = data.offsets[row]; f < data.offsets[row + 1]; f += 1) if (data.values[f] !== 0) counts[data.indices[f]] += 1;
  }
  let pSum = 0, qSum = 0;
  for (let b = 0; b < buckets; b += 1) { pSum += positive[b]; qSum += negative[b]; }
  const ratios = new Float32Array(buckets);
  for (let b = 0; b < buckets; b += 1) ratios[b] = Math.log((positive[b] / pSum) / (negative[b] / qSum));
  return ratios;
}

/** A copy of the dataset with every value scaled by its bucket's ratio. */
export function scaleByRatios(data: SparseDataset, ratios: Float32Array): SparseDataset {
  const values = new Float32Array(data.values.length);
  for (let f = 0; f < values.length; f += 1) values[f] = data.values[f] * ratios[data.indices[f]];
  return { ...data, values };
}

/** Folds the ratios into a binary model trained on scaled features, so it reads unscaled vectors. */
export function foldRatios(model: LinearModel, ratios: Float32Array): LinearModel {
  const weights = new Float32Array(model.weights.length);
  for (let b = 0; b < weights.length; b += 1) weights[b] = model.weights[b] * ratios[b];
  return { ...model, weights };
}
