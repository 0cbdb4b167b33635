import { createHash } from 'node:crypto';
import type { FeatureConfig, FeatureExtractor, FeatureVector } from './feature.extractor.ts';
import { createFeatureExtractor, defaultFeatureConfig } from './feature.extractor.ts';
import type { Correction } from './feedback.schema.ts';
import { sentiments } from './labels.ts';
import type { LinearModel } from './linear.model.ts';
import { modelGeneration, sigmoid } from './linear.model.ts';
import type { SparseDataset, TrainOptions } from './linear.trainer.ts';
import { buildDataset, concatDatasets, trainLinearModel } from './linear.trainer.ts';
import { scoreClassification, stratifiedFolds } from './evaluation.metrics.ts';
import { foldRatios, logCountRatios, scaleByRatios } from './nb.weighting.ts';
import type { TrainedModels } from './trained.classifier.ts';
import { transferWeightOf } from './trained.classifier.ts';
import { appendTransferFeatures, sentimentProbabilities, transferIndices } from './transfer.features.ts';

export { modelGeneration } from './linear.model.ts';

// Chosen by 10-fold CV on the complaints data and on the TweetEval validation split (see docs/EVALUATION.md).
export const trainingSettings = {
  features: defaultFeatureConfig,
  sentiment: { epochs: 5, learningRate: 0.05, l2: 1e-3, seed: 7, classWeighting: 'balanced', average: false } satisfies TrainOptions,
  complaint: { epochs: 10, learningRate: 0.1, l2: 1e-4, seed: 7, classWeighting: 'balanced', average: false } satisfies TrainOptions,
  /**
   * Complaint variants chosen between by an inner 5-fold CV on the training rows only (nested inside each outer
   * fold of the evaluation; on all rows for the shipped model): plain features, or NBSVM log-count-ratio scaling.
   */
  complaintCandidates: [{ nb: false, l2: 1e-4 }, { nb: true, l2: 1e-4 }, { nb: true, l2: 1e-3 }],
  innerFolds: 5,
  transferWeight: 3,
  folds: 10,
  foldSeed: 42,
  /** Corrections count this many times a corpus example: an agent looked at them in Parley's own domain. */
  feedbackWeight: 3,
} as const;

export interface LabelledText<L> {
  text: string;
  label: L;
}

function digest(texts: readonly string[], labels: readonly unknown[]): string {
  const hash = createHash('sha256');
  texts.forEach((t, i) => hash.update(`${t}\t${String(labels[i])}\n`));
  return hash.digest('hex').slice(0, 12);
}

function stampVersion(model: LinearModel): LinearModel {
  const hash = createHash('sha256').update(new Uint8Array(model.weights.buffer)).update(new Uint8Array(model.bias.buffer));
  hash.update(JSON.stringify(model.calibration));
  return { ...model, version: `${model.name}-${modelGeneration}.${hash.digest('hex').slice(0, 8)}` };
}

