import { describe, expect, it } from 'vitest';
import { createFeatureExtractor } from './feature.extractor.ts';
import type { FeatureConfig } from './feature.extractor.ts';
import { computeMargins } from './linear.model.ts';
import { decodeModel, encodeModel } from './model.codec.ts';
import { buildDataset, trainLinearModel } from './linear.trainer.ts';
import type { TrainOptions } from './linear.trainer.ts';

const features: FeatureConfig = { buckets: 1 << 12, charMin: 3, charMax: 4, charWeight: 1, metaWeight: 1, maxChars: 500, charScope: 'word' };
const options: TrainOptions = { epochs: 8, learningRate: 0.2, l2: 1e-4, seed: 3, classWeighting: 'balanced', average: false };
const texts = [
  'my internet is down again', 'still no refund after weeks', 'worst service ever, cancelling', 'app keeps crashing',
  'thanks for the quick help', 'love the new update', 'great job team', 'happy with my order',
];
const labels = [1, 1, 1, 1, 0, 0, 0, 0];
const spec = { name: 'toy', version: 't', classes: ['no', 'yes'], features };

describe('trainLinearModel', () => {
  const extract = createFeatureExtractor(features);
  const data = buildDataset(texts, labels, extract);
  const rows = texts.map((_, i) => i);

  it('is deterministic for a fixed seed, down to the encoded bytes', () => {
    const a = encodeModel(trainLinearModel(data, rows, spec, options));
    const b = encodeModel(trainLinearModel(data, rows, spec, options));
    expect(a.equals(b)).toBe(true);
  });

  it('depends on the seed only through the example order', () => {
    const a = trainLinearModel(data, rows, spec, options);
    const b = trainLinearModel(data, rows, spec, { ...options, seed: 4 });
    expect(Array.from(a.weights)).not.toEqual(Array.from(b.weights));
  });

  it('fits a separable toy problem', () => {
    const model = trainLinearModel(data, rows, spec, options);
    const out = new Float64Array(1);
    texts.forEach((text, i) => {
      const margin = computeMargins(model, extract(text), out)[0];
      expect(margin > 0 ? 1 : 0).toBe(labels[i]);
    });
  });

  it('survives a round trip through the model file format', () => {
    const model = { ...trainLinearModel(data, rows, spec, options), calibration: { a: 1.5, b: -0.2 } };
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.calibration).toEqual({ a: 1.5, b: -0.2 });
    const maxAbs = Math.max(...Array.from(model.weights, Math.abs));
    model.weights.forEach((w, i) => expect(Math.abs(decoded.weights[i] - w)).toBeLessThanOrEqual(maxAbs / 32767));
    expect(() => decodeModel(Buffer.from('nope'))).toThrow(/not a Parley model/);
  });

  it('trains a softmax head for three classes', () => {
    const three = buildDataset(['bad awful', 'ok fine', 'great love', 'terrible', 'meh', 'amazing'], [0, 1, 2, 0, 1, 2], extract);
    const model = trainLinearModel(three, [0, 1, 2, 3, 4, 5], { ...spec, classes: ['n', 'u', 'p'] }, options);
    expect(model.outputs).toBe(3);
    expect(model.weights.length).toBe(features.buckets * 3);
  });
});
