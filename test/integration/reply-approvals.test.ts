import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { bearer, createTestApp, createWorkspaceWithUsers, messageOf } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createSendChannel, createdReply, eventTypes, ingestOne, postReply, replyOf, testWorker } from '../support/replies.ts';
import { startFakeMastodon } from '../fakes/mastodon-api.fake.ts';
import type { FakeMastodon } from '../fakes/mastodon-api.fake.ts';
import type { ReplyView } from '../../src/features/replies/index.ts';

const clock = fixedClock(new Date('2026-03-03T10:00:00Z'));
let t: TestApp;
let mastodon: FakeMastodon;

beforeAll(async () => {
  t = await createTestApp({ clock });
  mastodon = await startFakeMastodon({ token: 'masto-token' });
});
afterAll(async () => {
  await mastodon.close();
  await t.close();
});

let n = 0;
async function setup(author: { followerCount?: number; text?: string } = {}) {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor', 'admin', 'agent']);
  const channel = await createSendChannel(t.ctx, workspace.id, 'mastodon', { instanceUrl: mastodon.baseUrl }, { accessToken: 'masto-token' });
  n += 1;
  const id = String(111000000000000000n + BigInt(n));
  mastodon.addStatus({ id, acct: `cust${n}@other.example`, uri: `https://other.example/users/cust${n}/statuses/${id}` });
  const stored = await ingestOne(t.app, channel, messageOf({
    externalId: id,
    text: author.text ?? 'my parcel is lost, help',
    author: { externalId: `acct-${n}`, handle: `cust${n}@other.example`, followerCount: author.followerCount },
    raw: { id, account: { acct: `cust${n}@other.example` } },
  }));
  const [agent, supervisor, admin, otherAgent] = users.map((u) => u.token);
  return { workspace, channel, stored, agent, supervisor, admin, otherAgent };
}

function act(token: string, method: 'POST' | 'PATCH', url: string, body?: unknown) {
  return t.app.inject({ method, url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: body === undefined ? undefined : JSON.stringify(body) });
}

