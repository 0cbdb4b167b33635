import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { createSendConnector } from '../../src/features/channels/index.ts';
import type { SendRequest } from '../../src/features/channels/index.ts';
import { claimDue } from '../../src/features/replies/outbox.repository.ts';
import { bearer, createTestApp, createWorkspaceWithUsers, messageOf } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createSendChannel, createdReply, eventTypes, ingestOne, postReply, replyOf, testWorker } from '../support/replies.ts';
import { startFakeBluesky } from '../fakes/bluesky-api.fake.ts';
import type { FakeBluesky } from '../fakes/bluesky-api.fake.ts';

const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
let t: TestApp;
let pds: FakeBluesky;

beforeAll(async () => {
  t = await createTestApp({ clock });
  pds = await startFakeBluesky({ identifier: 'acme.example', password: 'app-pass-1234' });
});
afterAll(async () => {
  await pds.close();
  await t.close();
});

const rootUri = 'at://did:plc:customer00000000000000001/app.bsky.feed.post/3lroot2222222';
let postCounter = 0;

/** A customer's Bluesky reply in a thread, stored as the Jetstream listener stores it (uri and cid; no root). */
async function blueskySetup(roles: Array<'agent' | 'supervisor' | 'admin'> = ['agent', 'supervisor']) {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, roles);
  const channel = await createSendChannel(t.ctx, workspace.id, 'bluesky', { pdsUrl: pds.baseUrl }, { identifier: 'acme.example', appPassword: 'app-pass-1234' });
  postCounter += 1;
  const uri = `at://did:plc:customer00000000000000001/app.bsky.feed.post/3lcust${String(postCounter).padStart(6, '2')}`;
  const root = pds.addPost(rootUri, { text: 'Acme broke my order', createdAt: '2026-03-02T08:00:00Z' });
  const parent = pds.addPost(uri, { text: 'still waiting', createdAt: '2026-03-02T08:30:00Z', reply: { root, parent: root } });
  const stored = await ingestOne(t.app, channel, messageOf({
    externalId: uri,
    text: 'My order never arrived and nobody answers',
    replyToExternalId: rootUri,
    author: { externalId: 'did:plc:customer00000000000000001', handle: 'cust.example', followerCount: 120 },
    sentAt: '2026-03-02T08:30:00Z',
    raw: { uri, cid: parent.cid, timeUs: 1, lang: 'en', langs: ['en'], quoteOf: null },
  }));
  return { workspace, users, channel, stored, parent, root, uri };
}

