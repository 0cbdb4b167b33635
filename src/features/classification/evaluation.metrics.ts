import { createRandom, shuffleInPlace } from './random.ts';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  macroRecall: number;
  perClass: Record<string, ClassMetrics>;
}

/** Accuracy, macro-F1, macro-recall and per-class P/R/F1, all as fractions (0–1). */
export function scoreClassification(gold: ArrayLike<number>, predicted: ArrayLike<number>, classes: readonly string[]): ClassificationReport {
  const k = classes.length;
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  let correct = 0;
  for (let i = 0; i < gold.length; i += 1) {
    if (gold[i] === predicted[i]) { correct += 1; tp[gold[i]] += 1; }
    else { fp[predicted[i]] += 1; fn[gold[i]] += 1; }
  }
  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  let recallSum = 0;
  classes.forEach((name, c) => {
    const precision = tp[c] + fp[c] === 0 ? 0 : tp[c] / (tp[c] + fp[c]);
    const recall = tp[c] + fn[c] === 0 ? 0 : tp[c] / (tp[c] + fn[c]);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[name] = { precision, recall, f1, support: tp[c] + fn[c] };
    f1Sum += f1;
    recallSum += recall;
  });
  return { accuracy: gold.length === 0 ? 0 : correct / gold.length, macroF1: f1Sum / k, macroRecall: recallSum / k, perClass };
}

/** Area under the ROC curve (Mann–Whitney form, ties counted half). */
export function rocAuc(gold: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = Array.from({ length: gold.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j += 1;
    const averageRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t += 1) if (gold[order[t]] === 1) { positives += 1; rankSum += averageRank; }
    i = j + 1;
  }
  const negatives = gold.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of probabilities against 0/1 outcomes. */
export function brierScore(gold: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < gold.length; i += 1) sum += (probabilities[i] - gold[i]) ** 2;
  return sum / gold.length;
}

/** Expected calibration error over equal-width bins: how far stated probabilities are from observed frequencies. */
export function expectedCalibrationError(gold: ArrayLike<number>, probabilities: ArrayLike<number>, bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const observed = new Array<number>(bins).fill(0);
  for (let i = 0; i < gold.length; i += 1) {
    const b = Math.min(bins - 1, Math.floor(probabilities[i] * bins));
    count[b] += 1;
    confidence[b] += probabilities[i];
    observed[b] += gold[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b += 1) if (count[b] > 0) ece += Math.abs(confidence[b] - observed[b]);
  return ece / gold.length;
}

/**
 * Stratified k folds: each class is shuffled with the seed and dealt round-robin, so every fold keeps the class
 * balance. Returns, for each row, the fold it is tested in.
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number, seed: number): Int32Array {
  const assignment = new Int32Array(labels.length);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i += 1) {
    const rows = byClass.get(labels[i]) ?? [];
    rows.push(i);
    byClass.set(labels[i], rows);
  }
  const random = createRandom(seed);
  let next = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(label) ?? [];
    shuffleInPlace(rows, random);
    for (const row of rows) { assignment[row] = next % folds; next += 1; }
  }
  return assignment;
}
