import { describe, expect, it } from 'vitest';
import { compareTweetIds, planTwcsImport } from './twcs.threads.ts';
import type { TwcsTweet } from './twcs.schema.ts';

let line = 1;
function tweet(tweetId: string, minute: number, changes: Partial<TwcsTweet> = {}): TwcsTweet {
  line += 1;
  const createdMs = Date.UTC(2017, 9, 31, 10, minute);
  return {
    line,
    tweetId,
    authorId: 'c1',
    inbound: true,
    createdAt: new Date(createdMs).toISOString(),
    createdMs,
    text: `tweet ${tweetId}`,
    inResponseTo: null,
    responseIds: [],
    ...changes,
  };
}

const ids = (tweets: readonly { tweetId: string }[]) => tweets.map((t) => t.tweetId);

describe('compareTweetIds', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['9007199254740993', '9007199254740992', 1],
    ['42', '42', 0],
  ])('orders %s against %s numerically', (a, b, sign) => {
    expect(Math.sign(compareTweetIds(a, b))).toBe(sign);
  });
});

describe('planTwcsImport', () => {
  it('orders by time, then by id', () => {
    const plan = planTwcsImport([tweet('3', 5), tweet('10', 1), tweet('2', 1)]);
    expect(ids(plan.ordered)).toEqual(['2', '10', '3']);
  });

  it('stores a parent before a reply dated earlier than it, and its own parent before that', () => {
    const plan = planTwcsImport([
      tweet('1', 10),
      tweet('2', 9, { inResponseTo: '1', inbound: false, authorId: 'Brand' }),
      tweet('3', 8, { inResponseTo: '2' }),
      tweet('4', 0),
    ]);
    expect(ids(plan.ordered)).toEqual(['4', '1', '2', '3']);
    expect(plan.threads).toBe(2);
  });

  it('survives a cycle of reply links', () => {
    const plan = planTwcsImport([tweet('1', 1, { inResponseTo: '2' }), tweet('2', 2, { inResponseTo: '1' })]);
    expect(ids(plan.ordered).sort()).toEqual(['1', '2']);
    expect(plan.threads).toBe(1);
  });

  it('takes a missing parent link from the parent’s response_tweet_id list', () => {
    const plan = planTwcsImport([tweet('1', 1, { responseIds: ['2', '5'] }), tweet('2', 2, { inbound: false, authorId: 'Brand' })]);
    expect(plan.ordered.map((t) => t.replyTo)).toEqual([null, '1']);
    expect(plan.threads).toBe(1);
  });

  it('keeps a link to a tweet outside the file without making a thread of it', () => {
    const plan = planTwcsImport([tweet('1', 1, { inResponseTo: '999' }), tweet('2', 2, { inResponseTo: '998' })]);
    expect(plan.ordered.map((t) => t.replyTo)).toEqual(['999', '998']);
    expect(plan.threads).toBe(2);
  });

  it('keeps the first row of a repeated tweet id', () => {
    const first = tweet('1', 1, { text: 'first' });
    const again = tweet('1', 1, { text: 'again' });
    const plan = planTwcsImport([first, again]);
    expect(plan.ordered.map((t) => t.text)).toEqual(['first']);
    expect(plan.duplicates).toEqual([again]);
  });

  it('groups everything one customer said, and whole threads, so groups can be ingested side by side', () => {
    const plan = planTwcsImport([
      tweet('1', 1, { authorId: 'a' }),
      tweet('2', 2, { authorId: 'Brand', inbound: false, inResponseTo: '1' }),
      tweet('3', 3, { authorId: 'b' }),
      tweet('4', 4, { authorId: 'a' }),
      tweet('5', 5, { authorId: 'c', inResponseTo: '3' }),
      tweet('6', 6, { authorId: 'Brand', inbound: false }),
    ]);
    expect(plan.groups.map(ids)).toEqual([['1', '2', '4'], ['3', '5'], ['6']]);
    // Threads follow reply links only: {1 2} {3 5} {4} {6}.
    expect(plan.threads).toBe(4);
    expect(plan.customers).toBe(3);
  });
});
