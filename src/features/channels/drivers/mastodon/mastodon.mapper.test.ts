import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasPayloads, readFixture, readPayload } from '../../../../../test/support/payloads.ts';
import { ownAccountsOf } from '../shared/own-accounts.ts';
import { htmlToText } from '../shared/html-text.converter.ts';
import { mapStatus, parseMastodonFrame, statusSchema } from './mastodon.mapper.ts';

const now = new Date('2025-10-09T09:00:00Z');
const own = ownAccountsOf({ ownHandles: ['acmesupport'] });
const frames = readFixture('mastodon', 'websocket-frames.jsonl').toString('utf8').trim().split('\n');
const decide = (frame: string) => parseMastodonFrame(frame, own, now);

describe('Mastodon mapper', () => {
  it('decodes the double-encoded payload and turns HTML content into plain text', () => {
    const d = decide(frames[0]);
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.stream).toBe('public');
    expect(d.post.message).toMatchObject({
      externalId: '113000000000000001',
      text: 'My #acme router & modem both died <script>alert(1)</script>\n\nSecond paragraph\nnew line',
      author: { platform: 'mastodon', externalId: '109000000000000001', handle: 'dana@example.social', displayName: 'Dana', followerCount: 120 },
      sentAt: '2025-10-09T08:00:00.000Z',
      isPublic: true,
    });
    expect(d.post.lang).toBe('en');
  });

  it('threads replies, puts the content warning first, and keys hashtag streams by tag', () => {
    const d = decide(frames[1]);
    expect(d.kind === 'post' && d.stream).toBe('hashtag:acme');
    expect(d.kind === 'post' && d.post.message).toMatchObject({ replyToExternalId: '113000000000000001', text: 'rant\n\nBei mir auch!', isPublic: true });
  });

  it('collapses a boost onto the boosted status, and a quote references the quoted status', () => {
    const boost = decide(frames[2]);
    expect(boost.kind === 'post' && boost.post.message.externalId).toBe('113000000000000001');
    expect(boost.kind === 'post' && boost.statusId).toBe('113000000000000003');
    const quote = decide(frames[4]);
    expect(quote.kind === 'post' && quote.post.message.replyToExternalId).toBe('113000000000000001');
  });

  it("skips the brand's own statuses, deletes, frames without payload and non-mention notifications", () => {
    expect(decide(frames[3])).toMatchObject({ kind: 'skip', reason: 'own account' });
    expect(decide(frames[5])).toMatchObject({ kind: 'skip', reason: 'event delete' });
    expect(decide(frames[6])).toMatchObject({ kind: 'skip', reason: 'event filters_changed' });
    expect(decide(frames[8])).toMatchObject({ kind: 'skip', reason: 'notification favourite' });
  });

  it('ingests a mention notification; a direct status is private', () => {
    const d = decide(frames[7]);
    expect(d.kind === 'post' && d.post.message).toMatchObject({ externalId: '113000000000000006', text: '@AcmeSupport mi pedido no llegó', isPublic: false });
  });

  it.each([
    ['invalid JSON', '{"stream":'],
    ['truncated frame', frames[0].slice(0, 200)],
    ['payload not JSON', '{"stream":["public"],"event":"update","payload":"{not json"}'],
    ['payload not a status', '{"stream":["public"],"event":"update","payload":"{\\"id\\":\\"1\\"}"}'],
    ['update without payload', '{"stream":["public"],"event":"update"}'],
    ['payload as an object (not double-encoded)', '{"stream":["public"],"event":"update","payload":{"id":"1"}}'],
  ])('rejects %s without throwing', (_name, frame) => {
    expect(decide(frame).kind).toBe('invalid');
  });

  it('reports stream errors', () => {
    expect(decide('{"error":"Missing access token","status":401}')).toEqual({ kind: 'error', message: 'Missing access token', status: 401 });
  });

  it('never throws on arbitrary input, and HTML conversion never leaves a tag', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constantFrom(...frames).chain((f) => fc.nat(f.length).map((n) => f.slice(0, n)))), (frame) => {
        expect(['post', 'skip', 'invalid', 'error']).toContain(decide(frame).kind);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('<p>', '</p>', '<a href="x">', '</a>', '<br>', '<script>', '</script>', '&amp;', '&lt;', '<', '>', 'text', ' '), fc.string())), (parts) => {
        expect(htmlToText(parts.join(''))).not.toMatch(/<(p|a|br|script)[\s>]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!hasPayloads('mastodon'))('Mastodon mapper on the real payloads in ../shared/data/payloads/mastodon', () => {
  it('websocket update frame: double-encoded status with text, id, author, reply-to, time and language', () => {
    const d = parseMastodonFrame(readPayload('mastodon', 'mastodon-websocket-update.json').toString('utf8'), ownAccountsOf({}), now);
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.post.message).toMatchObject({
      externalId: '108913983692647032',
      text: "And now I can't exit the inner nvim because I mapped escape to the parent vim instance 😂",
      author: { externalId: '1081104', handle: 'tobtobxx@fosstodon.org', displayName: 'TobTobXX', followerCount: 150 },
      replyToExternalId: '108913981098896721',
      sentAt: '2022-08-30T21:38:22.000Z',
    });
    expect(d.post.lang).toBe('en');
  });

  it('websocket delete and payload-less frames are skipped', () => {
    expect(parseMastodonFrame(readPayload('mastodon', 'mastodon-websocket-delete.json').toString('utf8'), own, now).kind).toBe('skip');
    expect(parseMastodonFrame(readPayload('mastodon', 'mastodon-websocket-filters-changed.json').toString('utf8'), own, now).kind).toBe('skip');
  });

  it('REST status entity: HTML with a link becomes text with the full URL', () => {
    const status = statusSchema.parse(JSON.parse(readPayload('mastodon', 'mastodon-status.json').toString('utf8')));
    const d = mapStatus(status, 'public', ownAccountsOf({}), now);
    expect(d.kind === 'post' && d.post.message).toMatchObject({
      externalId: '103270115826048975',
      text: '"I lost my inheritance with one wrong digit on my sort code"\n\nhttps://www.theguardian.com/money/2019/dec/07/i-lost-my-193000-inheritance-with-one-wrong-digit-on-my-sort-code',
      author: { externalId: '1', handle: 'Gargron', followerCount: 322930 },
      sentAt: '2019-12-08T03:48:33.901Z',
    });
  });

  it('mention notification: the embedded status is ingested', () => {
    const body = readPayload('mastodon', 'mastodon-notification-mention.json').toString('utf8');
    const frame = JSON.stringify({ stream: ['user'], event: 'notification', payload: body });
    const d = parseMastodonFrame(frame, ownAccountsOf({}), now);
    expect(d.kind).toBe('post');
    expect(d.kind === 'post' && d.post.message.text).not.toMatch(/<[a-z]/);
  });

  it.each(['mastodon-streaming-update.txt', 'mastodon-streaming-notification.txt', 'mastodon-streaming-status-update.txt'])(
    'SSE sample %s: its data line carries a status the mapper reads',
    (file) => {
      const text = readPayload('mastodon', file).toString('utf8');
      const event = /^event: (.+)$/m.exec(text)?.[1]?.trim() ?? '';
      const data = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      const d = parseMastodonFrame(JSON.stringify({ stream: ['user'], event, payload: data }), ownAccountsOf({}), now);
      if (event === 'status.update') expect(d).toMatchObject({ kind: 'skip', reason: 'event status.update' });
      else expect(d.kind).toBe('post');
    },
  );
});
