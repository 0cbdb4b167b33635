import { describe, expect, it } from 'vitest';
import { createFastScorer, tableWidth } from './fast.scorer.ts';
import { createFeatureExtractor } from './feature.extractor.ts';
import type { FeatureConfig } from './feature.extractor.ts';
import { createRandom } from './random.ts';

const config: FeatureConfig = { buckets: 1 << 12, charMin: 3, charMax: 5, charWeight: 0.7, metaWeight: 1.3, maxChars: 300, charScope: 'word' };
const texts = [
  '', 'ok', '@AcmeTel no internet for a week now, third time!! not working :(',
  "it isn't working and I don't like it at all", 'sooooo slow https://t.co/x #fail 😡😡', 'Thanks, LOVE the new app ❤️',
  '¿Dónde está mi pedido? Gracias', '\u0000\uFFFD\uD800 binary', 'x'.repeat(1000), 'paid 45 for 3 days, still no refund',
];

describe('fast scorer', () => {
  const random = createRandom(5);
  const table = Float32Array.from({ length: config.buckets * tableWidth }, () => random() * 2 - 1);
  const extract = createFeatureExtractor(config);

  it.each(texts.map((t) => [t.slice(0, 40), t]))('matches the feature extractor’s dot product: %j', (_, text) => {
    const score = createFastScorer(table, config);
    const out = new Float64Array(tableWidth);
    // Twice: the second pass reads the per-token cache filled by the first.
    for (let pass = 0; pass < 2; pass += 1) {
      const tokens = score(text, out);
      const vector = extract(text);
      const expected = new Float64Array(tableWidth);
      for (let f = 0; f < vector.length; f += 1) {
        for (let k = 0; k < tableWidth; k += 1) expected[k] += table[vector.indices[f] * tableWidth + k] * vector.values[f];
      }
      for (let k = 0; k < tableWidth; k += 1) expect(out[k]).toBeCloseTo(expected[k], 4);
      expect(tokens.norms).toEqual(vector.tokens);
    }
  });

  it('refuses models whose character n-grams cross tokens', () => {
    expect(() => createFastScorer(table, { ...config, charScope: 'text' })).toThrow(/charScope/);
  });
});
