import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ComplaintExample, SentimentExample } from './datasets.loader.ts';
import { randomDomains } from './datasets.loader.ts';
import type { ClassificationReport } from './evaluation.metrics.ts';
import { brierScore, expectedCalibrationError, rocAuc, scoreClassification } from './evaluation.metrics.ts';
import type { Correction } from './feedback.schema.ts';
import type { Classifier } from './labels.ts';
import { sentiments } from './labels.ts';
import { createFeatureExtractor } from './feature.extractor.ts';
import { computeMargins } from './linear.model.ts';
import type { LinearModel } from './linear.model.ts';
import type { PeerName, PeerResult } from './evaluation.peers.ts';
import { evaluatePeers } from './evaluation.peers.ts';
import { crossValidateComplaints } from './training.pipeline.ts';
import type { CrossValidationOptions } from './training.pipeline.ts';
import type { TrainedModels } from './trained.classifier.ts';
import { createClassifier } from './trained.classifier.ts';

export interface BinaryReport extends ClassificationReport {
  auc: number;
  size: number;
}

export interface EvaluationReport {
  modelVersion: string;
  complaint: {
    /** 10-fold stratified CV over all 3,449 tweets. */
    all: BinaryReport;
    /** The same out-of-fold predictions, scored on the 9 brand domains only. */
    brandRowsOfAll: BinaryReport;
    /** A separate 10-fold CV trained and tested on the 9 brand domains only (no random negatives at all). */
    brandOnly: BinaryReport;
    calibration: { a: number; b: number; expectedCalibrationError: number; brier: number };
  };
  sentiment: { val: ClassificationReport; size: number };
  throughput: Throughput & { loadMs: number | null; node: string; cpu: string; cores: number; loadAverage: number[] };
  /** The same splits and folds run through vader-sentiment, AFINN and natural's Bayes classifier; empty when skipped. */
  peers: Partial<Record<PeerName, PeerResult>>;
  /** The complaint variant the inner CV chose in each outer fold (indices into trainingSettings.complaintCandidates). */
  complaintChoices: { all: number[]; brandOnly: number[] };
}

export interface Throughput {
  /** Messages per second of wall-clock time, one thread. */
  msgsPerSec: number;
  /** Messages per second of this process's CPU time: steadier than wall-clock on a shared, loaded machine. */
  msgsPerCpuSec: number;
}

const complaintClasses = ['not-complaint', 'complaint'];

function binaryReport(labels: ArrayLike<number>, probabilities: ArrayLike<number>, rows?: readonly number[]): BinaryReport {
  const idx = rows ?? Array.from({ length: labels.length }, (_, i) => i);
  const gold = idx.map((i) => labels[i]);
  const scores = idx.map((i) => probabilities[i]);
  const report = scoreClassification(gold, scores.map((p) => (p >= 0.5 ? 1 : 0)), complaintClasses);
  return { ...report, auc: rocAuc(gold, scores), size: idx.length };
}

/** Macro-recall, macro-F1 and accuracy of a sentiment model on a labelled split. */
export function evaluateSentiment(model: LinearModel, examples: readonly SentimentExample[]): ClassificationReport {
  const extract = createFeatureExtractor(model.features);
  const out = new Float64Array(model.outputs);
  const predicted = examples.map((e) => {
    computeMargins(model, extract(e.text), out);
    let best = 0;
    for (let k = 1; k < model.outputs; k += 1) if (out[k] > out[best]) best = k;
    return best;
  });
  return scoreClassification(examples.map((e) => sentiments.indexOf(e.sentiment)), predicted, sentiments);
}

/** Complaint CV on all rows and on the brand domains; corrections, if any, join every training fold. */
export function evaluateComplaints(
  models: TrainedModels, complaints: readonly ComplaintExample[], corrections: readonly Correction[] = [], options: CrossValidationOptions = {},
): EvaluationReport['complaint'] & { choices: EvaluationReport['complaintChoices'] } {
  const examples = complaints.map((c) => ({ text: c.text, label: c.complaint }));
  const cv = crossValidateComplaints(examples, models.sentiment, corrections, options);
  const brandRows = complaints.flatMap((c, i) => (randomDomains.has(c.domain) ? [] : [i]));
  const brandExamples = brandRows.map((i) => examples[i]);
  const brandCv = crossValidateComplaints(brandExamples, models.sentiment, corrections, options);
  return {
    all: binaryReport(cv.labels, cv.probabilities),
    brandRowsOfAll: binaryReport(cv.labels, cv.probabilities, brandRows),
    brandOnly: binaryReport(brandCv.labels, brandCv.probabilities),
    choices: { all: cv.chosen, brandOnly: brandCv.chosen },
    calibration: {
      ...cv.calibration,
      expectedCalibrationError: expectedCalibrationError(cv.labels, cv.probabilities),
      brier: brierScore(cv.labels, cv.probabilities),
    },
  };
}

/** Messages per second through every head (complaint, sentiment, intent, topics, urgency, language) on this thread, without explanations. */
export function measureThroughput(classifier: Classifier, texts: readonly string[], minMs = 2000): Throughput {
  for (let i = 0; i < Math.min(texts.length, 2000); i += 1) classifier.classify(texts[i], { explain: false });
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const text of texts) classifier.classify(text, { explain: false });
    count += texts.length;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { msgsPerSec: count / (elapsed / 1000), msgsPerCpuSec: count / ((cpu.user + cpu.system) / 1e6) };
}

export function machineInfo(): { node: string; cpu: string; cores: number; loadAverage: number[] } {
  return { node: process.version, cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.cpus().length, loadAverage: os.loadavg().map((x) => Number(x.toFixed(1))) };
}

export interface EvaluationInput {
  models: TrainedModels;
  complaints: readonly ComplaintExample[];
  sentimentVal: readonly SentimentExample[];
  /** Needed by the trainable peer (natural); without it the peers are skipped. */
  sentimentTrain?: readonly SentimentExample[];
  corrections?: readonly Correction[];
  loadMs?: number;
  throughputMs?: number;
  peers?: boolean;
}

export function evaluateModels(input: EvaluationInput): EvaluationReport {
  const classifier = createClassifier({ models: input.models });
  const { choices, ...complaint } = evaluateComplaints(input.models, input.complaints, input.corrections);
  const val = evaluateSentiment(input.models.sentiment, input.sentimentVal);
  const texts = [...input.sentimentVal.map((e) => e.text), ...input.complaints.map((e) => e.text)];
  const throughput = measureThroughput(classifier, texts, input.throughputMs);
  const peers = input.peers !== false && input.sentimentTrain
    ? evaluatePeers({ complaints: input.complaints, sentimentTrain: input.sentimentTrain, sentimentVal: input.sentimentVal })
    : {};
  return {
    modelVersion: classifier.version,
    complaint,
    complaintChoices: choices,
    sentiment: { val, size: input.sentimentVal.length },
    throughput: { ...throughput, loadMs: input.loadMs ?? null, ...machineInfo() },
    peers,
  };
}