/** Sentiment head: softmax regression on TweetEval train plus any sentiment corrections. */
export function trainSentimentModel(train: readonly LabelledText<(typeof sentiments)[number]>[], corrections: readonly Correction[] = [], features: FeatureConfig = trainingSettings.features): LinearModel {
  const extra = corrections.filter((c) => c.sentiment !== undefined);
  const texts = [...train.map((e) => e.text), ...extra.map((c) => c.text)];
  const labels = [...train.map((e) => sentiments.indexOf(e.label)), ...extra.map((c) => sentiments.indexOf(c.sentiment ?? 'neutral'))];
  const weights = [...train.map(() => 1), ...extra.map(() => trainingSettings.feedbackWeight)];
  const data = buildDataset(texts, labels, createFeatureExtractor(features), weights);
  const model = trainLinearModel(data, range(data.size), { name: 'sentiment', version: '', classes: [...sentiments], features }, trainingSettings.sentiment);
  model.info = { ...model.info, data: { tweeteval: digest(texts.slice(0, train.length), labels), corrections: extra.length } };
  return stampVersion(model);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Extracts features for the complaint head: the shared features plus the sentiment head's probabilities. */
export function createComplaintExtractor(sentiment: LinearModel, transferWeight: number): FeatureExtractor {
  const extract = createFeatureExtractor(sentiment.features);
  const indices = transferIndices(sentiment.features.buckets);
  const probs = new Float64Array(sentiment.outputs);
  return (text: string): FeatureVector => {
    const vector = extract(text);
    if (transferWeight > 0) appendTransferFeatures(vector, sentimentProbabilities(sentiment, vector, probs), indices, transferWeight);
    return vector;
  };
}

/** Fits p = sigmoid(a·margin + b) by Newton's method on (margin, label) pairs: Platt scaling. */
export function fitPlattScaling(margins: ArrayLike<number>, labels: ArrayLike<number>): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 50; iteration += 1) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (let i = 0; i < margins.length; i += 1) {
      const p = sigmoid(a * margins[i] + b);
      const d = p - labels[i];
      const w = p * (1 - p);
      ga += d * margins[i]; gb += d;
      haa += w * margins[i] * margins[i]; hab += w * margins[i]; hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da; b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export interface ComplaintCrossValidation {
  /** Out-of-fold margins, one per corpus row. */
  margins: Float64Array;
  labels: Int32Array;
  calibration: { a: number; b: number };
  /** Calibrated out-of-fold probabilities. */
  probabilities: Float64Array;
  /** The variant the inner CV chose in each outer fold (index into trainingSettings.complaintCandidates). */
  chosen: number[];
}

type ComplaintCandidate = (typeof trainingSettings.complaintCandidates)[number];
const complaintSpec = (features: FeatureConfig) => ({ name: 'complaint', version: '', classes: ['not-complaint', 'complaint'], features });

/** One complaint model on the given rows; NB ratios, when used, come from those rows only and are folded in. */
function fitComplaint(data: SparseDataset, rows: readonly number[], features: FeatureConfig, candidate: ComplaintCandidate): LinearModel {
  const options = { ...trainingSettings.complaint, l2: candidate.l2 };
  if (!candidate.nb) return trainLinearModel(data, rows, complaintSpec(features), options);
  const ratios = logCountRatios(data, rows, features.buckets);
  const model = trainLinearModel(scaleByRatios(data, ratios), rows, complaintSpec(features), options);
  return { ...foldRatios(model, ratios), info: { ...model.info, nbRatios: true } };
}

function rowMargin(model: LinearModel, data: SparseDataset, row: number): number {
  let s = model.bias[0];
  for (let f = data.offsets[row]; f < data.offsets[row + 1]; f += 1) s += model.weights[data.indices[f]] * data.values[f];
  return s;
}

/**
 * Picks a complaint variant by inner stratified CV over `rows` (macro-F1 at margin 0; ties go to the simpler,
 * earlier candidate). Only `rows` are read, so nested inside an outer fold it never sees that fold's test rows.
 */
export function chooseComplaintCandidate(
  data: SparseDataset, rows: readonly number[], features: FeatureConfig, candidates: readonly ComplaintCandidate[] = trainingSettings.complaintCandidates,
): number {
  const inner = stratifiedFolds(rows.map((r) => data.labels[r]), trainingSettings.innerFolds, trainingSettings.foldSeed + 1);
  let best = 0;
  let bestScore = -1;
  candidates.forEach((candidate, c) => {
    const predicted = new Array<number>(rows.length);
    for (let fold = 0; fold < trainingSettings.innerFolds; fold += 1) {
      const model = fitComplaint(data, rows.filter((_, i) => inner[i] !== fold), features, candidate);
      rows.forEach((row, i) => { if (inner[i] === fold) predicted[i] = rowMargin(model, data, row) >= 0 ? 1 : 0; });
    }
    const score = scoreClassification(rows.map((r) => data.labels[r]), predicted, ['no', 'yes']).macroF1;
    if (score > bestScore + 1e-9) { best = c; bestScore = score; }
  });
  return best;
}

function complaintDataset(examples: readonly LabelledText<boolean>[], extract: FeatureExtractor, weight = 1): SparseDataset {
  return buildDataset(examples.map((e) => e.text), examples.map((e) => (e.label ? 1 : 0)), extract, examples.map(() => weight));
}

function feedbackComplaints(corrections: readonly Correction[]): LabelledText<boolean>[] {
  return corrections.flatMap((c) => (c.complaint === undefined ? [] : [{ text: c.text, label: c.complaint }]));
}

/**
 * Stratified k-fold cross-validation of the complaint head (fixed seed). Corrections, when given, join every training
 * fold and never a test fold, so the scores stay comparable with and without feedback.
 */
export interface CrossValidationOptions {
  folds?: number;
  /** Variants the nested CV chooses between (default: trainingSettings.complaintCandidates); one means no inner CV. */
  candidates?: readonly ComplaintCandidate[];
}

export function crossValidateComplaints(
  examples: readonly LabelledText<boolean>[], sentiment: LinearModel, corrections: readonly Correction[] = [], options: CrossValidationOptions = {},
): ComplaintCrossValidation {
  const folds = options.folds ?? trainingSettings.folds;
  const candidates = options.candidates ?? trainingSettings.complaintCandidates;
  const { transferWeight, foldSeed } = trainingSettings;
  const extract = createComplaintExtractor(sentiment, transferWeight);
  const corpus = complaintDataset(examples, extract);
  const extra = feedbackComplaints(corrections);
  const data = extra.length > 0 ? concatDatasets(corpus, complaintDataset(extra, extract, trainingSettings.feedbackWeight)) : corpus;
  const assignment = stratifiedFolds(corpus.labels, folds, foldSeed);
  const margins = new Float64Array(corpus.size);
  const chosen: number[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let i = 0; i < corpus.size; i += 1) (assignment[i] === fold ? testRows : trainRows).push(i);
    for (let i = corpus.size; i < data.size; i += 1) trainRows.push(i);
    const choice = candidates.length === 1 ? 0 : chooseComplaintCandidate(data, trainRows, sentiment.features, candidates);
    chosen.push(choice);
    const model = fitComplaint(data, trainRows, sentiment.features, candidates[choice]);
    for (const row of testRows) margins[row] = rowMargin(model, data, row);
  }
  const calibration = fitPlattScaling(margins, corpus.labels);
  const probabilities = margins.map((m) => sigmoid(calibration.a * m + calibration.b));
  return { margins, labels: corpus.labels, calibration, probabilities, chosen };
}

