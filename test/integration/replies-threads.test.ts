import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../../src/platform/clock.ts';
import { createSendConnector } from '../../src/features/channels/index.ts';
import type { ChannelKind, SendConnector } from '../../src/features/channels/index.ts';
import { splitIntoThread } from '../../src/features/replies/composer/index.ts';
import type { ReplyThreadView, ReplyView } from '../../src/features/replies/index.ts';
import { bearer, createTestApp, createWorkspaceWithUsers, messageOf } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createSendChannel, eventTypes, ingestOne, postReply, replyOf, testWorker } from '../support/replies.ts';
import { startFakeXApi } from '../fakes/x-api.fake.ts';
import type { FakeXApi } from '../fakes/x-api.fake.ts';
import { startFakeBluesky } from '../fakes/bluesky-api.fake.ts';
import type { FakeBluesky } from '../fakes/bluesky-api.fake.ts';
import { startFakeMastodon } from '../fakes/mastodon-api.fake.ts';
import type { FakeMastodon } from '../fakes/mastodon-api.fake.ts';

const clock = fixedClock(new Date('2026-03-05T09:00:00Z'));
let t: TestApp;
let x: FakeXApi;
let pds: FakeBluesky;
let mastodon: FakeMastodon;

beforeAll(async () => {
  t = await createTestApp({ clock });
  [x, pds, mastodon] = await Promise.all([
    startFakeXApi({ token: 'x-user-token' }),
    startFakeBluesky({ identifier: 'acme.example', password: 'app-pass-1234' }),
    startFakeMastodon({ token: 'masto-token' }),
  ]);
});
afterAll(async () => {
  await Promise.all([x.close(), pds.close(), mastodon.close()]);
  await t.close();
});

type ThreadPlatform = 'x' | 'bluesky' | 'mastodon';
const blueskyRoot = 'at://did:plc:customer00000000000000009/app.bsky.feed.post/3lroot9999999';

let n = 0;

/** A customer's public post on the platform, stored as its listener stores it, and an agent to answer it. */
async function setup(platform: ThreadPlatform, roles: Array<'agent' | 'supervisor'> = ['agent', 'supervisor'], followerCount = 80) {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, roles);
  n += 1;
  const base = { workspace, agent: users[0].token, supervisor: users[1]?.token ?? users[0].token };
  switch (platform) {
    case 'x': {
      const channel = await createSendChannel(t.ctx, workspace.id, 'x', { baseUrl: x.baseUrl }, { accessToken: 'x-user-token' });
      const postId = String(1970000000000000000n + BigInt(n));
      x.addTweet(postId, `cust${n}`);
      const stored = await ingestOne(t.app, channel, messageOf({ externalId: postId, author: { externalId: String(990000 + n), handle: `cust${n}`, followerCount } }));
      return { ...base, channel, stored, postId, handle: `cust${n}` };
    }
    case 'bluesky': {
      const channel = await createSendChannel(t.ctx, workspace.id, 'bluesky', { pdsUrl: pds.baseUrl }, { identifier: 'acme.example', appPassword: 'app-pass-1234' });
      const postId = `at://did:plc:customer00000000000000009/app.bsky.feed.post/3lthr${String(n).padStart(8, '2')}`;
      const root = pds.addPost(blueskyRoot, { text: 'Acme lost my parcel', createdAt: '2026-03-05T08:00:00Z' });
      const parent = pds.addPost(postId, { text: 'still nothing', createdAt: '2026-03-05T08:30:00Z', reply: { root, parent: root } });
      const stored = await ingestOne(t.app, channel, messageOf({
        externalId: postId, replyToExternalId: blueskyRoot,
        author: { externalId: 'did:plc:customer00000000000000009', handle: `cust${n}.example`, followerCount },
        raw: { uri: postId, cid: parent.cid },
      }));
      return { ...base, channel, stored, postId, handle: `cust${n}.example`, root, parent };
    }
    case 'mastodon': {
      const channel = await createSendChannel(t.ctx, workspace.id, 'mastodon', { instanceUrl: mastodon.baseUrl }, { accessToken: 'masto-token' });
      const postId = String(112000000000000000n + BigInt(n));
      const acct = `cust${n}@other.example`;
      mastodon.addStatus({ id: postId, acct, uri: `https://other.example/users/cust${n}/statuses/${postId}` });
      const stored = await ingestOne(t.app, channel, messageOf({
        externalId: postId, author: { externalId: `acct-${n}`, handle: acct, followerCount }, raw: { id: postId, account: { acct } },
      }));
      return { ...base, channel, stored, postId, handle: acct };
    }
    default: {
      const unreachable: never = platform;
      throw new Error(String(unreachable));
    }
  }
}

