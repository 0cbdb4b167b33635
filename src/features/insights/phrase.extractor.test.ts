import { describe, expect, it } from 'vitest';
import { baselineRate, countWeek, phraseTokens, phrasesOf, risingPhrases, trendOf } from './phrase.extractor.ts';
import type { WeekCounts } from './phrase.extractor.ts';

const week = (posts: number, counts: Record<string, number>): WeekCounts => ({ posts, counts: new Map(Object.entries(counts)) });

describe('phraseTokens', () => {
  it.each([
    ['My Router keeps REBOOTING!!', ['my', 'router', 'keeps', 'rebooting']],
    ['@acme_help see https://t.co/abc123 now', ['see', 'now']],
    ["I can't log in, it's broken", ['cant', 'log', 'in', 'its', 'broken']],
    ['Café wifi à 5G', ['cafe', 'wifi', '5g']],
    ['=cmd|calc', ['cmd', 'calc']],
  ])('%j → %j', (text, tokens) => {
    expect(phraseTokens(text)).toEqual(tokens);
  });
});

describe('phrasesOf', () => {
  it('makes 1–3 word runs that neither start nor end with a function word, once per post', () => {
    expect([...phrasesOf('no signal at the station')].sort()).toEqual(['no', 'no signal', 'signal', 'station'].sort());
    expect([...phrasesOf('router reboot loop, router reboot loop')].sort()).toEqual(
      ['router', 'router reboot', 'router reboot loop', 'reboot', 'reboot loop', 'reboot loop router', 'loop', 'loop router', 'loop router reboot'].sort(),
    );
    expect([...phrasesOf('the and of to')]).toEqual([]);
  });
});

describe('baseline and lift', () => {
  it.each([
    ['weights the most recent week most', [week(10, { x: 5 }), week(10, { x: 0 })], (1 * 0.5 + 0.5 * 0) / 1.5],
    ['leaves out weeks without posts', [week(0, {}), week(4, { x: 1 })], 0.25],
    ['is 0 without any previous posts', [week(0, {}), week(0, {})], 0],
    ['is 0 with no previous weeks', [], 0],
    ['halves again each week back', [week(2, { x: 2 }), week(2, { x: 0 }), week(2, { x: 2 })], (1 + 0 + 0.25) / 1.75],
  ])('baselineRate %s', (_title, previous, expected) => {
    expect(baselineRate('x', previous)).toBeCloseTo(expected, 10);
  });

  it('computes the lift with add-one smoothing', () => {
    expect(trendOf('x', week(6, { x: 4 }), [week(4, { x: 1 }), week(4, { x: 0 })])).toEqual({ item: 'x', posts: 4, expected: 1, lift: 2.5 });
    expect(trendOf('new', week(10, { new: 3 }), [week(10, {})])).toEqual({ item: 'new', posts: 3, expected: 0, lift: 4 });
  });
});

describe('risingPhrases', () => {
  const previous = [week(10, { bill: 5, 'no signal': 1, signal: 1 }), week(10, { bill: 5 })];

  it('keeps phrases with enough posts and lift, highest lift first, dropping parts that say nothing more', () => {
    const current = week(10, { bill: 5, 'no signal': 4, signal: 4, no: 6, outage: 3, 'router reboot': 2 });
    const rising = risingPhrases(current, previous, { minSupport: 3, minLift: 2, limit: 10 });
    // outage: (3+1)/(0+1) = 4; no signal: (4+1)/(2/3+1) = 3; no: (6+1)/1 = 7; bill is flat; "signal" is inside "no signal"
    // with the same posts; "router reboot" has too few posts.
    expect(rising.map((r) => [r.item, r.lift])).toEqual([['no', 7], ['outage', 4], ['no signal', 3]]);
  });

  it('honours the limit and the thresholds', () => {
    const current = week(10, { a: 3, b: 4, c: 5 });
    expect(risingPhrases(current, [], { minSupport: 4, minLift: 1, limit: 1 }).map((r) => r.item)).toEqual(['c']);
    expect(risingPhrases(current, [], { minSupport: 1, minLift: 10, limit: 5 })).toEqual([]);
  });
});

describe('countWeek', () => {
  it('counts each item once per post', () => {
    const counted = countWeek([['a', 'a', 'b'], ['a']], (p) => p);
    expect(counted.posts).toBe(2);
    expect([...counted.counts]).toEqual([['a', 2], ['b', 1]]);
  });
});
