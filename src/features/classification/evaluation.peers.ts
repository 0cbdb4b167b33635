import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { ComplaintExample, SentimentExample } from './datasets.loader.ts';
import { randomDomains } from './datasets.loader.ts';
import type { ClassificationReport } from './evaluation.metrics.ts';
import { scoreClassification, stratifiedFolds } from './evaluation.metrics.ts';
import type { Sentiment } from './labels.ts';
import { sentiments } from './labels.ts';
import { createRandom, shuffleInPlace } from './random.ts';
import { trainingSettings } from './training.pipeline.ts';

// The libraries a TypeScript user would otherwise pick, run on the same data, splits and folds as Parley's models.
// They ship no type declarations (natural's cover only its root module, which takes seconds to import and pulls in
// storage back-ends), so each is loaded through `require` behind the small interface used here.
const require = createRequire(import.meta.url);

interface VaderModule { SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } } }
interface AfinnAnalyzer { analyze(text: string): { score: number } }
interface BayesClassifier {
  addDocument(text: string, label: string): void;
  train(): void;
  classify(text: string): string;
}

/** One peer's figures, with the same keys as Parley's summary; null where the peer has no such head. */
export interface PeerResult {
  complaintMacroF1: number | null;
  complaintBrandMacroF1: number | null;
  sentimentMacroRecall: number | null;
  sentimentMacroF1: number | null;
  sentimentAccuracy: number | null;
  msgsPerSec: number;
  /** How the peer was run: what it predicts for complaints, what it was trained on. */
  protocol: string;
}

export interface PeerInput {
  complaints: readonly ComplaintExample[];
  sentimentTrain: readonly SentimentExample[];
  sentimentVal: readonly SentimentExample[];
  /** natural's Bayes classifier is O(vocabulary) per document; it trains on this many TweetEval train tweets. */
  naturalSentimentSample?: number;
  /** …and each complaint fold on at most this many of its training tweets. */
  naturalComplaintTrainCap?: number;
  throughputMs?: number;
}

const pct = (x: number) => Number((x * 100).toFixed(1));
const complaintClasses = ['not-complaint', 'complaint'];

function brandRows(complaints: readonly ComplaintExample[]): number[] {
  return complaints.flatMap((c, i) => (randomDomains.has(c.domain) ? [] : [i]));
}

function macroF1Of(gold: readonly number[], predicted: readonly number[]): number {
  return pct(scoreClassification(gold, predicted, complaintClasses).macroF1);
}

function sentimentFigures(report: ClassificationReport) {
  return { sentimentMacroRecall: pct(report.macroRecall), sentimentMacroF1: pct(report.macroF1), sentimentAccuracy: pct(report.accuracy) };
}

function throughput(texts: readonly string[], run: (text: string) => unknown, minMs: number): number {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  let sink = 0;
  while (elapsed < minMs) {
    for (const text of texts) if (run(text)) sink += 1;
    count += texts.length;
    elapsed = performance.now() - start;
  }
  return sink >= 0 ? Math.round(count / (elapsed / 1000)) : 0;
}

/**
 * A sentiment-only lexicon scorer as a peer. It has no trainable complaint head, so "negative ⇒ complaint" is its
 * complaint prediction; being untrained, its out-of-fold predictions on any fold are its predictions, so the CV
 * figures reduce to scoring every row (and the brand rows for the within-brand protocol).
 */
function lexiconPeer(input: PeerInput, polarity: (text: string) => Sentiment, throughputMs: number, protocol: string): PeerResult {
  const gold = input.complaints.map((c) => (c.complaint ? 1 : 0));
  const predicted = input.complaints.map((c) => (polarity(c.text) === 'negative' ? 1 : 0));
  const brand = brandRows(input.complaints);
  const val = scoreClassification(
    input.sentimentVal.map((e) => sentiments.indexOf(e.sentiment)),
    input.sentimentVal.map((e) => sentiments.indexOf(polarity(e.text))),
    sentiments,
  );
  return {
    complaintMacroF1: macroF1Of(gold, predicted),
    complaintBrandMacroF1: macroF1Of(brand.map((i) => gold[i]), brand.map((i) => predicted[i])),
    ...sentimentFigures(val),
    msgsPerSec: throughput(input.sentimentVal.map((e) => e.text), polarity, throughputMs),
    protocol,
  };
}

/** VADER with its published thresholds: compound ≥ 0.05 positive, ≤ −0.05 negative, else neutral. */
export function evaluateVader(input: PeerInput): PeerResult {
  const vader: VaderModule = require('vader-sentiment');
  const polarity = (text: string): Sentiment => {
    const { compound } = vader.SentimentIntensityAnalyzer.polarity_scores(text);
    return compound >= 0.05 ? 'positive' : compound <= -0.05 ? 'negative' : 'neutral';
  };
  return lexiconPeer(input, polarity, input.throughputMs ?? 1000,
    'untrained lexicon; sentiment from the compound score (≥ 0.05 positive, ≤ −0.05 negative); complaint = negative sentiment');
}

