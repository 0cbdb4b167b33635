import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTweetId, parseTwcsRecord, parseTwitterDate } from './twcs.schema.ts';
import type { TwcsRecord } from './twcs.schema.ts';

describe('parseTwitterDate', () => {
  it.each([
    ['Tue Oct 31 22:10:47 +0000 2017', '2017-10-31T22:10:47.000Z'],
    ['Mon Aug 29 03:20:05 +0000 2011', '2011-08-29T03:20:05.000Z'],
    ['Wed Nov 01 00:30:00 +0130 2017', '2017-10-31T23:00:00.000Z'],
    ['Wed Nov 01 00:30:00 -0500 2017', '2017-11-01T05:30:00.000Z'],
    ['Thu Feb 29 12:00:00 +0000 2024', '2024-02-29T12:00:00.000Z'],
    ['  Tue Oct 31 22:10:47 +0000 2017 ', '2017-10-31T22:10:47.000Z'],
  ])('reads %j', (text, iso) => {
    const ms = parseTwitterDate(text);
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(iso);
  });

  it.each([
    '',
    'yesterday',
    '2017-10-31T22:10:47Z',
    'Thu Nov 31 10:00:00 +0000 2017',
    'Thu Feb 29 12:00:00 +0000 2017',
    'Tue Oct 31 24:00:00 +0000 2017',
    'Tue Oct 31 22:61:00 +0000 2017',
    'Tue Foo 31 22:10:47 +0000 2017',
    'Tue Oct 31 22:10:47 2017',
    'Tue Oct 31 22:10:47 +0000 0017',
  ])('rejects %j', (text) => {
    expect(parseTwitterDate(text)).toBeNull();
  });

  it('reads back every date written in the Twitter format', () => {
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(fc.date({ min: new Date('2006-03-21T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
        const d = new Date(Math.floor(date.getTime() / 1000) * 1000);
        const text = `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
        expect(parseTwitterDate(text)).toBe(d.getTime());
      }),
    );
  });
});

describe('parseTweetId', () => {
  it.each([
    ['1', '1'],
    ['3.0', '3'],
    ['3.', '3'],
    ['119237', '119237'],
    [' 42 ', '42'],
    ['007', '7'],
    ['0', '0'],
    ['1012345678901234567', '1012345678901234567'],
    ['1012345678901234567.0', '1012345678901234567'],
  ])('reads %j as %j', (text, id) => {
    expect(parseTweetId(text)).toBe(id);
  });

  it.each(['', 'abc', '3.5', '-3', '1e6', '3.0e+06', '1,2', 'NaN', '12345678901234567890123'])('rejects %j', (text) => {
    expect(parseTweetId(text)).toBeNull();
  });

  it('keeps every digit of ids beyond 2^53, written plain or as a pandas float', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 19n }), fc.boolean(), (n, asFloat) => {
        expect(parseTweetId(asFloat ? `${n}.0` : String(n))).toBe(String(n));
      }),
    );
  });
});

describe('parseTwcsRecord', () => {
  const good: TwcsRecord = {
    tweet_id: '2',
    author_id: '115712',
    inbound: 'True',
    created_at: 'Tue Oct 31 22:11:45 +0000 2017',
    text: '@sprintcare and how do you propose we do that',
    response_tweet_id: '',
    in_response_to_tweet_id: '1.0',
  };

  it('normalizes a good row', () => {
    expect(parseTwcsRecord(good, 3)).toEqual({
      ok: true,
      tweet: {
        line: 3,
        tweetId: '2',
        authorId: '115712',
        inbound: true,
        createdAt: '2017-10-31T22:11:45.000Z',
        createdMs: Date.parse('2017-10-31T22:11:45Z'),
        text: good.text,
        inResponseTo: '1',
        responseIds: [],
      },
    });
  });

  it('splits a comma-separated response_tweet_id', () => {
    const result = parseTwcsRecord({ ...good, response_tweet_id: '9,6, 10' }, 2);
    expect(result.ok && result.tweet.responseIds).toEqual(['9', '6', '10']);
  });

  it.each([
    [{ tweet_id: '' }, 'missing-tweet-id'],
    [{ tweet_id: 'x1' }, 'invalid-tweet-id'],
    [{ author_id: ' ' }, 'missing-author-id'],
    [{ inbound: 'yes' }, 'invalid-inbound'],
    [{ created_at: 'Tue Oct 31 2017' }, 'unparseable-created-at'],
    [{ in_response_to_tweet_id: '1.5' }, 'invalid-reply-link'],
    [{ response_tweet_id: '1,b' }, 'invalid-reply-link'],
    [{ tweet_id: '', created_at: 'never' }, 'missing-tweet-id'],
  ])('skips %j as %s', (change, reason) => {
    expect(parseTwcsRecord({ ...good, ...change }, 2)).toEqual({ ok: false, reason });
  });
});
