import type { FeatureConfig, FeatureExtractor } from './feature.extractor.ts';
import type { LinearModel } from './linear.model.ts';
import { sigmoid } from './linear.model.ts';
import { createRandom, shuffleInPlace } from './random.ts';

/** Feature vectors of a whole corpus in compressed-row form: extracted once, reused by every epoch and fold. */
export interface SparseDataset {
  size: number;
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  labels: Int32Array;
  /** Per-example weight: 1 for corpus rows, more for agents' corrections. */
  weights: Float32Array;
}

export function buildDataset(texts: readonly string[], labels: readonly number[], extract: FeatureExtractor, weights?: readonly number[]): SparseDataset {
  const offsets = new Int32Array(texts.length + 1);
  let indices = new Int32Array(texts.length * 256);
  let values = new Float32Array(texts.length * 256);
  let nnz = 0;
  for (let i = 0; i < texts.length; i += 1) {
    const v = extract(texts[i]);
    if (nnz + v.length > indices.length) {
      const size = Math.max(indices.length * 2, nnz + v.length);
      const grownIndices = new Int32Array(size); grownIndices.set(indices.subarray(0, nnz)); indices = grownIndices;
      const grownValues = new Float32Array(size); grownValues.set(values.subarray(0, nnz)); values = grownValues;
    }
    indices.set(v.indices.subarray(0, v.length), nnz);
    values.set(v.values.subarray(0, v.length), nnz);
    nnz += v.length;
    offsets[i + 1] = nnz;
  }
  return {
    size: texts.length,
    offsets,
    indices: indices.slice(0, nnz),
    values: values.slice(0, nnz),
    labels: Int32Array.from(labels),
    weights: Float32Array.from(weights ?? texts.map(() => 1)),
  };
}

export function concatDatasets(a: SparseDataset, b: SparseDataset): SparseDataset {
  const nnzA = a.offsets[a.size];
  const offsets = new Int32Array(a.size + b.size + 1);
  offsets.set(a.offsets);
  for (let i = 1; i <= b.size; i += 1) offsets[a.size + i] = nnzA + b.offsets[i];
  const join = <T extends Int32Array | Float32Array>(x: T, y: T, make: (n: number) => T) => {
    const out = make(x.length + y.length); out.set(x); out.set(y, x.length); return out;
  };
  return {
    size: a.size + b.size,
    offsets,
    indices: join(a.indices.subarray(0, nnzA), b.indices.subarray(0, b.offsets[b.size]), (n) => new Int32Array(n)),
    values: join(a.values.subarray(0, nnzA), b.values.subarray(0, b.offsets[b.size]), (n) => new Float32Array(n)),
    labels: join(a.labels, b.labels, (n) => new Int32Array(n)),
    weights: join(a.weights, b.weights, (n) => new Float32Array(n)),
  };
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights an example touches (lazy, as in most sparse SGD trainers). */
  l2: number;
  seed: number;
  /** `balanced` weighs each class by n / (classes × count): it trades accuracy for macro-recall on skewed data. */
  classWeighting: 'balanced' | 'none';
  /** Return the average of the weights over all steps (averaged SGD): steadier than the last iterate. */
  average: boolean;
}

export interface ModelSpec {
  name: string;
  version: string;
  classes: string[];
  features: FeatureConfig;
}

/**
 * Trains a logistic (2 classes) or softmax (3+ classes) regression with AdaGrad SGD over the given rows.
 * Deterministic: the only randomness is the row order, drawn from `options.seed`.
 */
export function trainLinearModel(data: SparseDataset, rows: ArrayLike<number>, spec: ModelSpec, options: TrainOptions): LinearModel {
  const classCount = spec.classes.length;
  const outputs = classCount === 2 ? 1 : classCount;
  const buckets = spec.features.buckets;
  const weights = new Float32Array(buckets * outputs);
  const accum = new Float32Array(buckets * outputs).fill(1e-6);
  const bias = new Float32Array(outputs);
  const biasAccum = new Float64Array(outputs).fill(1e-6);
  // Averaging trick: keep u = Σ step·Δw; the average iterate is w − u / step.
  const weightSteps = options.average ? new Float32Array(buckets * outputs) : null;
  const biasSteps = new Float64Array(outputs);
  let step = 1;

  const counts = new Array<number>(classCount).fill(0);
  for (let r = 0; r < rows.length; r += 1) counts[data.labels[rows[r]]] += 1;
  const classWeight = counts.map((c) => (options.classWeighting === 'balanced' && c > 0 ? rows.length / (classCount * c) : 1));

  const order = Int32Array.from(rows);
  const random = createRandom(options.seed);
  const grad = new Float64Array(outputs);
  const scores = new Float64Array(outputs);
  const { learningRate: lr, l2 } = options;

  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    shuffleInPlace(order, random);
    for (let r = 0; r < order.length; r += 1) {
      const row = order[r];
      const from = data.offsets[row];
      const to = data.offsets[row + 1];
      const label = data.labels[row];
      const w = data.weights[row] * classWeight[label];
      for (let k = 0; k < outputs; k += 1) scores[k] = bias[k];
      for (let f = from; f < to; f += 1) {
        const base = data.indices[f] * outputs;
        const v = data.values[f];
        for (let k = 0; k < outputs; k += 1) scores[k] += weights[base + k] * v;
      }
      if (outputs === 1) {
        grad[0] = (sigmoid(scores[0]) - label) * w;
      } else {
        let max = -Infinity;
        for (let k = 0; k < outputs; k += 1) if (scores[k] > max) max = scores[k];
        let sum = 0;
        for (let k = 0; k < outputs; k += 1) { scores[k] = Math.exp(scores[k] - max); sum += scores[k]; }
        for (let k = 0; k < outputs; k += 1) grad[k] = (scores[k] / sum - (k === label ? 1 : 0)) * w;
      }
      for (let f = from; f < to; f += 1) {
        const base = data.indices[f] * outputs;
        const v = data.values[f];
        for (let k = 0; k < outputs; k += 1) {
          const i = base + k;
          const g = grad[k] * v + l2 * weights[i];
          accum[i] += g * g;
          const delta = (lr * g) / Math.sqrt(accum[i]);
          weights[i] -= delta;
          if (weightSteps) weightSteps[i] -= step * delta;
        }
      }
      for (let k = 0; k < outputs; k += 1) {
        biasAccum[k] += grad[k] * grad[k];
        const delta = (lr * grad[k]) / Math.sqrt(biasAccum[k]);
        bias[k] -= delta;
        biasSteps[k] -= step * delta;
      }
      step += 1;
    }
  }
  if (weightSteps) {
    for (let i = 0; i < weights.length; i += 1) weights[i] -= weightSteps[i] / step;
    for (let k = 0; k < outputs; k += 1) bias[k] -= biasSteps[k] / step;
  }
  return {
    name: spec.name,
    version: spec.version,
    classes: spec.classes,
    outputs,
    features: spec.features,
    weights,
    bias,
    calibration: null,
    info: { options, trainedOn: rows.length, classCounts: counts },
  };
}
