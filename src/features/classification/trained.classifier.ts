import type { FeatureVector } from './feature.extractor.ts';
import { createFeatureExtractor, nameFeature } from './feature.extractor.ts';
import { createFastScorer } from './fast.scorer.ts';
import { inferIntent } from './intent.rules.ts';
import type { Classifier, ClassifyOptions, FeatureContribution, Labels, Sentiment } from './labels.ts';
import { sentiments } from './labels.ts';
import { detectLanguage } from './language.detector.ts';
import type { LinearModel } from './linear.model.ts';
import { binaryProbability, modelGeneration } from './linear.model.ts';
import type { TopicDefinition } from './topics.tagger.ts';
import { compileTopics, defaultTopics, tagTopics } from './topics.tagger.ts';
import { appendTransferFeatures, transferIndices } from './transfer.features.ts';
import { assessUrgency } from './urgency.rules.ts';

export interface TrainedModels {
  complaint: LinearModel;
  sentiment: LinearModel;
}

export interface ClassifierOptions {
  models: TrainedModels;
  /** A workspace's own topics, matched after the default taxonomy. A topic with a default id adds seeds to it. */
  extraTopics?: TopicDefinition[];
  /** Features named per decision in `explanation` (default 5). */
  explanationSize?: number;
}

/** Weight of the sentiment probabilities inside the complaint head; part of how the complaint model was trained. */
export function transferWeightOf(model: LinearModel): number {
  const weight = model.info.transferWeight;
  return typeof weight === 'number' ? weight : 0;
}

export function mergeTopics(base: readonly TopicDefinition[], extra: readonly TopicDefinition[]): TopicDefinition[] {
  const merged = base.map((t) => ({ id: t.id, seeds: [...t.seeds] }));
  for (const topic of extra) {
    const existing = merged.find((t) => t.id === topic.id);
    if (existing) existing.seeds.push(...topic.seeds);
    else merged.push({ id: topic.id, seeds: [...topic.seeds] });
  }
  return merged;
}

// Keeps the `size` features with the largest positive contribution. Runs on every message, so no sorting of the
// whole vector and no names until the end.
function topContributions(vector: FeatureVector, contribution: (f: number) => number, size: number, name: (f: number) => string, length: number): FeatureContribution[] {
  const best: { f: number; c: number }[] = [];
  for (let f = 0; f < length; f += 1) {
    const c = contribution(f);
    if (c <= 0) continue;
    if (best.length < size * 2) best.push({ f, c });
    else {
      let min = 0;
      for (let i = 1; i < best.length; i += 1) if (best[i].c < best[min].c) min = i;
      if (c > best[min].c) best[min] = { f, c };
    }
  }
  // The same n-gram can occur twice in one message: merge by name before cutting to size.
  const byName = new Map<string, number>();
  for (const { f, c } of best) {
    const key = name(f);
    byName.set(key, (byName.get(key) ?? 0) + c);
  }
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, size)
    .map(([feature, weight]) => ({ feature, weight: Math.round(weight * 1000) / 1000 }));
}

