import { describe, expect, it } from 'vitest';
import { hasPayloads, readPayload } from '../../../../../test/support/payloads.ts';
import { ownAccountsOf } from '../shared/own-accounts.ts';
import { parseJetstreamFrame } from './jetstream.mapper.ts';

const now = new Date('2026-05-25T15:00:00Z');
const own = ownAccountsOf({});

describe.skipIf(!hasPayloads('bluesky'))('Jetstream parser on the real payloads in ../shared/data/payloads/bluesky', () => {
  it('extracts text, at-uri, author, reply-to, time and language from the real post', () => {
    const d = parseJetstreamFrame(readPayload('bluesky', 'bluesky-jetstream-commit-post.json').toString('utf8'), own, now);
    expect(d.kind).toBe('post');
    if (d.kind !== 'post') return;
    expect(d.post.message).toMatchObject({
      externalId: 'at://did:plc:q235v55g5unth4zjjdpacfdr/app.bsky.feed.post/3mmoojp4cd223',
      text: 'Try RSV for a good time !!',
      author: { platform: 'bluesky', externalId: 'did:plc:q235v55g5unth4zjjdpacfdr' },
      replyToExternalId: 'at://did:plc:j76trmiofvaxxpvx2vnb2vwf/app.bsky.feed.post/3mmojbrjwbs26',
      sentAt: '2026-05-25T14:23:28.757Z',
    });
    expect(d.post.lang).toBe('en');
    expect(d.timeUs).toBe(1779719009157119);
  });

  it('replays the golden stream: one post, everything else skipped with its time kept', () => {
    const lines = readPayload('bluesky', 'bluesky-jetstream-v1-golden-stream.jsonl').toString('utf8').trim().split('\n');
    const decisions = lines.map((line) => parseJetstreamFrame(line, own, now));
    expect(decisions.filter((d) => d.kind === 'post')).toHaveLength(1);
    expect(decisions.filter((d) => d.kind === 'invalid')).toHaveLength(0);
    for (const d of decisions) if (d.kind !== 'invalid') expect(d.timeUs).toBeGreaterThan(1779719000000000);
  });

  it.each([
    'bluesky-jetstream-commit-like.json',
    'bluesky-jetstream-commit-follow.json',
    'bluesky-jetstream-commit-delete.json',
    'bluesky-jetstream-identity.json',
    'bluesky-jetstream-account.json',
    'bluesky-jetstream-v1-docs-example-like.json',
  ])('skips %s (not a new post)', (file) => {
    expect(parseJetstreamFrame(readPayload('bluesky', file).toString('utf8'), own, now).kind).toBe('skip');
  });
});
