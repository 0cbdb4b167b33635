import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformWaitMs, sendErrorOfFetchFailure, sendErrorOfStatus } from './send-connector.ts';
import type { SendRequest } from './send-connector.ts';
import { createBlueskySender, recordKeyOfReply } from './drivers/bluesky/bluesky.sender.ts';
import { comparableTweetText } from './drivers/x/x.sender.ts';
import { withMention } from './drivers/mastodon/mastodon.sender.ts';
import { emailReplyHeadersOf } from './drivers/email/email.outbox-sender.ts';
import { facebookErrorOf } from './drivers/facebook/facebook.sender.ts';
import { startFakeBluesky } from '../../../test/fakes/bluesky-api.fake.ts';
import type { FakeBluesky } from '../../../test/fakes/bluesky-api.fake.ts';

const now = new Date('2026-03-01T12:00:00Z');
const epoch = (d: Date) => String(Math.floor(d.getTime() / 1000));

describe('platformWaitMs', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['Retry-After seconds', { 'retry-after': '120' }, 120_000],
    ['Retry-After date', { 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' }, 30_000],
    ['X x-rate-limit-reset (epoch seconds)', { 'x-rate-limit-reset': epoch(new Date(now.getTime() + 900_000)) }, 900_000],
    ['Mastodon x-ratelimit-reset (ISO time)', { 'x-ratelimit-reset': '2026-03-01T12:05:00.000Z' }, 300_000],
    ['Bluesky ratelimit-reset (epoch seconds)', { 'ratelimit-reset': epoch(new Date(now.getTime() + 60_000)) }, 60_000],
    ['IETF RateLimit-Reset (delta seconds)', { 'ratelimit-reset': '42' }, 42_000],
    ['a reset in the past', { 'x-rate-limit-reset': epoch(new Date(now.getTime() - 60_000)) }, 0],
    ['capped at an hour', { 'retry-after': '86400' }, 3_600_000],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['nothing', {}, undefined],
  ])('%s', (_name, headers, expected) => {
    expect(platformWaitMs(new Headers(headers), now)).toBe(expected);
  });
});

describe('sendErrorOfStatus', () => {
  it.each<[number, boolean, string, boolean]>([
    [429, false, 'temporary', false],
    [500, false, 'temporary', true],
    [503, false, 'temporary', true],
    [401, false, 'auth', false],
    [403, false, 'permission', false],
    [403, true, 'rejected', false],
    [400, false, 'rejected', false],
    [422, false, 'rejected', false],
  ])('HTTP %i (403 is a rejection: %s) → %s', (status, forbiddenIsRejection, kind, ambiguous) => {
    const error = sendErrorOfStatus('P', status, new Headers(), 'said', now, { forbiddenIsRejection });
    expect(error.kind).toBe(kind);
    expect(error.ambiguous).toBe(ambiguous);
    expect(error.message).toContain('said');
  });

  it('a refused connection is not ambiguous; a reset one is', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }) });
    expect(sendErrorOfFetchFailure('P', refused).ambiguous).toBe(false);
    expect(sendErrorOfFetchFailure('P', reset).ambiguous).toBe(true);
  });
});

describe('Bluesky record keys', () => {
  it('are valid TIDs, the same for every attempt of a reply and different between replies', () => {
    const at = new Date('2026-03-01T12:00:00.123Z');
    const key = recordKeyOfReply('0b9f0a4e-7c1e-4a52-9f55-0a1f4a1c2b3d', at);
    expect(key).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect(recordKeyOfReply('0b9f0a4e-7c1e-4a52-9f55-0a1f4a1c2b3d', at)).toBe(key);
    expect(recordKeyOfReply('1b9f0a4e-7c1e-4a52-9f55-0a1f4a1c2b3d', at)).not.toBe(key);
    // Later replies sort later, as TIDs do.
    expect(recordKeyOfReply('0b9f0a4e-7c1e-4a52-9f55-0a1f4a1c2b3d', new Date(at.getTime() + 1000)) > key).toBe(true);
  });
});