const composerLimits: Record<ThreadPlatform, number> = { x: 280, bluesky: 300, mastodon: 500 };

/**
 * Distinct five-character words, two and a half posts' worth: three parts on the platform. (On Mastodon each part
 * also carries the customer's mention, which takes a few characters of every part.)
 */
function threeParts(platform: ThreadPlatform, tag: string): string {
  const words = Array.from({ length: composerLimits[platform] / 2 }, (_, i) => `${tag}${String(i).padStart(3, '0')}`);
  const text = words.join(' ');
  expect(splitIntoThread(text, platform)).toHaveLength(3);
  return text;
}

async function createdThread(res: LightMyRequestResponse): Promise<ReplyThreadView> {
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ data: ReplyThreadView }>().data;
}

async function caseReplies(token: string, caseId: string): Promise<ReplyView[]> {
  const res = await t.app.inject({ url: `/api/v1/cases/${caseId}/replies`, headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  return res.json<{ data: ReplyView[] }>().data;
}

async function outboxStates(replyIds: string[]): Promise<Record<string, string>> {
  const rows = await t.ctx.db.query<{ reply_id: string; state: string }>('SELECT reply_id, state FROM outbox WHERE reply_id = ANY($1::uuid[])', [replyIds]);
  return Object.fromEntries(rows.map((r) => [r.reply_id, r.state]));
}

/** What the fake platform received for each part, in part order: its platform id and the id it answered. */
function received(platform: ThreadPlatform, parts: ReplyView[]): { id: string; parent: string | null; root?: string; count: number }[] {
  return parts.map((part) => {
    switch (platform) {
      case 'x': {
        const posted = x.tweets.filter((tw) => tw.text === part.text);
        return { id: posted[0]?.id ?? '', parent: posted[0]?.inReplyTo ?? null, count: posted.length };
      }
      case 'bluesky': {
        const posted = [...pds.created.values()].filter((r) => r.value.text === part.text);
        const reply = posted[0]?.value.reply;
        const parent: unknown = typeof reply === 'object' && reply !== null ? Reflect.get(reply, 'parent') : null;
        const root: unknown = typeof reply === 'object' && reply !== null ? Reflect.get(reply, 'root') : null;
        const uriOf = (ref: unknown) => (typeof ref === 'object' && ref !== null ? String(Reflect.get(ref, 'uri')) : null);
        return { id: posted[0]?.uri ?? '', parent: uriOf(parent), root: uriOf(root) ?? undefined, count: posted.length };
      }
      case 'mastodon': {
        const posted = mastodon.posted.filter((s) => s.source === part.text);
        return { id: posted[0]?.id ?? '', parent: posted[0]?.in_reply_to_id ?? null, count: posted.length };
      }
      default: {
        const unreachable: never = platform;
        throw new Error(String(unreachable));
      }
    }
  });
}

const platforms: ThreadPlatform[] = ['x', 'bluesky', 'mastodon'];

describe('a long reply sent as a thread of chained posts', () => {
  it.each(platforms)('%s: three numbered parts, each sent only after the one before is recorded, each answering it', async (platform) => {
    const s = await setup(platform);
    const thread = await createdThread(await postReply(t.app, s.agent, s.stored.caseId, { text: threeParts(platform, 'w'), split: true }));
    expect(thread.threadId).not.toBeNull();
    expect(thread.parts.map((p) => [p.status, p.thread])).toEqual([1, 2, 3].map((part) => ['queued', { id: thread.threadId, part, of: 3 }]));
    expect(thread.parts.map((p) => p.text.endsWith(` ${thread.parts.indexOf(p) + 1}/3`))).toEqual([true, true, true]);
    if (platform === 'mastodon') expect(thread.parts.every((p) => p.text.startsWith(`@${s.handle} `))).toBe(true);
    const ids = thread.parts.map((p) => p.id);
    // Only the first part may leave; the others wait for it.
    expect(await outboxStates(ids)).toEqual({ [ids[0]]: 'pending' });

    const worker = testWorker(t.ctx, clock, { batchSize: 50 });
    expect(await worker.runOnce()).toBe(1);
    let replies = await caseReplies(s.agent, s.stored.caseId);
    expect(replies.map((r) => r.status)).toEqual(['sent', 'queued', 'queued']);
    expect(received(platform, thread.parts).map((r) => r.count)).toEqual([1, 0, 0]);
    expect(await outboxStates(ids)).toEqual({ [ids[0]]: 'done', [ids[1]]: 'pending' });

    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    replies = await caseReplies(s.agent, s.stored.caseId);
    expect(replies.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    for (const reply of replies) {
      expect(reply.externalId).toBeTruthy();
      expect(reply.url).toMatch(/^https?:\/\//);
    }

    const got = received(platform, replies);
    expect(got.map((r) => r.count)).toEqual([1, 1, 1]);
    expect(got.map((r) => r.id)).toEqual(replies.map((r) => r.externalId));
    // Part 1 answers the customer; each later part answers the part before it.
    expect(got.map((r) => r.parent)).toEqual([s.postId, replies[0].externalId, replies[1].externalId]);
    if (platform === 'bluesky') {
      // The whole thread hangs under the conversation's root, not under the customer's reply or part 1.
      expect(got.map((r) => r.root)).toEqual([blueskyRoot, blueskyRoot, blueskyRoot]);
      const second = pds.created.get(replies[1].externalId ?? '');
      const root = 'root' in s ? s.root : null;
      expect(second?.value.reply).toEqual({ root, parent: { uri: replies[0].externalId, cid: pds.created.get(replies[0].externalId ?? '')?.cid } });
    }
    if (platform === 'mastodon') {
      const keys = mastodon.requests.filter((r) => r.path === '/api/v1/statuses').map((r) => r.headers['idempotency-key']);
      expect(keys).toEqual(expect.arrayContaining(ids));
    }
    const types = await eventTypes(t.app, s.agent, s.stored.caseId);
    expect(types.filter((e) => e === 'reply.queued')).toHaveLength(3);
    expect(types.filter((e) => e === 'reply.sent')).toHaveLength(3);
  });

  it.each(platforms)('%s: a worker that dies after posting a part is taken over; no part is posted twice', async (platform) => {
    const s = await setup(platform);
    const thread = await createdThread(await postReply(t.app, s.agent, s.stored.caseId, { text: threeParts(platform, 'c'), split: true }));
    const [first, second] = thread.parts;
    await testWorker(t.ctx, clock).runOnce();
    expect((await replyOf(t.app, s.agent, first.id)).status).toBe('sent');

    // A worker posts part 2, then hangs before recording it (as a process that dies mid-send).
    let die: (reason: Error) => void = () => undefined;
    const hung = new Promise<never>((_resolve, reject) => {
      die = reject;
    });
    let posted: () => void = () => undefined;
    const partPosted = new Promise<void>((resolve) => {
      posted = resolve;
    });
    const stalling = (kind: ChannelKind): SendConnector | null => {
      const real = createSendConnector(kind);
      if (!real) return null;
      return {
        reconcile: (request, signal) => real.reconcile(request, signal),
        async send(request, signal) {
          const post = await real.send(request, signal);
          if (request.replyId !== second.id) return post;
          posted();
          return hung;
        },
      };
    };
    const doomed = testWorker(t.ctx, clock, { connectorFor: stalling, workerId: 'doomed' });
    const doomedPass = doomed.runOnce();
    await partPosted;
    expect(received(platform, thread.parts).map((r) => r.count)).toEqual([1, 1, 0]);
    expect((await replyOf(t.app, s.agent, second.id)).status).toBe('sending');

    // Not stale yet: another worker leaves it alone, and part 3 is not released.
    const rescuer = testWorker(t.ctx, clock, { workerId: 'rescuer' });
    expect(await rescuer.runOnce()).toBe(0);
    clock.advance(10 * 60_000);
    expect(await rescuer.runOnce()).toBe(1);
    expect((await replyOf(t.app, s.agent, second.id)).status).toBe('sent');
    expect(await rescuer.runOnce()).toBe(1);
    expect(await rescuer.runOnce()).toBe(0);

    // The dead worker's late outcome is fenced off by its lost attempt id.
    die(new Error('worker process died'));
    await doomedPass;
    const replies = await caseReplies(s.agent, s.stored.caseId);
    expect(replies.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    const got = received(platform, replies);
    expect(got.map((r) => r.count)).toEqual([1, 1, 1]);
    expect(got.map((r) => r.parent)).toEqual([s.postId, replies[0].externalId, replies[1].externalId]);
    expect(replies[1].externalId).toBe(got[1].id);
  });

  it('a temporary failure of a part is retried; a permanent one fails it and stops the parts after it', async () => {
    const s = await setup('mastodon');
    const thread = await createdThread(await postReply(t.app, s.agent, s.stored.caseId, { text: threeParts('mastodon', 'f'), split: true }));
    const [first, second, third] = thread.parts;
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    mastodon.failNext('POST /api/v1/statuses', { status: 503, body: { error: 'Service Unavailable' } });
    await worker.runOnce();
    const retrying = await replyOf(t.app, s.agent, second.id);
    expect(retrying.status).toBe('queued');
    expect(retrying.nextAttemptAt).not.toBeNull();
    expect((await replyOf(t.app, s.agent, third.id)).status).toBe('queued');

    mastodon.failNext('POST /api/v1/statuses', { status: 422, body: { error: 'Validation failed: Text character limit of 500 exceeded' } });
    clock.advance(60_000);
    expect(await worker.runOnce()).toBe(1);
    const failed = await replyOf(t.app, s.agent, second.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/Text character limit of 500 exceeded/);
    const stopped = await replyOf(t.app, s.agent, third.id);
    expect(stopped.status).toBe('failed');
    expect(stopped.failureReason).toMatch(/^not sent: part 2 of 3 failed \(Mastodon refused the reply/);
    expect(await worker.runOnce()).toBe(0);
    expect(received('mastodon', thread.parts).map((r) => r.count)).toEqual([1, 0, 0]);
    expect((await replyOf(t.app, s.agent, first.id)).status).toBe('sent');

    const detail = await t.app.inject({ url: `/api/v1/cases/${s.stored.caseId}`, headers: bearer(s.agent) });
    const events = detail.json<{ data: { events: { type: string; data: Record<string, unknown> }[] } }>().data.events;
    expect(events.filter((e) => e.type === 'reply.failed').map((e) => e.data)).toEqual([
      expect.objectContaining({ replyId: second.id, threadId: thread.threadId }),
      expect.objectContaining({ replyId: third.id, stoppedBy: second.id }),
    ]);
  });

  it('a part of unknown fate holds the rest until an agent settles it; "not sent" stops them', async () => {
    const s = await setup('mastodon');
    const thread = await createdThread(await postReply(t.app, s.agent, s.stored.caseId, { text: threeParts('mastodon', 'u'), split: true }));
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    mastodon.failNext('POST /api/v1/statuses', { status: 503, body: { error: 'Service Unavailable' } });
    await worker.runOnce();
    // Past Mastodon's idempotency hour, the interrupted part 2 cannot be checked.
    clock.advance(2 * 60 * 60_000);
    await worker.runOnce();
    expect((await replyOf(t.app, s.agent, thread.parts[1].id)).status).toBe('unknown');
    expect((await replyOf(t.app, s.agent, thread.parts[2].id)).status).toBe('queued');
    expect(await worker.runOnce()).toBe(0);

    const early = await t.app.inject({
      method: 'POST', url: `/api/v1/replies/${thread.parts[2].id}/confirm`, headers: { ...bearer(s.agent), 'content-type': 'application/json' }, payload: { sent: true },
    });
    expect(early.statusCode).toBe(409);
    const confirmed = await t.app.inject({
      method: 'POST', url: `/api/v1/replies/${thread.parts[1].id}/confirm`, headers: { ...bearer(s.agent), 'content-type': 'application/json' }, payload: { sent: false },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const third = await replyOf(t.app, s.agent, thread.parts[2].id);
    expect(third.status).toBe('failed');
    expect(third.failureReason).toMatch(/^not sent: part 2 of 3 failed \(the agent checked: it was not posted\)/);
  });

  it('a held thread is approved or rejected as a whole, and is not edited part by part', async () => {
    const s = await setup('bluesky', ['agent', 'supervisor'], 2_000_000);
    const thread = await createdThread(await postReply(t.app, s.agent, s.stored.caseId, { text: threeParts('bluesky', 'h'), split: true }));
    expect(thread.parts.map((p) => p.status)).toEqual(['held', 'held', 'held']);
    expect(await outboxStates(thread.parts.map((p) => p.id))).toEqual({});
    const json = { 'content-type': 'application/json' };
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/v1/replies/${thread.parts[1].id}`, headers: { ...bearer(s.agent), ...json }, payload: { text: 'shorter' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.message).toMatch(/reject it and write the reply again/);

    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/replies/${thread.parts[1].id}/approve`, headers: { ...bearer(s.supervisor), ...json }, payload: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await caseReplies(s.agent, s.stored.caseId)).map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
    expect(await outboxStates(thread.parts.map((p) => p.id))).toEqual({ [thread.parts[0].id]: 'pending' });
    const worker = testWorker(t.ctx, clock);
    for (let i = 0; i < 4; i += 1) await worker.runOnce();
    expect((await caseReplies(s.agent, s.stored.caseId)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);

    const second = await createdThread(await postReply(t.app, s.agent, s.stored.caseId, { text: threeParts('bluesky', 'r'), split: true }));
    const rejected = await t.app.inject({
      method: 'POST', url: `/api/v1/replies/${second.parts[2].id}/reject`, headers: { ...bearer(s.supervisor), ...json }, payload: { reason: 'too long' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const statuses = await Promise.all(second.parts.map(async (p) => (await replyOf(t.app, s.agent, p.id)).status));
    expect(statuses).toEqual(['rejected', 'rejected', 'rejected']);
  });
});

describe('bad thread requests', () => {
  async function expectRefused(res: LightMyRequestResponse, path: string, message: RegExp): Promise<void> {
    expect(res.statusCode, res.body).toBe(422);
    const { error } = res.json<{ error: { code: string; message: string; details: { path: string }[] } }>();
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(message);
    expect(error.details.map((d) => d.path)).toContain(path);
  }

  it('refuses a thread where posts cannot be chained, a private one, a malformed flag, too many parts and personal data', async () => {
    const s = await setup('x');
    const long = threeParts('x', 'b');
    await expectRefused(await postReply(t.app, s.agent, s.stored.caseId, { text: long, split: true, private: true }), 'split', /a private reply is one message/);
    await expectRefused(await postReply(t.app, s.agent, s.stored.caseId, { text: long, split: 'yes' }), 'split', /expected boolean/i);
    await expectRefused(await postReply(t.app, s.agent, s.stored.caseId, { text: 'word '.repeat(1_900), split: true }), 'text', /more than 25 posts/);
    await expectRefused(
      await postReply(t.app, s.agent, s.stored.caseId, { text: `${long} write to tom@example.com`, split: true }),
      'text',
      /personal data \(email\)/,
    );
    // Without split, an over-long reply is refused with the thread it would make.
    await expectRefused(await postReply(t.app, s.agent, s.stored.caseId, { text: long }), 'text', /send it as 3 numbered parts \(split: true\)/);

    for (const kind of ['email', 'phone', 'facebook'] as const) {
      const channel = await createSendChannel(t.ctx, s.workspace.id, kind, {});
      const stored = await ingestOne(t.app, channel, messageOf({ externalId: `${kind}-${n}-1`, author: { externalId: `${kind}-customer-${n}@example.com` } }));
      await expectRefused(
        await postReply(t.app, s.agent, stored.caseId, { text: long, split: true }),
        'split',
        new RegExp(`${kind} replies cannot be sent as a thread`),
      );
    }
    expect(await t.ctx.db.query('SELECT 1 FROM reply WHERE case_id = $1', [s.stored.caseId])).toHaveLength(0);

    expect((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${s.stored.caseId}/replies`, payload: { text: long, split: true } })).statusCode).toBe(401);
    const other = await createWorkspaceWithUsers(t.ctx, ['agent']);
    expect((await postReply(t.app, other.users[0].token, s.stored.caseId, { text: long, split: true })).statusCode).toBe(404);
  });

  it('a draft that fits one post is one ordinary reply', async () => {
    const s = await setup('x');
    const thread = await createdThread(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Short and sweet', split: true }));
    expect(thread.threadId).toBeNull();
    expect(thread.parts).toEqual([expect.objectContaining({ text: 'Short and sweet', status: 'queued', thread: null })]);
  });
});