/** The trained classifier: complaint and sentiment heads from model files, rule-based intent, topics, urgency and language. */
export function createClassifier(options: ClassifierOptions): Classifier {
  const { complaint: complaintModel, sentiment: sentimentModel } = options.models;
  if (JSON.stringify(complaintModel.features) !== JSON.stringify(sentimentModel.features)) {
    throw new Error('complaint and sentiment models were trained with different feature settings');
  }
  if (sentimentModel.classes.join() !== sentiments.join() || complaintModel.outputs !== 1) {
    throw new Error('model files do not match the complaint (binary) and sentiment (negative, neutral, positive) heads');
  }
  const extract = createFeatureExtractor(complaintModel.features);
  const transfer = transferIndices(complaintModel.features.buckets);
  const transferWeight = transferWeightOf(complaintModel);
  const topics = compileTopics(mergeTopics(defaultTopics, options.extraTopics ?? []));
  const size = options.explanationSize ?? 5;
  const version = `parley-${modelGeneration}/${complaintModel.version}/${sentimentModel.version}`;
  const round = (x: number) => Math.round(x * 10000) / 10000;
  // Both heads read the same features, so their weights are interleaved (3 sentiment + 1 complaint per bucket):
  // one cache line per feature instead of two. Memory latency, not arithmetic, bounds throughput here.
  const buckets = complaintModel.features.buckets;
  const table = new Float32Array(buckets * 4);
  for (let b = 0; b < buckets; b += 1) {
    table[b * 4] = sentimentModel.weights[b * 3];
    table[b * 4 + 1] = sentimentModel.weights[b * 3 + 1];
    table[b * 4 + 2] = sentimentModel.weights[b * 3 + 2];
    table[b * 4 + 3] = complaintModel.weights[b];
  }
  const [biasNeg, biasNeu, biasPos] = sentimentModel.bias;
  const complaintBias = complaintModel.bias[0];

  // A second extractor for explanations: they are computed only when read, from the text, after the fast path's
  // reusable vector has moved on to other messages.
  const explainExtract = createFeatureExtractor(complaintModel.features);
  const explainDecision = (text: string, complaint: boolean): { complaint: FeatureContribution[]; sentiment: FeatureContribution[] } => {
    const vector = explainExtract(text);
    const { indices, values } = vector;
    const scores = [biasNeg, biasNeu, biasPos];
    for (let f = 0; f < vector.length; f += 1) {
      const base = indices[f] * 4;
      for (let k = 0; k < 3; k += 1) scores[k] += table[base + k] * values[f];
    }
    const best = scores[0] >= scores[1] && scores[0] >= scores[2] ? 0 : scores[1] >= scores[2] ? 1 : 2;
    const baseLength = vector.length;
    if (transferWeight > 0) appendTransferFeatures(vector, softmax3(scores), transfer, transferWeight);
    const name = (f: number) => nameFeature(vector, f);
    const sentiment = topContributions(vector, (f) => {
      const base = indices[f] * 4;
      const others = (table[base] + table[base + 1] + table[base + 2] - table[base + best]) / 2;
      return (table[base + best] - others) * values[f];
    }, size, name, baseLength);
    const direction = complaint ? 1 : -1;
    const complaintContributions = topContributions(vector, (f) => direction * table[indices[f] * 4 + 3] * values[f], size, name, vector.length)
      .map((c) => ({ feature: c.feature, weight: direction * c.weight }));
    return { complaint: complaintContributions, sentiment };
  };
  // Generation-2 models (token-scoped character n-grams) take the cached fast path; older files the plain one.
  const score: (text: string, out: Float64Array) => { norms: string[] } = complaintModel.features.charScope === 'word'
    ? createFastScorer(table, complaintModel.features)
    : (text, out) => {
      const vector = extract(text);
      out.fill(0);
      for (let f = 0; f < vector.length; f += 1) {
        const base = vector.indices[f] * 4;
        const v = vector.values[f];
        for (let k = 0; k < 4; k += 1) out[k] += table[base + k] * v;
      }
      return { norms: vector.tokens };
    };
  const raw = new Float64Array(4);
  // The transfer features sit at fixed buckets: their complaint weights are read once here, not per message.
  const transferComplaintWeights = transfer.map((b) => table[b * 4 + 3] * transferWeight);

  return {
    version,
    classify(text: string, classifyOptions?: ClassifyOptions): Labels {
      const explain = classifyOptions?.explain ?? true;
      const tokens = score(text, raw).norms;
      const s0 = biasNeg + raw[0], s1 = biasNeu + raw[1], s2 = biasPos + raw[2];
      let margin = complaintBias + raw[3];
      const max = Math.max(s0, s1, s2);
      const e0 = Math.exp(s0 - max), e1 = Math.exp(s1 - max), e2 = Math.exp(s2 - max);
      const sum = e0 + e1 + e2;
      const p0 = e0 / sum, p1 = e1 / sum, p2 = e2 / sum;
      const best = p0 >= p1 && p0 >= p2 ? 0 : p1 >= p2 ? 1 : 2;
      const sentiment: Sentiment = sentiments[best];
      if (transferWeight > 0) {
        margin += transferComplaintWeights[0] * p0 + transferComplaintWeights[1] * p1 + transferComplaintWeights[2] * p2;
      }
      const complaintScore = binaryProbability(complaintModel, margin);
      const complaint = complaintScore >= 0.5;

      const topicMatches = tagTopics(tokens, topics);
      const urgency = assessUrgency(text, complaintScore, p0);
      const topicsFound = topicMatches.size === 0 ? [] : [...topicMatches.keys()];
      let explanation: Labels['explanation'] | undefined;
      return {
        complaint,
        complaintScore: round(complaintScore),
        sentiment,
        sentimentScores: { negative: round(p0), neutral: round(p1), positive: round(p2) },
        intent: inferIntent({ text, complaint, sentiment, hasUrl: tokens.includes('<url>') }),
        topics: topicsFound,
        urgency: urgency.urgency,
        urgencySignals: urgency.signals,
        lang: detectLanguage(text, tokens),
        modelVersion: version,
        // Computed on first read (agents' views, `--explain`), so bulk labelling never pays for it.
        get explanation(): Labels['explanation'] {
          explanation ??= {
            ...(explain ? explainDecision(text, complaint) : { complaint: [], sentiment: [] }),
            topics: Object.fromEntries(topicMatches),
            urgency: urgency.signals,
          };
          return explanation;
        },
        set explanation(value: Labels['explanation']) {
          explanation = value;
        },
      };
    },
  };
}

function softmax3(scores: number[]): number[] {
  const max = Math.max(scores[0], scores[1], scores[2]);
  const e = scores.map((x) => Math.exp(x - max));
  const sum = e[0] + e[1] + e[2];
  return e.map((x) => x / sum);
}
