import type { Classifier, FeatureContribution, Intent, Labels, Sentiment } from './labels.ts';

// A transparent lexicon baseline: it keeps the pipeline honest until the trained models land.
const negativeTerms: Record<string, number> = {
  worst: 2, terrible: 2, awful: 2, horrible: 2, useless: 2, ridiculous: 1.5, angry: 1.5, furious: 2,
  disappointed: 1.5, broken: 1.5, down: 1, outage: 2, dropped: 1, fail: 1, failed: 1.5, failing: 1.5,
  unacceptable: 2, still: 0.5, again: 0.5, never: 1, nobody: 1, waiting: 1, wait: 0.5, charged: 1,
  overcharged: 2, refund: 1, cancel: 1, slow: 1, "can't": 1, cannot: 1, "doesn't": 0.8, "won't": 0.8, no: 0.5,
  hate: 2, sucks: 2, scam: 2, lost: 1, missing: 1, late: 1, delayed: 1, wrong: 1, error: 1,
};
const positiveTerms: Record<string, number> = {
  thanks: 1.5, thank: 1.5, great: 1.5, love: 2, awesome: 2, excellent: 2, amazing: 2, helpful: 1.5,
  fixed: 1, perfect: 1.5, happy: 1.5, appreciate: 1.5, best: 1, quick: 0.8, fast: 0.8, good: 1,
};
const topicSeeds: Record<string, string[]> = {
  billing: ['bill', 'billing', 'charged', 'overcharged', 'invoice', 'refund', 'payment', 'fee'],
  outage: ['outage', 'down', 'no service', 'no signal', 'no internet', 'not working', 'dropped', 'offline'],
  coverage: ['coverage', 'signal', 'reception', 'dead zone', 'bars'],
  delivery: ['delivery', 'delivered', 'shipping', 'package', 'parcel', 'courier'],
  'product-defect': ['broken', 'defective', 'faulty', 'cracked', 'stopped working'],
  'account-access': ['password', 'login', 'log in', 'locked out', 'account access', 'sign in'],
  cancellation: ['cancel', 'cancellation', 'switching', 'leaving', 'switch to'],
  policy: ['policy', 'terms', 'contract', 'fine print'],
  'staff-conduct': ['rude', 'agent', 'representative', 'hung up', 'staff'],
  praise: ['thanks', 'thank you', 'love', 'great service'],
};
const urgencyPatterns: [RegExp, string, number][] = [
  [/\b(no (service|signal|internet|power)|outage)\b.*\b(days?|weeks?)\b|\bfor (a|one|two|three|\d+) (days?|weeks?)\b/i, 'long outage', 0.35],
  [/\b(emergency|911|999|112|hospital|medical|oxygen|safety|danger)\b/i, 'safety', 0.5],
  [/\b(again|third time|(\d+|several|many) times|still)\b/i, 'repeated contact', 0.2],
  [/\b(cancel|switching|leaving|going to \w+ instead)\b/i, 'churn threat', 0.2],
  [/\b(lawyer|sue|ombudsman|regulator|fcc|ofcom|press|journalist|going public)\b/i, 'going public', 0.3],
];

function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

function containsTerm(lower: string, term: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'u').test(lower);
}

export function createBaselineClassifier(): Classifier {
  const version = 'baseline-lexicon-1';
  return {
    version,
    classify(text: string): Labels {
      const lower = text.toLowerCase();
      const tokens = tokenize(text);
      const negative: FeatureContribution[] = [];
      const positive: FeatureContribution[] = [];
      for (const token of tokens) {
        const n = negativeTerms[token];
        if (n) negative.push({ feature: `word:${token}`, weight: n });
        const p = positiveTerms[token];
        if (p) positive.push({ feature: `word:${token}`, weight: -p });
      }
      const exclamations = (text.match(/!/g) ?? []).length;
      if (exclamations >= 2) negative.push({ feature: 'punct:!!', weight: 0.5 });
      const neg = negative.reduce((s, f) => s + f.weight, 0);
      const pos = -positive.reduce((s, f) => s + f.weight, 0);
      const margin = neg - pos;
      const complaintScore = 1 / (1 + Math.exp(-(margin - 1.5)));
      const sentiment: Sentiment = margin > 0.75 ? 'negative' : margin < -0.75 ? 'positive' : 'neutral';
      const softmax = (x: number) => Math.exp(x);
      const total = softmax(neg) + softmax(pos) + softmax(1);
      const topics = Object.entries(topicSeeds)
        .filter(([, seeds]) => seeds.some((s) => containsTerm(lower, s)))
        .map(([topic]) => topic);
      const urgencySignals: string[] = [];
      let urgency = 0;
      for (const [pattern, signal, weight] of urgencyPatterns) {
        if (pattern.test(text)) {
          urgencySignals.push(signal);
          urgency += weight;
        }
      }
      const complaint = complaintScore >= 0.5;
      const intent: Intent = complaint
        ? 'complaint'
        : /\?\s*$|^(how|what|when|where|why|can|does|is|do)\b/i.test(text.trim())
          ? 'question'
          : sentiment === 'positive'
            ? 'praise'
            : 'other';
      const explanation = [...negative, ...positive].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, 5);
      return {
        complaint,
        complaintScore: Number(complaintScore.toFixed(4)),
        sentiment,
        sentimentScores: {
          negative: Number((softmax(neg) / total).toFixed(4)),
          neutral: Number((softmax(1) / total).toFixed(4)),
          positive: Number((softmax(pos) / total).toFixed(4)),
        },
        intent,
        topics,
        urgency: Math.min(1, Number(urgency.toFixed(2))),
        urgencySignals,
        lang: 'und',
        modelVersion: version,
        explanation: { complaint: explanation, sentiment: explanation },
      };
    },
  };
}
