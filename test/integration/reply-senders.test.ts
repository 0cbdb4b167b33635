import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { claimDue } from '../../src/features/replies/outbox.repository.ts';
import { createTestApp, createWorkspaceWithUsers, messageOf } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createSendChannel, createdReply, ingestOne, postReply, replyOf, testWorker } from '../support/replies.ts';
import { startFakeXApi } from '../fakes/x-api.fake.ts';
import type { FakeXApi } from '../fakes/x-api.fake.ts';
import { startFakeFacebook } from '../fakes/facebook-api.fake.ts';
import type { FakeFacebook } from '../fakes/facebook-api.fake.ts';
import { startFakeSmtp } from '../fakes/smtp-api.fake.ts';
import type { FakeSmtp } from '../fakes/smtp-api.fake.ts';

const clock = fixedClock(new Date('2026-03-04T12:00:00Z'));
let t: TestApp;
let x: FakeXApi;
let fb: FakeFacebook;
let smtp: FakeSmtp;

beforeAll(async () => {
  t = await createTestApp({ clock });
  x = await startFakeXApi({ token: 'x-user-token' });
  fb = await startFakeFacebook({ pageToken: 'page-token', now: () => clock.now() });
  smtp = await startFakeSmtp({ user: 'care@acme.example', password: 'smtp-secret' });
});
afterAll(async () => {
  await Promise.all([x.close(), fb.close(), smtp.close()]);
  await t.close();
});

let n = 0;
async function xSetup() {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
  const channel = await createSendChannel(t.ctx, workspace.id, 'x', { baseUrl: x.baseUrl }, { accessToken: 'x-user-token' });
  n += 1;
  const tweetId = String(1960000000000000000n + BigInt(n));
  x.addTweet(tweetId, `cust${n}`);
  const stored = await ingestOne(t.app, channel, messageOf({ externalId: tweetId, author: { externalId: String(880000 + n), handle: `cust${n}` } }));
  return { workspace, channel, stored, agent: users[0].token, tweetId };
}