describe('approvals', () => {
  it('holds a reply to a high-reach author out of the outbox until a supervisor approves it', async () => {
    const s = await setup({ followerCount: 1_500_000 });
    const held = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'We are looking into it now.' }));
    expect(held.status).toBe('held');
    expect(held.holdReasons).toEqual([expect.objectContaining({ rule: 'high_reach' })]);
    expect(await t.ctx.db.query('SELECT 1 FROM outbox WHERE reply_id = $1', [held.id])).toHaveLength(0);
    await testWorker(t.ctx, clock).runOnce();
    expect((await replyOf(t.app, s.agent, held.id)).status).toBe('held');

    const queue = await t.app.inject({ url: '/api/v1/replies?status=held', headers: bearer(s.supervisor) });
    expect(queue.json<{ data: ReplyView[] }>().data.map((r) => r.id)).toEqual([held.id]);

    expect((await act(s.agent, 'POST', `/api/v1/replies/${held.id}/approve`, {})).statusCode).toBe(403);
    const approved = await act(s.supervisor, 'POST', `/api/v1/replies/${held.id}/approve`, { note: 'fine' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<{ data: ReplyView }>().data.status).toBe('queued');
    expect((await act(s.supervisor, 'POST', `/api/v1/replies/${held.id}/approve`, {})).statusCode).toBe(409);

    await testWorker(t.ctx, clock).runOnce();
    const sent = await replyOf(t.app, s.agent, held.id);
    expect(sent.status).toBe('sent');
    expect(sent.reviewedBy).not.toBeNull();
    const types = await eventTypes(t.app, s.agent, s.stored.caseId);
    expect(types.filter((x) => x.startsWith('reply.'))).toEqual(['reply.held', 'reply.approved', 'reply.queued', 'reply.sending', 'reply.sent']);
  });

  it('holds for legal terms on either side, lets the writer or a supervisor edit, and a supervisor reject', async () => {
    const s = await setup({ text: 'I am talking to my lawyer about this' });
    const held = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'We will offer compensation.' }));
    expect(held.status).toBe('held');
    expect(held.holdReasons[0].message).toMatch(/"lawyer".*"compensation"/);

    expect((await act(s.otherAgent, 'PATCH', `/api/v1/replies/${held.id}`, { text: 'hijack' })).statusCode).toBe(403);
    expect((await act(s.agent, 'PATCH', `/api/v1/replies/${held.id}`, { text: '' })).statusCode).toBe(422);
    const edited = await act(s.agent, 'PATCH', `/api/v1/replies/${held.id}`, { text: 'We are sorry; a specialist will contact you.' });
    expect(edited.statusCode, edited.body).toBe(200);
    const view = edited.json<{ data: ReplyView }>().data;
    expect(view.status).toBe('held');
    // Mastodon delivers a reply only to the accounts it mentions, so the composer adds the customer's handle.
    expect(view.text).toMatch(/^@cust\d+@other\.example We are sorry; a specialist will contact you\.$/);
    expect(view.holdReasons[0].message).not.toMatch(/compensation/);

    expect((await act(s.agent, 'POST', `/api/v1/replies/${held.id}/reject`, { reason: 'no' })).statusCode).toBe(403);
    expect((await act(s.supervisor, 'POST', `/api/v1/replies/${held.id}/reject`, {})).statusCode).toBe(422);
    const rejected = await act(s.supervisor, 'POST', `/api/v1/replies/${held.id}/reject`, { reason: 'legal will answer' });
    expect(rejected.json<{ data: ReplyView }>().data).toEqual(expect.objectContaining({ status: 'rejected', reviewNote: 'legal will answer' }));
    expect((await act(s.supervisor, 'PATCH', `/api/v1/replies/${held.id}`, { text: 'too late' })).statusCode).toBe(409);
    await testWorker(t.ctx, clock).runOnce();
    expect(mastodon.posted.some((p) => p.source.includes('specialist'))).toBe(false);
    const types = await eventTypes(t.app, s.agent, s.stored.caseId);
    expect(types.filter((x) => x.startsWith('reply.'))).toEqual(['reply.held', 'reply.edited', 'reply.rejected']);
  });

  it("holds an offer to a competitor's customer when the message matched a competitor rule", async () => {
    const s = await setup({ text: 'Globex lost my parcel again' });
    const ruleId = randomUUID();
    await t.ctx.db.query(`INSERT INTO monitoring_rule (workspace_id, id, name, tag, query) VALUES ($1, $2, 'Globex', 'competitor', 'globex')`, [s.workspace.id, ruleId]);
    await t.ctx.db.query('UPDATE message SET matched_rule_ids = $3 WHERE workspace_id = $1 AND id = $2', [s.workspace.id, s.stored.messageId, [ruleId]]);
    const held = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Switch to us and get a month free!' }));
    expect(held.status).toBe('held');
    expect(held.holdReasons).toEqual([expect.objectContaining({ rule: 'competitor_customer' })]);
  });

  it("does not hold a supervisor's own reply, and follows the workspace's threshold", async () => {
    const s = await setup({ followerCount: 5_000 });
    const own = await createdReply(await postReply(t.app, s.supervisor, s.stored.caseId, { text: 'On it.' }));
    expect(own.status).toBe('queued');
    const notHeld = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Also on it.' }));
    expect(notHeld.status).toBe('queued');

    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/settings/reply-approvals', headers: bearer(s.agent), payload: { followerThreshold: 1000 } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/settings/reply-approvals', headers: bearer(s.admin), payload: { followerThreshold: -1 } })).statusCode).toBe(422);
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/settings/reply-approvals', headers: bearer(s.admin), payload: { followerThreshold: 1000, extraLegalTerms: ['chargeback'] } });
    expect(put.statusCode, put.body).toBe(200);
    const held = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Third reply.' }));
    expect(held.holdReasons.map((r) => r.rule)).toEqual(['high_reach']);
    const settings = await t.app.inject({ url: '/api/v1/settings/reply-approvals', headers: bearer(s.agent) });
    expect(settings.json<{ data: unknown }>().data).toEqual({ followerThreshold: 1000, extraLegalTerms: ['chargeback'] });
    await testWorker(t.ctx, clock).runOnce();
  });
});

