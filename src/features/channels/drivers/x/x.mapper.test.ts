import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFixture, hasPayloads, readPayload } from '../../../../../test/support/payloads.ts';
import { ownAccountsOf } from '../shared/own-accounts.ts';
import { parseXStreamLine } from './x.mapper.ts';

const now = new Date('2025-10-09T09:00:00Z');
const own = ownAccountsOf({ ownAccountIds: ['7000000000000000001'], ownHandles: ['@AcmeHelp'] });
const lines = readFixture('x', 'filtered-stream.ndjson').toString('utf8').trim().split('\n');
const decide = (line: string) => parseXStreamLine(line, own, now);

describe('X filtered-stream mapper', () => {
  it('maps a post: string ids past 2^53, unescaped text, author handle and followers, time, language, matching rules', () => {
    const d = decide(lines[0]);
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.post.message).toMatchObject({
      externalId: '1844000000000000001',
      text: '@AcmeHelp my order 5521 never arrived & nobody answers',
      author: { platform: 'x', externalId: '9000000000000000001', handle: 'dana_k', displayName: 'Dana K', followerCount: 312 },
      sentAt: '2025-10-09T08:00:00.000Z',
      isPublic: true,
    });
    expect(d.post.lang).toBe('en');
    expect(d.matchingRules).toEqual([{ id: '1844000000000009001', tag: 'parley:r1:brand' }]);
  });

  it('threads replies to their parent and quotes to the quoted post', () => {
    const reply = decide(lines[1]);
    expect(reply.kind === 'post' && reply.post.message.replyToExternalId).toBe('1844000000000000001');
    const quote = decide(lines[2]);
    expect(quote.kind === 'post' && quote.post.message.replyToExternalId).toBe('1844000000000000001');
    expect(quote.kind === 'post' && quote.post.message.externalId).toBe('1844000000000000003');
  });

  it('collapses a retweet onto the original (ingested in its place) and skips one whose original is missing', () => {
    const retweet = decide(lines[3]);
    expect(retweet.kind === 'post' && retweet.post.message.externalId).toBe('1844000000000000001');
    expect(retweet.kind === 'post' && retweet.post.message.author.handle).toBe('dana_k');
    expect(decide(lines[4])).toMatchObject({ kind: 'skip', reason: 'retweet of a post not included' });
  });

  it("never ingests the brand's own account", () => {
    expect(decide(lines[5])).toMatchObject({ kind: 'skip', reason: 'own account' });
    const byHandle = parseXStreamLine(lines[5], ownAccountsOf({ ownHandles: ['acmehelp'] }), now);
    expect(byHandle.kind).toBe('skip');
  });

  it('prefers the full note_tweet text and drops the "und" language', () => {
    const d = decide(lines[6]);
    expect(d.kind === 'post' && d.post.message.text).toContain('kept whole by note_tweet');
    expect(d.kind === 'post' && d.post.lang).toBeNull();
  });

  it('treats blank lines as keep-alives and error lines as disconnects', () => {
    expect(decide('')).toEqual({ kind: 'keepalive' });
    expect(decide('\r')).toEqual({ kind: 'keepalive' });
    const error = decide('{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}');
    expect(error).toMatchObject({ kind: 'disconnect', title: 'operational-disconnect' });
  });

  it.each([
    ['invalid JSON', '{"data":'],
    ['truncated line', lines[0].slice(0, 80)],
    ['numeric id (would be rounded)', '{"data":{"id":1844000000000000001,"text":"x","author_id":"1"}}'],
    ['no author', '{"data":{"id":"1","text":"x"}}'],
    ['no data', '{"matching_rules":[]}'],
  ])('rejects %s without throwing', (_name, line) => {
    expect(decide(line).kind).toBe('invalid');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constantFrom(...lines).chain((l) => fc.nat(l.length).map((n) => l.slice(0, n)))), (line) => {
        expect(['post', 'skip', 'invalid', 'keepalive', 'disconnect']).toContain(decide(line).kind);
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!hasPayloads('x'))('X mapper on the real payloads in ../shared/data/payloads/x', () => {
  const payload = (file: string) => JSON.stringify(JSON.parse(readPayload('x', file).toString('utf8')));

  it('filtered-stream tweet: id, text, author, handle, time and matching rule', () => {
    const d = parseXStreamLine(payload('x-v2-filtered-stream-tweet.json'), ownAccountsOf({}), now);
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.post.message).toMatchObject({
      externalId: '1234567890', text: 'Look at this cute cat! 🐱', author: { externalId: '9876543210', handle: 'catperson' }, sentAt: '2024-01-15T10:35:00.000Z',
    });
    expect(d.post.message.replyToExternalId).toBeUndefined();
    expect(d.matchingRules).toEqual([{ id: '1273026480692322304', tag: 'cats with images' }]);
  });

  it('webhook-delivered stream post: the real @Xdevelopers post', () => {
    const d = parseXStreamLine(payload('x-v2-filtered-stream-webhook-delivery.json'), ownAccountsOf({}), now);
    expect(d.kind === 'post' && d.post.message).toMatchObject({
      externalId: '1346889436626259968', author: { externalId: '2244994945', handle: 'Xdevelopers', displayName: 'Developers' }, sentAt: '2021-01-06T18:40:40.000Z',
    });
  });

  it('reply with expansions: replied_to becomes reply-to, language kept (data as a one-element array is unwrapped)', () => {
    const body = JSON.parse(readPayload('x', 'x-v2-tweet-reply-with-expansions.json').toString('utf8')) as { data: unknown[]; includes: unknown };
    const d = parseXStreamLine(JSON.stringify({ data: body.data[0], includes: body.includes }), ownAccountsOf({}), now);
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.post.message).toMatchObject({ externalId: '1296887316556980230', replyToExternalId: '1296887091901718529', author: { handle: 'TwitterDev', followerCount: 513962 } });
    expect(d.post.lang).toBe('en');
    expect(d.post.message.text.startsWith('See how @PennMedCDH')).toBe(true);
  });

  it('an embedding match without author_id is refused, not guessed', () => {
    expect(parseXStreamLine(payload('x-v2-filtered-stream-embedding-match.json'), ownAccountsOf({}), now).kind).toBe('invalid');
  });
});
