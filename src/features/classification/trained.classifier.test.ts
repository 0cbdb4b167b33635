import { describe, expect, it } from 'vitest';
import { createClassifier, loadClassifier } from './index.ts';
import { modelsExist } from './model.store.ts';

// Reads the committed model files in models/ (about 2 MB); they are part of the repository.
describe.skipIf(!modelsExist())('trained classifier', () => {
  const classifier = loadClassifier();

  it('labels a clear complaint, with urgency, topics and an explanation', () => {
    const labels = classifier.classify("@AcmeTel no internet for a week now, third time I've called. Cancelling if it's not fixed today!!");
    expect(labels.complaint).toBe(true);
    expect(labels.complaintScore).toBeGreaterThan(0.7);
    expect(labels.sentiment).toBe('negative');
    expect(labels.intent).toBe('complaint');
    expect(labels.topics).toEqual(expect.arrayContaining(['outage', 'cancellation']));
    expect(labels.urgencySignals).toEqual(expect.arrayContaining(['long outage', 'repeated contact', 'churn threat']));
    expect(labels.urgency).toBeGreaterThanOrEqual(0.7);
    expect(labels.lang).toBe('en');
    expect(labels.modelVersion).toMatch(/^parley-2\/complaint-2\.[0-9a-f]{8}\/sentiment-2\.[0-9a-f]{8}$/);
    expect(labels.explanation.complaint.length).toBeGreaterThan(0);
    expect(labels.explanation.complaint.every((c) => c.weight > 0)).toBe(true);
  });

  it('labels praise', () => {
    const labels = classifier.classify('@AcmeAir thank you so much for the upgrade, the crew were amazing ❤');
    expect(labels.complaint).toBe(false);
    expect(labels.sentiment).toBe('positive');
    expect(labels.intent).toBe('praise');
    expect(labels.topics).toContain('praise');
    expect(labels.explanation.complaint.every((c) => c.weight < 0)).toBe(true);
  });

  it('gives probabilities that sum to one and a score in [0, 1]', () => {
    for (const text of ['', 'ok', 'the app crashed', '¿Dónde está mi pedido? Gracias']) {
      const labels = classifier.classify(text);
      const { negative, neutral, positive } = labels.sentimentScores;
      expect(negative + neutral + positive).toBeCloseTo(1, 3);
      expect(labels.complaintScore).toBeGreaterThanOrEqual(0);
      expect(labels.complaintScore).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic and can skip explanations', () => {
    const text = 'my parcel never arrived and nobody answers';
    const a = classifier.classify(text);
    expect(classifier.classify(text)).toEqual(a);
    const quick = classifier.classify(text, { explain: false });
    expect(quick.complaintScore).toBe(a.complaintScore);
    expect(quick.explanation.complaint).toEqual([]);
  });

  it('computes explanations when first read, and serialises them with the labels (messages store JSON)', () => {
    const labels = classifier.classify('my parcel never arrived and nobody answers');
    const stored = JSON.parse(JSON.stringify(labels)) as { explanation: { complaint: unknown[] } };
    expect(stored.explanation.complaint).toEqual(labels.explanation.complaint);
    expect(labels.explanation.complaint.length).toBeGreaterThan(0);
    expect(labels.explanation).toBe(labels.explanation);
  });

  it('takes a workspace’s own topics and seeds', () => {
    const custom = createClassifier({ extraTopics: [{ id: 'roaming-fees', seeds: ['roaming charge*', 'abroad'] }, { id: 'billing', seeds: ['top-up'] }] });
    expect(custom.classify('charged a fortune abroad again').topics).toEqual(expect.arrayContaining(['billing', 'roaming-fees']));
    expect(classifier.classify('charged a fortune abroad again').topics).not.toContain('roaming-fees');
  });

  it('survives odd input', () => {
    expect(() => classifier.classify('\u0000\uFFFD'.repeat(100_000))).not.toThrow();
  });
});
