import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFixture } from '../../../../../test/support/payloads.ts';
import { ownAccountsOf } from '../shared/own-accounts.ts';
import { parseJetstreamFrame } from './jetstream.mapper.ts';

const now = new Date('2025-10-09T09:00:00Z');
const own = ownAccountsOf({ ownAccountIds: ['did:plc:acmebrand5555555555555'] });
const lines = readFixture('bluesky', 'jetstream-posts.jsonl').toString('utf8').trim().split('\n');
const decide = (line: string) => parseJetstreamFrame(line, own, now);

describe('Jetstream mapper', () => {
  it('maps a post to an inbound message keyed by its at-uri', () => {
    const d = decide(lines[0]);
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.timeUs).toBe(1760000000000001);
    expect(d.post.lang).toBe('en');
    expect(d.post.message).toMatchObject({
      externalId: 'at://did:plc:customerone111111111111/app.bsky.feed.post/3lzaaaaaaaa2a',
      text: 'My Acme router drops wifi every evening. Third replacement this year.',
      author: { platform: 'bluesky', externalId: 'did:plc:customerone111111111111' },
      isPublic: true,
      direction: 'inbound',
      sentAt: '2025-10-09T08:53:20.000Z',
    });
    expect(d.post.message.replyToExternalId).toBeUndefined();
  });

  it('threads a reply to its parent post', () => {
    const d = decide(lines[1]);
    expect(d.kind === 'post' && d.post.message.replyToExternalId).toBe('at://did:plc:customerone111111111111/app.bsky.feed.post/3lzaaaaaaaa2a');
    expect(d.kind === 'post' && d.post.lang).toBe('de');
  });

  it('collapses quotes onto the quoted post: with words they reference it, without words they are skipped', () => {
    const quote = decide(lines[2]);
    expect(quote.kind === 'post' && quote.post.message.replyToExternalId).toBe('at://did:plc:customerone111111111111/app.bsky.feed.post/3lzaaaaaaaa2a');
    expect(decide(lines[3])).toMatchObject({ kind: 'skip', reason: 'quote without text' });
    const withMedia = decide(lines[8]);
    expect(withMedia.kind === 'post' && withMedia.post.message.replyToExternalId).toBe('at://did:plc:customerone111111111111/app.bsky.feed.post/3lzaaaaaaaa2a');
  });

  it("skips the brand's own posts, reposts, deletes and non-commit events but keeps their time for the cursor", () => {
    expect(decide(lines[4])).toEqual({ kind: 'skip', timeUs: 1760000000000005, reason: 'own account' });
    expect(decide(lines[5])).toMatchObject({ kind: 'skip', reason: 'collection app.bsky.feed.repost' });
    expect(decide(lines[6])).toMatchObject({ kind: 'skip', reason: 'operation delete' });
    expect(decide(lines[7])).toMatchObject({ kind: 'skip', reason: 'kind identity' });
  });

  it('distrusts a createdAt in the future and uses the relay time instead', () => {
    const d = decide(lines[8]);
    expect(d.kind === 'post' && d.post.message.sentAt).toBe(new Date(Math.floor(1760000000000009 / 1000)).toISOString());
    expect(d.kind === 'post' && d.post.message.text).toBe('アクメのルーターが壊れた 😡 #acme');
  });

  it.each([
    ['invalid JSON', '{"did":'],
    ['truncated frame', lines[0].slice(0, lines[0].length - 10)],
    ['not an object', '[1,2,3]'],
    ['bad did', lines[0].replace('did:plc:customerone111111111111', 'did:plc:../../etc')],
    ['bad rkey', lines[0].replace('"rkey":"3lzaaaaaaaa2a"', '"rkey":"a/b c"')],
    ['time_us as text', lines[0].replace('"time_us":1760000000000001', '"time_us":"1760000000000001"')],
    ['text not a string', lines[0].replace('"text":"My Acme router drops wifi every evening. Third replacement this year."', '"text":42')],
  ])('rejects %s without throwing', (_name, frame) => {
    expect(decide(frame).kind).toBe('invalid');
  });

  it('clips an over-long text to the stored limit and cleans NUL and lone surrogates', () => {
    const event = JSON.parse(lines[0]) as { commit: { record: { text: string } } };
    event.commit.record.text = `a\u0000b\ud800${'x'.repeat(30_000)}`;
    const d = decide(JSON.stringify(event));
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.post.message.text.length).toBe(20_000);
    expect(d.post.message.text.startsWith('a\uFFFDb\uFFFD')).toBe(true);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constantFrom(...lines).chain((l) => fc.nat(l.length).map((n) => l.slice(0, n)))), (frame) => {
        const d = decide(frame);
        expect(['post', 'skip', 'invalid']).toContain(d.kind);
      }),
      { numRuns: 300 },
    );
  });
});
