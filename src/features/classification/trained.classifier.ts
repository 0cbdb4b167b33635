import type { FeatureVector } from './feature.extractor.ts';
import { createFeatureExtractor, nameFeature } from './feature.extractor.ts';
import { inferIntent } from './intent.rules.ts';
import type { Classifier, ClassifyOptions, FeatureContribution, Labels, Sentiment } from './labels.ts';
import { sentiments } from './labels.ts';
import { detectLanguage } from './language.detector.ts';
import type { LinearModel } from './linear.model.ts';
import { binaryProbability } from './linear.model.ts';
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
  const version = `parley-1/${complaintModel.version}/${sentimentModel.version}`;
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

  return {
    version,
    classify(text: string, classifyOptions?: ClassifyOptions): Labels {
      const explain = classifyOptions?.explain ?? true;
      const vector = extract(text);
      const { indices, values } = vector;
      let s0 = biasNeg, s1 = biasNeu, s2 = biasPos, margin = complaintBias;
      for (let f = 0; f < vector.length; f += 1) {
        const base = indices[f] * 4;
        const v = values[f];
        s0 += table[base] * v;
        s1 += table[base + 1] * v;
        s2 += table[base + 2] * v;
        margin += table[base + 3] * v;
      }
      const max = Math.max(s0, s1, s2);
      const e0 = Math.exp(s0 - max), e1 = Math.exp(s1 - max), e2 = Math.exp(s2 - max);
      const sum = e0 + e1 + e2;
      const probs = [e0 / sum, e1 / sum, e2 / sum];
      const best = probs[0] >= probs[1] && probs[0] >= probs[2] ? 0 : probs[1] >= probs[2] ? 1 : 2;
      const sentiment: Sentiment = sentiments[best];
      const baseLength = vector.length;
      if (transferWeight > 0) {
        appendTransferFeatures(vector, probs, transfer, transferWeight);
        for (let f = baseLength; f < vector.length; f += 1) margin += table[indices[f] * 4 + 3] * values[f];
      }
      const complaintScore = binaryProbability(complaintModel, margin);
      const complaint = complaintScore >= 0.5;

      let complaintExplanation: FeatureContribution[] = [];
      let sentimentExplanation: FeatureContribution[] = [];
      if (explain) {
        const name = (f: number) => nameFeature(vector, f);
        sentimentExplanation = topContributions(vector, (f) => {
          const base = indices[f] * 4;
          const others = (table[base] + table[base + 1] + table[base + 2] - table[base + best]) / 2;
          return (table[base + best] - others) * values[f];
        }, size, name, baseLength);
        const direction = complaint ? 1 : -1;
        complaintExplanation = topContributions(vector, (f) => direction * table[indices[f] * 4 + 3] * values[f], size, name, vector.length)
          .map((c) => ({ feature: c.feature, weight: direction * c.weight }));
      }
      vector.length = baseLength;

      const topicMatches = tagTopics(vector.tokens, topics);
      const urgency = assessUrgency(text, complaintScore, probs[0]);
      return {
        complaint,
        complaintScore: round(complaintScore),
        sentiment,
        sentimentScores: { negative: round(probs[0]), neutral: round(probs[1]), positive: round(probs[2]) },
        intent: inferIntent({ text, complaint, sentiment, hasUrl: vector.tokens.includes('<url>') }),
        topics: [...topicMatches.keys()],
        urgency: urgency.urgency,
        urgencySignals: urgency.signals,
        lang: detectLanguage(text, vector.tokens),
        modelVersion: version,
        explanation: {
          complaint: complaintExplanation,
          sentiment: sentimentExplanation,
          topics: Object.fromEntries(topicMatches),
          urgency: urgency.signals,
        },
      };
    },
  };
}