describe('X sending', () => {
  it('replies with reply.in_reply_to_tweet_id and sends a DM to the author when private', async () => {
    const s = await xSetup();
    const pub = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Sorry to hear that & we are on it <3' }));
    const dm = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Please DM us your account email.', private: true }));
    await testWorker(t.ctx, clock).runOnce();
    const sentPub = await replyOf(t.app, s.agent, pub.id);
    expect(sentPub.status).toBe('sent');
    expect(sentPub.url).toBe(`https://x.com/i/web/status/${sentPub.externalId}`);
    expect(x.tweets.find((tw) => tw.id === sentPub.externalId)).toEqual(expect.objectContaining({ inReplyTo: s.tweetId }));
    const sentDm = await replyOf(t.app, s.agent, dm.id);
    expect(sentDm.status).toBe('sent');
    expect(x.dms.find((d) => d.id === sentDm.externalId)).toEqual(expect.objectContaining({ participant: String(880000 + n), text: 'Please DM us your account email.' }));
  });

  it('reconciles a crashed attempt by finding the reply among the account\'s posts', async () => {
    const s = await xSetup();
    const reply = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Crash & burn test https://acme.example/help' }));
    x.dropAnswerOnce('POST /2/tweets');
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    expect((await replyOf(t.app, s.agent, reply.id)).status).toBe('queued');
    clock.advance(60_000);
    await worker.runOnce();
    const sent = await replyOf(t.app, s.agent, reply.id);
    expect(sent.status).toBe('sent');
    expect(x.tweets.filter((tw) => tw.text.startsWith('Crash & burn'))).toHaveLength(1);
    expect(x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets' && r.body.text === 'Crash & burn test https://acme.example/help')).toHaveLength(1);
    expect(sent.externalId).toBe(x.tweets.find((tw) => tw.text.startsWith('Crash & burn'))?.id);
  });

  it('a stale sending row whose post is not on X is sent once', async () => {
    const s = await xSetup();
    const reply = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Never reached X' }));
    await t.ctx.db.transaction((tx) => claimDue(tx, { now: clock.now(), staleBefore: new Date(0), limit: 50, workerId: 'crashed' }));
    clock.advance(30 * 60_000);
    await testWorker(t.ctx, clock).runOnce();
    expect((await replyOf(t.app, s.agent, reply.id)).status).toBe('sent');
    expect(x.tweets.filter((tw) => tw.text === 'Never reached X')).toHaveLength(1);
  });

  it('honours x-rate-limit-reset, fails on 403 duplicate content with X\'s reason, and marks the channel failing when revoked', async () => {
    const s = await xSetup();
    const limited = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'rate limited one' }));
    const reset = Math.floor(clock.now().getTime() / 1000) + 900;
    x.failNext('POST /2/tweets', { status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers: { 'x-rate-limit-reset': String(reset), 'x-rate-limit-remaining': '0' } });
    const worker = testWorker(t.ctx, clock);
    await worker.runOnce();
    const waiting = await replyOf(t.app, s.agent, limited.id);
    expect(waiting.status).toBe('queued');
    expect(Date.parse(waiting.nextAttemptAt ?? '')).toBeGreaterThanOrEqual(reset * 1000);
    clock.advance(901_000);
    await worker.runOnce();
    expect((await replyOf(t.app, s.agent, limited.id)).status).toBe('sent');

    const duplicate = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'rate limited one' }));
    await worker.runOnce();
    const dup = await replyOf(t.app, s.agent, duplicate.id);
    expect(dup.status).toBe('failed');
    expect(dup.failureReason).toMatch(/duplicate content/);
    const healthy = await t.ctx.db.query<{ health: string }>('SELECT health FROM channel WHERE id = $1', [s.channel.channel.id]);
    expect(healthy[0].health).not.toBe('failing');

    x.revoke();
    const afterRevoke = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'after revoke' }));
    await worker.runOnce();
    const revoked = await replyOf(t.app, s.agent, afterRevoke.id);
    expect(revoked.status).toBe('failed');
    expect(revoked.failureReason).toMatch(/credentials \(HTTP 401\)/);
    const failing = await t.ctx.db.query<{ health: string }>('SELECT health FROM channel WHERE id = $1', [s.channel.channel.id]);
    expect(failing[0].health).toBe('failing');
  });
});

describe('Facebook sending', () => {
  it('answers a comment with a comment, and Messenger only inside the 24-hour window', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const agent = users[0].token;
    const channel = await createSendChannel(t.ctx, workspace.id, 'facebook', { graphUrl: fb.baseUrl }, { pageAccessToken: 'page-token' });
    fb.addComment('1234567890_555');
    const comment = await ingestOne(t.app, channel, messageOf({ externalId: '1234567890_555', text: 'Your store was closed again', author: { externalId: '7001' } }));
    const pub = await createdReply(await postReply(t.app, agent, comment.caseId, { text: 'Sorry! Which store?' }));
    await testWorker(t.ctx, clock).runOnce();
    const sentPub = await replyOf(t.app, agent, pub.id);
    expect(sentPub.status).toBe('sent');
    expect(fb.comments).toEqual(expect.arrayContaining([expect.objectContaining({ parent: '1234567890_555', message: 'Sorry! Which store?' })]));
    expect(sentPub.url).toMatch(/^https:\/\/www\.facebook\.com\/1234567890\?comment_id=\d+$/);

    fb.setLastUserMessage('7001', clock.now());
    const dm = await createdReply(await postReply(t.app, agent, comment.caseId, { text: 'Sent you a message', private: true }));
    await testWorker(t.ctx, clock).runOnce();
    expect((await replyOf(t.app, agent, dm.id)).status).toBe('sent');
    expect(fb.messages.map((m) => m.psid)).toContain('7001');

    clock.advance(25 * 60 * 60_000);
    const late = await postReply(t.app, agent, comment.caseId, { text: 'Too late?', private: true });
    expect(late.statusCode).toBe(422);
    expect(late.json<{ error: { message: string } }>().error.message).toMatch(/24-hour window/);
  });

  it('an invalid page token fails the reply and marks the channel failing', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const channel = await createSendChannel(t.ctx, workspace.id, 'facebook', { graphUrl: fb.baseUrl }, { pageAccessToken: 'expired' });
    fb.addComment('1234567890_777');
    const comment = await ingestOne(t.app, channel, messageOf({ externalId: '1234567890_777', author: { externalId: '7002' } }));
    const reply = await createdReply(await postReply(t.app, users[0].token, comment.caseId, { text: 'hello' }));
    await testWorker(t.ctx, clock).runOnce();
    const failed = await replyOf(t.app, users[0].token, reply.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/Invalid OAuth access token.*code 190/);
    const health = await t.ctx.db.query<{ health: string; health_reason: string }>('SELECT health, health_reason FROM channel WHERE id = $1', [channel.channel.id]);
    expect(health[0]).toEqual({ health: 'failing', health_reason: expect.stringMatching(/^auth: sending: Facebook: Invalid OAuth/) });
  });
});