describe('Bluesky sender against a fake PDS', () => {
  let pds: FakeBluesky;
  beforeAll(async () => {
    pds = await startFakeBluesky({ identifier: 'brand.example', password: 'pw' });
  });
  afterAll(async () => {
    await pds.close();
  });

  function request(overrides: Partial<SendRequest> = {}): SendRequest {
    const parent = pds.addPost('at://did:plc:cust0000000000000000000001/app.bsky.feed.post/3lparent22222', { text: 'hi' });
    return {
      replyId: 'f1b7a9e0-0000-4000-8000-000000000001', createdAt: now, text: 'Hello!', private: false,
      channel: { workspaceId: 'w', id: 'c', kind: 'bluesky', name: 'b', config: { pdsUrl: pds.baseUrl }, credentials: { identifier: 'brand.example', appPassword: 'pw' } },
      target: { externalId: parent.uri, replyToExternalId: null, isPublic: true, text: 'hi', sentAt: now, raw: { uri: parent.uri, cid: parent.cid }, author: null },
      subject: 's', agentName: 'a', lastInboundAt: null, firstAttemptAt: now, now, ...overrides,
    };
  }

  it('sending the same reply twice finds the first record when the re-create is refused', async () => {
    const sender = createBlueskySender();
    const first = await sender.send(request(), AbortSignal.timeout(5_000));
    const again = await sender.send(request(), AbortSignal.timeout(5_000));
    expect(again.externalId).toBe(first.externalId);
    expect(pds.created.size).toBe(1);
    // A parent that starts a thread is also its root.
    const record = pds.created.get(first.externalId);
    const reply: unknown = record?.value.reply;
    expect(reply).toEqual({ root: expect.objectContaining({ uri: expect.stringContaining('3lparent') }), parent: expect.objectContaining({ uri: expect.stringContaining('3lparent') }) });
  });

  it('signs in again once when the session expired', async () => {
    const sender = createBlueskySender();
    expect((await sender.reconcile(request(), AbortSignal.timeout(5_000))).state).toBe('sent');
    const before = pds.sessionsCreated;
    pds.expireTokens();
    const post = await sender.send(request({ replyId: 'f1b7a9e0-0000-4000-8000-000000000002', text: 'second' }), AbortSignal.timeout(5_000));
    expect(pds.created.get(post.externalId)?.value.text).toBe('second');
    expect(pds.sessionsCreated).toBe(before + 1);
  });
});

describe('text rules of the senders', () => {
  it.each([
    ['@cust1 Sorry &amp; thanks https://t.co/abc', 'Sorry & thanks https://acme.example/x'],
    ['@a @b  hello\n there', 'hello there'],
  ])('X compares %j with %j', (fromX, sent) => {
    expect(comparableTweetText(fromX)).toBe(comparableTweetText(sent));
  });

  it.each([
    ['Sorry!', 'ann@other.example', '@ann@other.example Sorry!'],
    ['@ann@other.example Sorry!', 'ann@other.example', '@ann@other.example Sorry!'],
    ['Hi @ANN, sorry', 'ann', 'Hi @ANN, sorry'],
    ['Sorry!', null, 'Sorry!'],
    ['email me at x@ann.example', 'ann', '@ann email me at x@ann.example'],
  ])('Mastodon mention: %j to %s', (text, acct, expected) => {
    expect(withMention(text, acct)).toBe(expected);
  });

  it('email threads on the message answered and derives its Message-ID from the reply id', () => {
    const headers = emailReplyHeadersOf(
      {
        replyId: 'r1', createdAt: now, text: 't', private: true,
        channel: { workspaceId: 'w', id: 'c', kind: 'email', name: 'Care', config: {}, credentials: {} },
        target: {
          externalId: '<p@cust.example>', replyToExternalId: null, isPublic: false, text: 'x', sentAt: now,
          raw: { subject: 'RE: Broken', from: { value: [{ address: 'ann@cust.example', name: 'Ann' }] }, references: '<a@x> <b@x>' },
          author: null,
        },
        subject: 'case subject', agentName: 'a', lastInboundAt: null, firstAttemptAt: now, now,
      },
      'care@acme.example',
    );
    expect(headers).toEqual({ to: 'ann@cust.example', subject: 'RE: Broken', messageId: '<reply-r1@acme.example>', inReplyTo: '<p@cust.example>', references: ['<a@x>', '<b@x>', '<p@cust.example>'] });
  });

  it.each<[unknown, string]>([
    [{ error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } }, 'auth'],
    [{ error: { message: '(#10) This message is sent outside of allowed window.', code: 10, error_subcode: 2018278 } }, 'rejected'],
    [{ error: { message: '(#200) Permissions error', code: 200 } }, 'permission'],
    [{ error: { message: '(#4) Application request limit reached', code: 4 } }, 'temporary'],
    [{ error: { message: '(#100) Invalid parameter', code: 100 } }, 'rejected'],
  ])('Facebook error %j → %s', (body, kind) => {
    expect(facebookErrorOf({ status: 400, headers: new Headers(), body }, now).kind).toBe(kind);
  });
});

const mastodonSample = path.resolve('../shared/data/payloads/mastodon/mastodon-status.json');
describe.skipIf(!fs.existsSync(mastodonSample))('real Mastodon Status entity', () => {
  it('carries the fields the sender reads from a created status', () => {
    const status: unknown = JSON.parse(fs.readFileSync(mastodonSample, 'utf8'));
    expect(status).toEqual(expect.objectContaining({ id: expect.stringMatching(/^\d+$/), uri: expect.any(String), url: expect.any(String), visibility: 'public' }));
  });
});
