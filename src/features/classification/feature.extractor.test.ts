import { describe, expect, it } from 'vitest';
import { computeMetaFeatures, createFeatureExtractor, defaultFeatureConfig, metaFeatureNames, nameFeature, tokenize } from './feature.extractor.ts';
import type { MetaFeatureName } from './feature.extractor.ts';

const meta = (text: string, name: MetaFeatureName) => computeMetaFeatures(text, tokenize(text))[metaFeatureNames.indexOf(name)];

describe('tokenize', () => {
  it.each([
    ['@AcmeHelp my bill!!', ['@user', 'my', 'bill', '!!']],
    ['see https://t.co/abc now', ['see', '<url>', 'now']],
    ['#fail sooooo slow', ['#fail', 'soo', 'slow']],
    ['paid 45 for 3 days', ['paid', '<num>', 'for', '3', 'days']],
    ["don’t care :(", ["don't", 'care', ':(']],
    ['love it 😍👍', ['love', 'it', '😍', '👍']],
    ['broken ����', ['broken', '<?>']],
    ['', []],
  ])('%j', (text, expected) => {
    expect(tokenize(text).map((t) => t.norm)).toEqual(expected);
  });
});

describe('dense tweet features', () => {
  it.each<[string, MetaFeatureName, number]>([
    ['@brand where is my order', 'starts-with-mention', 1],
    ['where is my order @brand', 'starts-with-mention', 0],
    ['this is RIDICULOUS and UNACCEPTABLE', 'all-caps-words', 2 / 3],
    ['ok', 'all-caps-words', 0],
    ['great service', 'lexicon-positive', 2 / 6],
    ['not great service', 'lexicon-positive', 0],
    ['not great service', 'lexicon-negative', 1 / 6],
    ['thanks 😍', 'emoji-positive', 0.5],
    ['again 😡😡', 'emoji-negative', 1],
    ['so very slow', 'intensifiers', 2 / 3],
    ['why??', 'repeated-punct', 0.5],
    ['nooooo', 'elongated-words', 0.5],
  ])('%j → %s = %d', (text, name, value) => {
    expect(meta(text, name)).toBeCloseTo(value, 5);
  });
});

describe('createFeatureExtractor', () => {
  const extract = createFeatureExtractor(defaultFeatureConfig);

  it('is deterministic and stays inside the bucket range', () => {
    const a = extract('@brand still no internet, third day!!');
    const first = Array.from(a.indices.subarray(0, a.length));
    const b = extract('@brand still no internet, third day!!');
    expect(Array.from(b.indices.subarray(0, b.length))).toEqual(first);
    expect(first.every((i) => i >= 0 && i < defaultFeatureConfig.buckets)).toBe(true);
  });

  it('names word, negated, bigram, char and meta features', () => {
    const v = extract("it isn't working!!");
    const names = new Set(Array.from({ length: v.length }, (_, k) => nameFeature(v, k)));
    for (const name of ['word:working', 'not:working', "bigram:isn't working", 'char:"wor"', 'meta:repeated-punct']) {
      expect(names).toContain(name);
    }
  });

  it('handles empty, huge and binary input', () => {
    expect(extract('').length).toBeGreaterThanOrEqual(0);
    const huge = extract('x'.repeat(1_000_000));
    expect(huge.normalized.length).toBeLessThanOrEqual(defaultFeatureConfig.maxChars + 2);
    expect(extract('\u0000\u0001\uFFFD\uD800').length).toBeGreaterThan(0);
  });
});