describe('Mastodon sending', () => {
  it('replies with in_reply_to_id, the customer mentioned, an Idempotency-Key, and visibility=direct when private', async () => {
    const s = await setup();
    const pub = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Sorry! Checking now.' }));
    const priv = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Could you send your order number?', private: true }));
    await testWorker(t.ctx, clock).runOnce();
    const sentPub = await replyOf(t.app, s.agent, pub.id);
    const sentPriv = await replyOf(t.app, s.agent, priv.id);
    expect(sentPub.status).toBe('sent');
    expect(sentPriv.status).toBe('sent');
    const pubStatus = mastodon.posted.find((p) => p.id === sentPub.externalId);
    const privStatus = mastodon.posted.find((p) => p.id === sentPriv.externalId);
    expect(pubStatus?.in_reply_to_id).toBe(String(111000000000000000n + BigInt(n)));
    expect(pubStatus?.visibility).toBe('public');
    expect(pubStatus?.source).toBe(`@cust${n}@other.example Sorry! Checking now.`);
    expect(privStatus?.visibility).toBe('direct');
    expect(sentPub.url).toBe(pubStatus?.url);
    const keys = mastodon.requests.filter((r) => r.path === '/api/v1/statuses').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(expect.arrayContaining([pub.id, priv.id]));
  });

  it('moves a public complaint to private in one action: a public acknowledgement and a direct status', async () => {
    const s = await setup();
    const url = `/api/v1/cases/${s.stored.caseId}/move-private`;
    const leaky = await act(s.agent, 'POST', url, { acknowledgement: 'Email tom@example.com', privateText: 'Which address?' });
    expect(leaky.statusCode).toBe(422);
    expect(await eventTypes(t.app, s.agent, s.stored.caseId)).not.toContain('reply.queued');
    const moved = await act(s.agent, 'POST', url, { privateText: 'Could you send your order number and postcode here?' });
    expect(moved.statusCode, moved.body).toBe(201);
    const { data } = moved.json<{ data: { public: ReplyView; private: ReplyView } }>();
    expect(data.public.private).toBe(false);
    expect(data.private.private).toBe(true);
    await testWorker(t.ctx, clock).runOnce();
    const visibilities = mastodon.posted.filter((p) => p.in_reply_to_id === String(111000000000000000n + BigInt(n))).map((p) => p.visibility).sort();
    expect(visibilities).toEqual(['direct', 'public']);
    expect(mastodon.posted.some((p) => p.source.includes("we've sent you a private message"))).toBe(true);
    expect((await act(s.agent, 'POST', url, {})).statusCode).toBe(422);
  });

  it('a crashed attempt is re-sent under the same Idempotency-Key: one status, not two', async () => {
    const s = await setup();
    const reply = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Idempotent hello' }));
    mastodon.dropAnswerOnce('POST /api/v1/statuses');
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    expect((await replyOf(t.app, s.agent, reply.id)).status).toBe('queued');
    clock.advance(60_000);
    await worker.runOnce();
    const sent = await replyOf(t.app, s.agent, reply.id);
    expect(sent.status).toBe('sent');
    expect(mastodon.posted.filter((p) => p.source.endsWith('Idempotent hello'))).toHaveLength(1);
    expect(mastodon.requests.filter((r) => r.headers['idempotency-key'] === reply.id)).toHaveLength(2);
  });

  it('after the idempotency hour, an interrupted attempt is marked unknown for the agent to confirm', async () => {
    const s = await setup();
    const reply = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Slow hello' }));
    mastodon.failNext('POST /api/v1/statuses', { status: 503, body: { error: 'Service Unavailable' }, times: 1 });
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    clock.advance(2 * 60 * 60_000);
    await worker.runOnce();
    const unknown = await replyOf(t.app, s.agent, reply.id);
    expect(unknown.status).toBe('unknown');
    expect(unknown.failureReason).toMatch(/idempotency key/);
    expect(await eventTypes(t.app, s.agent, s.stored.caseId)).toContain('reply.unknown');

    expect((await act(s.agent, 'POST', `/api/v1/replies/${reply.id}/confirm`, { sent: 'yes' })).statusCode).toBe(422);
    const confirmed = await act(s.agent, 'POST', `/api/v1/replies/${reply.id}/confirm`, { sent: true, url: 'https://social.example/@acme/1' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json<{ data: ReplyView }>().data).toEqual(expect.objectContaining({ status: 'sent', url: 'https://social.example/@acme/1' }));
    expect((await act(s.agent, 'POST', `/api/v1/replies/${reply.id}/confirm`, { sent: true })).statusCode).toBe(409);
  });

  it('blocks personal data in a public reply, with the reason, and lets it go privately', async () => {
    const s = await setup();
    const text = 'Sorry! I have refunded order #AB-99812 to tom@example.com.';
    const blocked = await postReply(t.app, s.agent, s.stored.caseId, { text });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().error.message).toMatch(/personal data \((account-number, email|email, account-number)\).*private channel/);
    const privately = await postReply(t.app, s.agent, s.stored.caseId, { text, private: true });
    expect(privately.statusCode, privately.body).toBe(201);
  });

  it('a refused status fails with Mastodon\'s own words', async () => {
    const s = await setup();
    // The channel believes its instance allows 1,000 characters; the instance itself refuses past 500.
    await t.ctx.db.query(`UPDATE channel SET config = config || '{"characterLimit": 1000}'::jsonb WHERE id = $1`, [s.channel.channel.id]);
    const reply = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'y'.repeat(600) }));
    await testWorker(t.ctx, clock).runOnce();
    const failed = await replyOf(t.app, s.agent, reply.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/Text character limit of 500 exceeded/);
  });
});

