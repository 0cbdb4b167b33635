import { describe, expect, it } from 'vitest';
import { foldCodePoint, foldTables, foldText, splitWords } from './text.normalizer.ts';
import { foldReference } from './rule.reference.ts';

describe('text folding', () => {
  it.each([
    ['Café', 'cafe'],
    ['STRAẞE', 'strasse'],
    ['Ørsted', 'orsted'],
    ['İstanbul', 'istanbul'],
    ['ΟΔΟΣ', 'οδοσ'],
    ['ｆｕｌｌ', 'full'],
    ['ﬁne', 'fine'],
    ['كَتَبَ', 'كتب'],
    ['삼성', '삼성'],
    ['ｶﾞ', 'カ\u3099'],
  ])('%s → %s', (text, folded) => {
    expect(foldText(text)).toBe(folded);
    expect(foldReference(text)).toBe(folded);
  });

  it('is idempotent on every BMP character, so folded text folds to itself', () => {
    const { cls } = foldTables();
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const once = foldCodePoint(c);
      expect(foldText(once)).toBe(once);
      expect(cls[c]).toBeLessThan(12);
    }
  });

  it.each([
    ['Hello, world!', ['hello', 'world']],
    ['東京タワー', ['東', '京', 'タ', 'ワ', 'ー']],
    ['iPhone用', ['iphone', '用']],
    ["don't", ['don', 't']],
    ['😀 x_1 😀', ['x_1']],
  ])('splits %j into %j', (text, words) => {
    expect(splitWords(text)).toEqual(words);
  });
});