describe('replies through the outbox (Bluesky)', () => {
  it('writes reply and outbox row together, then delivers with correct root and parent refs and records first response', async () => {
    const { users, stored, parent, root } = await blueskySetup();
    const agent = users[0].token;
    const queued = await createdReply(await postReply(t.app, agent, stored.caseId, { text: 'Sorry about that — we are on it.' }));
    expect(queued.status).toBe('queued');
    expect(queued.channel.kind).toBe('bluesky');
    expect(queued.inReplyToMessageId).toBe(stored.messageId);
    const outbox = await t.ctx.db.query<{ state: string }>('SELECT state FROM outbox WHERE reply_id = $1', [queued.id]);
    expect(outbox.map((r) => r.state)).toEqual(['pending']);

    const handled = await testWorker(t.ctx, clock).runOnce();
    expect(handled).toBeGreaterThanOrEqual(1);
    const sent = await replyOf(t.app, agent, queued.id);
    expect(sent.status).toBe('sent');
    expect(sent.externalId).toMatch(new RegExp(`^at://${pds.did}/app\\.bsky\\.feed\\.post/[2-7a-j][2-7a-z]{12}$`));
    expect(sent.url).toContain(`/profile/${pds.did}/post/`);
    const record = pds.created.get(sent.externalId ?? '');
    expect(record?.value.text).toBe('Sorry about that — we are on it.');
    // Root comes from the parent's own reply.root, not the parent.
    expect(record?.value.reply).toEqual({ root, parent: { uri: parent.uri, cid: parent.cid } });

    const detail = await t.app.inject({ url: `/api/v1/cases/${stored.caseId}`, headers: bearer(agent) });
    const body: { data: { case: { firstRespondedAt: string | null }; timeline: { direction: string; externalId: string }[] } } = detail.json();
    expect(body.data.case.firstRespondedAt).not.toBeNull();
    expect(body.data.timeline.some((m) => m.direction === 'outbound' && m.externalId === sent.externalId)).toBe(true);
    const types = await eventTypes(t.app, agent, stored.caseId);
    expect(types).toEqual(expect.arrayContaining(['reply.queued', 'reply.sending', 'reply.sent']));
    expect(types.indexOf('reply.queued')).toBeLessThan(types.indexOf('reply.sent'));

    const list = await t.app.inject({ url: `/api/v1/cases/${stored.caseId}/replies`, headers: bearer(agent) });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ data: { id: string; status: string }[] }>().data).toEqual([expect.objectContaining({ id: queued.id, status: 'sent' })]);
  });

  it('answers 401, 404 and 422 for bad requests', async () => {
    const { users, stored, workspace } = await blueskySetup();
    const agent = users[0].token;
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${stored.caseId}/replies`, payload: { text: 'hi' } })).statusCode).toBe(401);
    expect((await postReply(t.app, agent, 'not-a-uuid', { text: 'hi' })).statusCode).toBe(404);
    expect((await postReply(t.app, agent, '00000000-0000-4000-8000-000000000000', { text: 'hi' })).statusCode).toBe(404);
    const other = await createWorkspaceWithUsers(t.ctx, ['agent']);
    expect((await postReply(t.app, other.users[0].token, stored.caseId, { text: 'hi' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/cases/${stored.caseId}/replies`, headers: bearer(other.users[0].token) })).statusCode).toBe(404);
    expect((await postReply(t.app, agent, stored.caseId, { text: '   ' })).statusCode).toBe(422);
    expect((await postReply(t.app, agent, stored.caseId, { text: 'hi', extra: 1 })).statusCode).toBe(422);
    const priv = await postReply(t.app, agent, stored.caseId, { text: 'DM me', private: true });
    expect(priv.statusCode).toBe(422);
    expect(priv.json<{ error: { message: string } }>().error.message).toMatch(/no private replies/);
    const foreignChannel = await createSendChannel(t.ctx, other.workspace.id, 'bluesky', {});
    expect((await postReply(t.app, agent, stored.caseId, { text: 'hi', channelId: foreignChannel.channel.id })).statusCode).toBe(422);
    expect((await postReply(t.app, agent, stored.caseId, { text: 'hi', inReplyToMessageId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(422);
    const emptyChannel = await createSendChannel(t.ctx, workspace.id, 'mastodon', {});
    expect((await postReply(t.app, agent, stored.caseId, { text: 'hi', channelId: emptyChannel.channel.id })).statusCode).toBe(422);
    expect((await t.app.inject({ url: '/api/v1/replies/00000000-0000-4000-8000-000000000000', headers: bearer(agent) })).statusCode).toBe(404);
  });

  it('never posts twice after a crash between sending and recording: the stale row is reconciled with getRecord', async () => {
    const { users, stored, uri } = await blueskySetup();
    const agent = users[0].token;
    const queued = await createdReply(await postReply(t.app, agent, stored.caseId, { text: 'Crash-test reply' }));

    // A worker claims the row (committed), posts it, and dies before recording anything.
    const [claim] = await t.ctx.db.transaction((tx) => claimDue(tx, { now: clock.now(), staleBefore: new Date(0), limit: 50, workerId: 'doomed' }));
    expect(claim?.replyId).toBe(queued.id);
    const connector = createSendConnector('bluesky');
    const request: SendRequest = {
      replyId: queued.id, createdAt: new Date(queued.createdAt), text: 'Crash-test reply', private: false,
      channel: { workspaceId: claim.workspaceId, id: queued.channel.id, kind: 'bluesky', name: 'b', config: { pdsUrl: pds.baseUrl }, credentials: { identifier: 'acme.example', appPassword: 'app-pass-1234' } },
      target: { externalId: uri, replyToExternalId: rootUri, isPublic: true, text: '', sentAt: clock.now(), raw: null, author: null },
      subject: 's', agentName: 'a', lastInboundAt: null, firstAttemptAt: clock.now(), now: clock.now(),
    };
    const posted = await connector?.send(request, AbortSignal.timeout(5_000));
    expect(posted?.externalId).toBeDefined();
    const createsBefore = pds.requests.filter((r) => r.path.endsWith('createRecord')).length;

    // Not stale yet: nobody touches it.
    const worker = testWorker(t.ctx, clock, { staleAfterMs: 120_000, sendTimeoutMs: 10_000 });
    expect(await worker.runOnce()).toBe(0);
    const stuck = await t.ctx.db.query<{ state: string }>('SELECT state FROM outbox WHERE reply_id = $1', [queued.id]);
    expect(stuck[0].state).toBe('sending');

    clock.advance(10 * 60_000);
    expect(await worker.runOnce()).toBe(1);
    const settled = await replyOf(t.app, agent, queued.id);
    expect(settled.status).toBe('sent');
    expect(settled.externalId).toBe(posted?.externalId);
    expect(pds.requests.filter((r) => r.path.endsWith('createRecord')).length).toBe(createsBefore);
    expect([...pds.created.values()].filter((r) => r.value.text === 'Crash-test reply')).toHaveLength(1);
  });

  it('a dropped answer is reconciled with getRecord before any second create', async () => {
    const { users, stored } = await blueskySetup();
    const agent = users[0].token;
    const queued = await createdReply(await postReply(t.app, agent, stored.caseId, { text: 'Dropped-answer reply' }));
    pds.dropAnswerOnce('POST /xrpc/com.atproto.repo.createRecord');
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    const retrying = await replyOf(t.app, agent, queued.id);
    expect(retrying.status).toBe('queued');
    expect(retrying.lastError).toMatch(/could not be reached/);
    expect(retrying.nextAttemptAt).not.toBeNull();
    clock.advance(60_000);
    await worker.runOnce();
    const sent = await replyOf(t.app, agent, queued.id);
    expect(sent.status).toBe('sent');
    expect([...pds.created.values()].filter((r) => r.value.text === 'Dropped-answer reply')).toHaveLength(1);
    expect(await eventTypes(t.app, agent, stored.caseId)).toEqual(expect.arrayContaining(['reply.retrying', 'reply.sent']));
  });

  it('retries 5xx and 429 with back-off, honouring ratelimit-reset, then sends', async () => {
    const { users, stored } = await blueskySetup();
    const agent = users[0].token;
    const queued = await createdReply(await postReply(t.app, agent, stored.caseId, { text: 'Rate-limited reply' }));
    const resetAt = Math.floor(clock.now().getTime() / 1000) + 300;
    pds.failNext('POST /xrpc/com.atproto.repo.createRecord', {
      status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'ratelimit-reset': String(resetAt), 'ratelimit-remaining': '0' },
    });
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    const waiting = await replyOf(t.app, agent, queued.id);
    expect(waiting.status).toBe('queued');
    expect(Date.parse(waiting.nextAttemptAt ?? '')).toBeGreaterThanOrEqual(resetAt * 1000);
    clock.advance(120_000);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(200_000);
    pds.failNext('POST /xrpc/com.atproto.repo.createRecord', { status: 502, body: { error: 'UpstreamFailure', message: 'bad gateway' } });
    expect(await worker.runOnce()).toBe(1);
    const second = await replyOf(t.app, agent, queued.id);
    expect(second.status).toBe('queued');
    expect(second.attempts).toBe(2);
    // Second failure: 5–10 s after it, never before 5 s.
    clock.advance(2_000);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(60_000);
    await worker.runOnce();
    expect((await replyOf(t.app, agent, queued.id)).status).toBe('sent');
  });

  it('refuses an over-long reply when written, and marks the channel failing on revoked credentials', async () => {
    const { users, stored, channel } = await blueskySetup();
    const agent = users[0].token;
    // Over Bluesky's 300 graphemes: refused when written, with the split the composer offers (never sent to fail).
    const tooLong = await postReply(t.app, agent, stored.caseId, { text: 'x '.repeat(160) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().error.message).toMatch(/bluesky allows 300 — shorten it or send it as 2 numbered parts/);

    await t.ctx.db.query(`UPDATE channel SET credentials_encrypted = $2 WHERE id = $1`, [
      channel.channel.id,
      (await import('../../src/platform/crypto.ts')).encryptSecret(t.ctx.secretKey, JSON.stringify({ identifier: 'acme.example', appPassword: 'revoked' })),
    ]);
    const second = await createdReply(await postReply(t.app, agent, stored.caseId, { text: 'after revocation' }));
    await testWorker(t.ctx, clock).runOnce();
    const revoked = await replyOf(t.app, agent, second.id);
    expect(revoked.status).toBe('failed');
    expect(revoked.failureReason).toMatch(/Invalid identifier or password/);
    const health = await t.ctx.db.query<{ health: string; health_reason: string }>('SELECT health, health_reason FROM channel WHERE id = $1', [channel.channel.id]);
    expect(health[0].health).toBe('failing');
    expect(health[0].health_reason).toMatch(/^auth: sending/);
    expect(await eventTypes(t.app, agent, stored.caseId)).toContain('reply.failed');
  });

  it('gives up after the last attempt of a temporary failure', async () => {
    const { users, stored } = await blueskySetup();
    const agent = users[0].token;
    const queued = await createdReply(await postReply(t.app, agent, stored.caseId, { text: 'never gets through' }));
    pds.failNext('POST /xrpc/com.atproto.repo.createRecord', { status: 429, body: { error: 'RateLimitExceeded' }, times: 3 });
    const worker = testWorker(t.ctx, clock, { retryPolicy: { baseMs: 1_000, maxMs: 1_000, jitter: 0, maxAttempts: 3 } });
    for (let i = 0; i < 3; i += 1) {
      await worker.runOnce();
      clock.advance(61 * 60_000);
    }
    const gaveUp = await replyOf(t.app, agent, queued.id);
    expect(gaveUp.status).toBe('failed');
    expect(gaveUp.failureReason).toMatch(/gave up after 3 attempts/);
  });
});