/** Complaint head on the whole corpus (plus corrections), calibrated on its own out-of-fold margins. */
export function trainComplaintModel(examples: readonly LabelledText<boolean>[], sentiment: LinearModel, corrections: readonly Correction[] = []): LinearModel {
  const { transferWeight } = trainingSettings;
  const extract = createComplaintExtractor(sentiment, transferWeight);
  const extra = feedbackComplaints(corrections);
  const corpus = complaintDataset(examples, extract);
  const data = extra.length > 0 ? concatDatasets(corpus, complaintDataset(extra, extract, trainingSettings.feedbackWeight)) : corpus;
  const rows = range(data.size);
  const choice = chooseComplaintCandidate(data, rows, sentiment.features);
  const model = fitComplaint(data, rows, sentiment.features, trainingSettings.complaintCandidates[choice]);
  model.info = { ...model.info, candidate: trainingSettings.complaintCandidates[choice] };
  model.calibration = crossValidateComplaints(examples, sentiment, corrections).calibration;
  model.info = {
    ...model.info,
    transferWeight,
    sentimentVersion: sentiment.version,
    data: { complaints: digest(examples.map((e) => e.text), examples.map((e) => e.label)), corrections: extra.length },
  };
  return stampVersion(model);
}

export interface TrainingInput {
  complaints: readonly LabelledText<boolean>[];
  sentimentTrain: readonly LabelledText<(typeof sentiments)[number]>[];
  corrections?: readonly Correction[];
}

/** Both trained heads. Deterministic: the same data and corrections give byte-identical model files. */
export function trainModels(input: TrainingInput): TrainedModels {
  const sentiment = trainSentimentModel(input.sentimentTrain, input.corrections);
  const complaint = trainComplaintModel(input.complaints, sentiment, input.corrections);
  if (transferWeightOf(complaint) !== trainingSettings.transferWeight) throw new Error('transfer weight not recorded');
  return { sentiment, complaint };
}