describe('channels without a send API', () => {
  it('blog and forum replies wait for the agent to post them and record the link', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const blog = await createSendChannel(t.ctx, workspace.id, 'rss', { url: 'https://blog.example/feed' });
    const stored = await ingestOne(t.app, blog, messageOf({ externalId: 'https://blog.example/post-1', text: 'Acme support never answered my emails' }));
    const agent = users[0].token;
    const reply = await createdReply(await postReply(t.app, agent, stored.caseId, { text: 'Hi, this is Acme support — we emailed you.' }));
    expect(reply.status).toBe('manual');
    expect(reply.delivery).toBe('manual');
    expect((await act(agent, 'POST', `/api/v1/replies/${reply.id}/confirm`, { sent: true })).statusCode).toBe(422);
    const done = await act(agent, 'POST', `/api/v1/replies/${reply.id}/confirm`, { sent: true, url: 'https://blog.example/post-1#comment-7' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<{ data: ReplyView }>().data).toEqual(expect.objectContaining({ status: 'sent', externalId: 'https://blog.example/post-1#comment-7' }));
    const detail = await t.app.inject({ url: `/api/v1/cases/${stored.caseId}`, headers: bearer(agent) });
    expect(detail.json<{ data: { case: { firstRespondedAt: string | null } } }>().data.case.firstRespondedAt).not.toBeNull();
  });

  it('a phone reply is the logged outcome of a callback, recorded at once and never sent anywhere', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const phone = await createSendChannel(t.ctx, workspace.id, 'phone', {});
    const stored = await ingestOne(t.app, phone, messageOf({ externalId: 'call-1', text: 'Voicemail: my line is dead', author: { externalId: '+15550100' } }));
    const reply = await createdReply(await postReply(t.app, users[0].token, stored.caseId, { text: 'Called back: engineer booked for Tuesday.' }));
    expect(reply).toEqual(expect.objectContaining({ status: 'sent', delivery: 'logged', private: true, externalId: `callback:${reply.id}` }));
    expect(await t.ctx.db.query('SELECT 1 FROM outbox WHERE reply_id = $1', [reply.id])).toHaveLength(0);
  });
});