/** AFINN-165 (`sentiment` package): score > 0 positive, < 0 negative, 0 neutral. */
export function evaluateAfinn(input: PeerInput): PeerResult {
  const Afinn: new () => AfinnAnalyzer = require('sentiment');
  const analyzer = new Afinn();
  const polarity = (text: string): Sentiment => {
    const { score } = analyzer.analyze(text);
    return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
  };
  return lexiconPeer(input, polarity, input.throughputMs ?? 1000,
    'AFINN-165, untrained lexicon; sentiment from the sign of the score; complaint = negative sentiment');
}

function loadBayes(): new () => BayesClassifier {
  return require('natural/lib/natural/classifiers/bayes_classifier.js');
}

/**
 * Out-of-fold predictions of natural's Bayes classifier on the same stratified folds as Parley's complaint CV; each
 * fold trains on a stratified sample of at most `trainCap` of its training rows and is tested on all its test rows.
 */
function naturalComplaintCv(examples: readonly ComplaintExample[], trainCap: number): number {
  const Bayes = loadBayes();
  const gold = examples.map((c) => (c.complaint ? 1 : 0));
  const assignment = stratifiedFolds(gold, trainingSettings.folds, trainingSettings.foldSeed);
  const predicted = new Array<number>(examples.length).fill(0);
  for (let fold = 0; fold < trainingSettings.folds; fold += 1) {
    const classifier = new Bayes();
    const trainRows = examples.flatMap((_, i) => (assignment[i] === fold ? [] : [i]));
    for (const i of stratifiedSample(trainRows, (i) => gold[i], [0, 1], trainCap, fold)) classifier.addDocument(examples[i].text, String(gold[i]));
    classifier.train();
    examples.forEach((e, i) => { if (assignment[i] === fold) predicted[i] = classifier.classify(e.text) === '1' ? 1 : 0; });
  }
  return macroF1Of(gold, predicted);
}

/** A stratified sample of `size` rows (seeded), so natural's quadratic training stays within a minute or so. */
function stratifiedSample<T, L>(rows: readonly T[], labelOf: (row: T) => L, labels: readonly L[], size: number, seed: number): T[] {
  if (size >= rows.length) return [...rows];
  const random = createRandom(seed);
  return labels.flatMap((label) => {
    const ofClass = rows.filter((r) => labelOf(r) === label);
    shuffleInPlace(ofClass, random);
    return ofClass.slice(0, Math.round((ofClass.length / rows.length) * size));
  });
}

/**
 * natural's BayesClassifier (Porter-stemmed bag of words, naive Bayes): complaint head trained per fold on the same
 * 10 folds (all tweets, and separately the 9 brand domains) from a capped sample of each fold's training rows;
 * sentiment head trained on a stratified sample of TweetEval train and measured on all of val. Its cost per document
 * grows with the vocabulary (and the vocabulary with the documents), hence the samples.
 */
export function evaluateNaturalBayes(input: PeerInput): PeerResult {
  const sample = input.naturalSentimentSample ?? 2000;
  const complaintCap = input.naturalComplaintTrainCap ?? 1000;
  const Bayes = loadBayes();
  const brand = brandRows(input.complaints).map((i) => input.complaints[i]);
  const classifier = new Bayes();
  for (const e of stratifiedSample(input.sentimentTrain, (e) => e.sentiment, sentiments, sample, trainingSettings.foldSeed)) classifier.addDocument(e.text, e.sentiment);
  classifier.train();
  const predict = (text: string) => Math.max(0, sentiments.findIndex((s) => s === classifier.classify(text)));
  const val = scoreClassification(input.sentimentVal.map((e) => sentiments.indexOf(e.sentiment)), input.sentimentVal.map((e) => predict(e.text)), sentiments);
  return {
    complaintMacroF1: naturalComplaintCv(input.complaints, complaintCap),
    complaintBrandMacroF1: naturalComplaintCv(brand, complaintCap),
    ...sentimentFigures(val),
    msgsPerSec: throughput(input.sentimentVal.slice(0, 500).map((e) => e.text), predict, input.throughputMs ?? 1000),
    protocol: `BayesClassifier (Porter-stemmed bag of words); complaint on the same 10 folds, each fold trained on a stratified ${complaintCap}-tweet sample of its training rows and tested on all its test rows; sentiment trained on a stratified ${sample}-tweet sample of TweetEval train (natural is O(vocabulary) per document)`,
  };
}

export type PeerName = 'vader-sentiment' | 'sentiment-afinn' | 'natural-bayes';

export function evaluatePeers(input: PeerInput): Record<PeerName, PeerResult> {
  return {
    'vader-sentiment': evaluateVader(input),
    'sentiment-afinn': evaluateAfinn(input),
    'natural-bayes': evaluateNaturalBayes(input),
  };
}