describe('email sending', () => {
  it('sends over SMTP with Re: subject, In-Reply-To, References and a Message-ID from the reply id', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const channel = await createSendChannel(
      t.ctx, workspace.id, 'email',
      { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false }, fromAddress: 'care@acme.example', fromName: 'Acme Care' },
      { smtpUser: 'care@acme.example', smtpPassword: 'smtp-secret' },
    );
    const stored = await ingestOne(t.app, channel, messageOf({
      externalId: '<msg-1@customer.example>',
      text: 'My invoice is wrong',
      author: { externalId: 'jane@customer.example', platform: 'email' },
      raw: { subject: 'Invoice 42 is wrong', messageId: '<msg-1@customer.example>', references: ['<msg-0@customer.example>'] },
    }));
    const reply = await createdReply(await postReply(t.app, users[0].token, stored.caseId, { text: 'Dear Jane, we have corrected invoice 42.' }));
    expect(reply.private).toBe(true);
    await testWorker(t.ctx, clock).runOnce();
    const sent = await replyOf(t.app, users[0].token, reply.id);
    expect(sent.status).toBe('sent');
    const mail = smtp.messages.find((m) => m.messageId === `<reply-${reply.id}@acme.example>`);
    expect(mail?.subject).toBe('Re: Invoice 42 is wrong');
    expect(mail?.inReplyTo).toBe('<msg-1@customer.example>');
    expect(mail?.references).toEqual(['<msg-0@customer.example>', '<msg-1@customer.example>']);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toContain('jane@customer.example');
    expect(mail?.text?.trim()).toBe('Dear Jane, we have corrected invoice 42.');
    expect(sent.externalId).toBe(`<reply-${reply.id}@acme.example>`);
  });

  it('a refused recipient fails with the server\'s answer; a wrong login marks the channel failing', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const config = { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false }, fromAddress: 'care@acme.example' };
    const channel = await createSendChannel(t.ctx, workspace.id, 'email', config, { smtpUser: 'care@acme.example', smtpPassword: 'smtp-secret' });
    smtp.refuse.add('gone@customer.example');
    const stored = await ingestOne(t.app, channel, messageOf({ externalId: '<m-2@customer.example>', author: { externalId: 'gone@customer.example' } }));
    const reply = await createdReply(await postReply(t.app, users[0].token, stored.caseId, { text: 'Hello' }));
    await testWorker(t.ctx, clock).runOnce();
    const failed = await replyOf(t.app, users[0].token, reply.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/mailbox unavailable/);

    const wrong = await createSendChannel(t.ctx, workspace.id, 'email', config, { smtpUser: 'care@acme.example', smtpPassword: 'nope' });
    const other = await ingestOne(t.app, wrong, messageOf({ externalId: '<m-3@customer.example>', author: { externalId: 'bob@customer.example' } }));
    const second = await createdReply(await postReply(t.app, users[0].token, other.caseId, { text: 'Hello Bob' }));
    await testWorker(t.ctx, clock).runOnce();
    expect((await replyOf(t.app, users[0].token, second.id)).status).toBe('failed');
    const health = await t.ctx.db.query<{ health: string }>('SELECT health FROM channel WHERE id = $1', [wrong.channel.id]);
    expect(health[0].health).toBe('failing');
  });
});
