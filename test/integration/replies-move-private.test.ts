import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../../src/platform/clock.ts';
import { hashToken } from '../../src/platform/crypto.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import { findPersonalData } from '../../src/features/replies/composer/index.ts';
import { emailAcknowledgement, linkAcknowledgement, refusedDmFollowUp } from '../../src/features/replies/index.ts';
import type { PrivateMoveView, ReplyView } from '../../src/features/replies/index.ts';
import { bearer, createTestApp, createWorkspaceWithUsers, messageOf } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createSendChannel, createdReply, ingestOne, postReply, replyOf, testWorker } from '../support/replies.ts';
import { startFakeBluesky } from '../fakes/bluesky-api.fake.ts';
import type { FakeBluesky } from '../fakes/bluesky-api.fake.ts';
import { startFakeXApi } from '../fakes/x-api.fake.ts';
import type { FakeXApi } from '../fakes/x-api.fake.ts';
import { startFakeSmtp } from '../fakes/smtp-api.fake.ts';
import type { FakeSmtp } from '../fakes/smtp-api.fake.ts';

const publicUrl = 'https://care.acme.example';
const clock = fixedClock(new Date('2026-03-06T09:00:00Z'));
let t: TestApp;
let pds: FakeBluesky;
let x: FakeXApi;
let smtp: FakeSmtp;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { PARLEY_PUBLIC_URL: publicUrl } });
  [pds, x, smtp] = await Promise.all([
    startFakeBluesky({ identifier: 'acme.example', password: 'app-pass-1234' }),
    startFakeXApi({ token: 'x-user-token' }),
    startFakeSmtp({ user: 'care@acme.example', password: 'smtp-secret' }),
  ]);
});
afterAll(async () => {
  await Promise.all([pds.close(), x.close(), smtp.close()]);
  await t.close();
});

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const smtpConfig = () => ({ smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false }, fromAddress: 'care@acme.example' });
const smtpCredentials = { smtpUser: 'care@acme.example', smtpPassword: 'smtp-secret' };

let n = 0;

/** A customer's public Bluesky post on a new workspace's channel. */
async function blueskyCase() {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor']);
  const channel = await createSendChannel(t.ctx, workspace.id, 'bluesky', { pdsUrl: pds.baseUrl }, { identifier: 'acme.example', appPassword: 'app-pass-1234' });
  n += 1;
  const uri = `at://did:plc:customer00000000000000007/app.bsky.feed.post/3lmov${String(n).padStart(8, '2')}`;
  const post = pds.addPost(uri, { text: 'Where is my parcel?', createdAt: '2026-03-06T08:00:00Z' });
  const stored = await ingestOne(t.app, channel, messageOf({
    externalId: uri, text: 'Acme, where is my parcel? Third week now.',
    author: { externalId: `did:plc:customer0000000000000${String(1000 + n)}`, handle: `cust${n}.example` },
    raw: { uri, cid: post.cid, record: {} },
  }));
  return { workspace, channel, stored, uri, agent: users[0].token, supervisor: users[1].token };
}

/** A customer's public post on X. */
async function xCase() {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
  const channel = await createSendChannel(t.ctx, workspace.id, 'x', { baseUrl: x.baseUrl }, { accessToken: 'x-user-token' });
  n += 1;
  const tweetId = String(1980000000000000000n + BigInt(n));
  const participant = String(770000 + n);
  x.addTweet(tweetId, `xcust${n}`);
  const stored = await ingestOne(t.app, channel, messageOf({ externalId: tweetId, text: 'My bill doubled this month', author: { externalId: participant, handle: `xcust${n}` } }));
  return { workspace, channel, stored, tweetId, participant, agent: users[0].token };
}

/** The workspace's web form, which hosts secure links and emails its answers. */
async function webform(workspaceId: string, config: Record<string, unknown> = {}) {
  return createChannel(t.ctx.db, t.ctx.secretKey, {
    workspaceId, kind: 'webform', name: 'Acme Care', config: { ...smtpConfig(), ...config }, credentials: smtpCredentials,
  });
}

function move(token: string, caseId: string, body: unknown): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/move-private`, headers: { ...bearer(token), ...json }, payload: JSON.stringify(body) });
}

function moved(res: LightMyRequestResponse): PrivateMoveView {
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ data: PrivateMoveView }>().data;
}

async function caseEvents(token: string, caseId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const res = await t.app.inject({ url: `/api/v1/cases/${caseId}`, headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  return res.json<{ data: { events: { type: string; data: Record<string, unknown> }[] } }>().data.events;
}

async function addEmail(token: string, caseId: string, value: string): Promise<void> {
  const [row] = await t.ctx.db.query<{ customer_id: string }>('SELECT customer_id FROM cases WHERE id = $1', [caseId]);
  const res = await t.app.inject({
    method: 'POST', url: `/api/v1/customers/${row.customer_id}/identities`, headers: { ...bearer(token), ...json }, payload: { kind: 'email', value },
  });
  expect(res.statusCode, res.body).toBe(201);
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function formTokenOf(html: string): string {
  const match = /name="token" value="([^"]+)"/.exec(html);
  expect(match).not.toBeNull();
  return match?.[1] ?? '';
}

describe('move-private where DMs are closed: a secure link', () => {
  it('posts an acknowledgement with a working link; what the customer writes through it lands on the same case', async () => {
    const s = await blueskyCase();
    const wf = await webform(s.workspace.id);
    const privateText = 'Could you tell us the order number and the name it was ordered under? We will check straight away.';
    const result = moved(await move(s.agent, s.stored.caseId, { privateText }));
    expect(result.route).toBe('link');
    expect(result.private).toBeNull();
    const link = result.link;
    if (!link) throw new Error('no link');
    expect(link.url).toMatch(/^https:\/\/care\.acme\.example\/p\/[a-z]{52}$/);
    expect(Date.parse(link.expiresAt) - clock.now().getTime()).toBe(7 * 24 * 3_600_000);
    expect(result.public).toEqual(expect.objectContaining({ private: false, status: 'queued', text: `${linkAcknowledgement} ${link.url}` }));

    await testWorker(t.ctx, clock).runOnce();
    const posted = await replyOf(t.app, s.agent, result.public.id);
    expect(posted.status).toBe('sent');
    const record = pds.created.get(posted.externalId ?? '');
    const text = String(record?.value.text);
    expect(text).toBe(result.public.text);
    expect(findPersonalData(text)).toEqual([]);
    // Bluesky shows a link only where a facet marks its UTF-8 bytes.
    const start = Buffer.byteLength(text.slice(0, text.indexOf(link.url)), 'utf8');
    expect(record?.value.facets).toEqual([
      { index: { byteStart: start, byteEnd: start + Buffer.byteLength(link.url) }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: link.url }] },
    ]);

    const page = await t.app.inject({ url: pathOf(link.url) });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(privateText);
    expect(page.body).toContain('Acme Care');

    clock.advance(5_000);
    const written = await t.app.inject({
      method: 'POST', url: pathOf(link.url), headers: form,
      payload: new URLSearchParams({ name: 'Sam Parcel', email: 'Sam@Customer.example', message: 'It is order 555123, under Sam Parcel.', token: formTokenOf(page.body), website: '' }).toString(),
    });
    expect(written.statusCode, written.body).toBe(200);
    expect(written.body).toContain('Thank you');
    const messages = () => t.ctx.db.query<{ case_id: string; channel_id: string; is_public: boolean; text: string }>(
      `SELECT case_id, channel_id, is_public, text FROM message WHERE channel_id = $1 AND direction = 'inbound' ORDER BY sent_at`, [wf.channel.id],
    );
    expect(await messages()).toEqual([{ case_id: s.stored.caseId, channel_id: wf.channel.id, is_public: false, text: 'It is order 555123, under Sam Parcel.' }]);
    // Whoever opens the link again never sees what the customer wrote.
    expect((await t.app.inject({ url: pathOf(link.url) })).body).not.toContain('555123');

    // The same conversation through the JSON API, for a page the brand builds itself.
    const token = pathOf(link.url).split('/').at(-1) ?? '';
    const opened = await t.app.inject({ url: `/api/v1/public/conversations/${token}` });
    expect(opened.statusCode).toBe(200);
    const start2 = opened.json<{ data: { introduction: string; formToken: string; honeypotField: string } }>().data;
    expect(start2.introduction).toBe(privateText);
    clock.advance(5_000);
    const second = await t.app.inject({
      method: 'POST', url: `/api/v1/public/conversations/${token}`, headers: json,
      payload: { email: 'sam@customer.example', message: 'Also: the box was marked fragile.', token: start2.formToken },
    });
    expect(second.statusCode, second.body).toBe(201);
    expect((await messages()).map((m) => m.case_id)).toEqual([s.stored.caseId, s.stored.caseId]);

    const events = await caseEvents(s.agent, s.stored.caseId);
    expect(events.find((e) => e.type === 'reply.moved_private')?.data).toEqual(expect.objectContaining({
      route: 'link', publicReplyId: result.public.id, privateReplyId: null, linkId: link.id, privateChannelId: wf.channel.id,
    }));
    expect(events.filter((e) => e.type === 'reply.private_link_used').map((e) => e.data.linkId)).toEqual([link.id, link.id]);

    // The agent answers on the private conversation: by email, from the web form, to the address the customer gave.
    const answer = await createdReply(await postReply(t.app, s.agent, s.stored.caseId, { text: 'Thanks Sam, we have found it and it ships today.' }));
    expect(answer.channel.kind).toBe('webform');
    expect(answer.private).toBe(true);
    await testWorker(t.ctx, clock).runOnce();
    expect((await replyOf(t.app, s.agent, answer.id)).status).toBe('sent');
    const mail = smtp.messages.find((m) => m.messageId === `<reply-${answer.id}@acme.example>`);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe('sam@customer.example');
  });

  it('refuses forged, planted, malformed and expired links, a form sent at once, and escapes what it shows', async () => {
    const s = await blueskyCase();
    const wf = await webform(s.workspace.id, { privateLinkHours: 48 });
    const result = moved(await move(s.agent, s.stored.caseId, { via: 'link', privateText: 'Tell us <b>what</b> happened & when.' }));
    const url = result.link?.url ?? '';
    const token = pathOf(url).split('/').at(-1) ?? '';

    const page = await t.app.inject({ url: pathOf(url) });
    expect(page.body).toContain('Tell us &lt;b&gt;what&lt;/b&gt; happened &amp; when.');
    const tooFast = await t.app.inject({
      method: 'POST', url: `/api/v1/public/conversations/${token}`, headers: json,
      payload: { email: 'a@customer.example', message: 'hi', token: formTokenOf(page.body) },
    });
    expect(tooFast.statusCode).toBe(422);
    expect(tooFast.json().error).toEqual(expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ path: 'token' })] }));
    clock.advance(5_000);
    const noEmail = await t.app.inject({ method: 'POST', url: pathOf(url), headers: form, payload: new URLSearchParams({ message: 'hi', token: formTokenOf(page.body) }).toString() });
    expect(noEmail.statusCode).toBe(422);
    expect(noEmail.body).toContain('email:');
    // The form comes back with what was typed, to fix rather than retype.
    expect(noEmail.body).toContain('>hi</textarea>');

    // A row written behind Parley's back, without the key's signature, opens nothing.
    const planted = 'q'.repeat(52);
    await t.ctx.db.query(
      `INSERT INTO private_link (workspace_id, id, case_id, channel_id, token_hash, created_at, expires_at) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6)`,
      [s.workspace.id, s.stored.caseId, wf.channel.id, hashToken(planted), clock.now(), new Date(clock.now().getTime() + 3_600_000)],
    );
    const forged = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    for (const bad of [planted, forged, 'nope', `${token}x`]) {
      const api = await t.app.inject({ url: `/api/v1/public/conversations/${bad}` });
      expect(api.statusCode, bad).toBe(404);
      expect(api.json().error.code).toBe('not_found');
      const html = await t.app.inject({ url: `/p/${bad}` });
      expect(html.statusCode).toBe(404);
      expect(html.body).toContain('This link cannot be used');
    }

    clock.advance(49 * 3_600_000);
    const expired = await t.app.inject({ url: `/api/v1/public/conversations/${token}` });
    expect(expired.statusCode).toBe(404);
    expect(expired.json().error.message).toMatch(/expired/);
    expect(await t.ctx.db.query(`SELECT 1 FROM message WHERE channel_id = $1`, [wf.channel.id])).toHaveLength(0);
  });
});

describe('move-private by email to a known address', () => {
  it('on Bluesky: a public acknowledgement without the address, and the private part emailed to it', async () => {
    const s = await blueskyCase();
    await webform(s.workspace.id);
    const mailer = await createSendChannel(t.ctx, s.workspace.id, 'email', smtpConfig(), smtpCredentials);
    await addEmail(s.supervisor, s.stored.caseId, 'Jo.Parcel@Customer.example');
    const privateText = 'Hi Jo, please reply with your order number and we will trace the parcel.';
    const result = moved(await move(s.agent, s.stored.caseId, { privateText }));
    expect(result.route).toBe('email');
    expect(result.link).toBeNull();
    expect(result.public.text).toBe(emailAcknowledgement);
    expect(result.private).toEqual(expect.objectContaining({ private: true, status: 'queued', text: privateText, channel: expect.objectContaining({ id: mailer.channel.id, kind: 'email' }) }));

    await testWorker(t.ctx, clock).runOnce();
    const sentPrivate = await replyOf(t.app, s.agent, result.private?.id ?? '');
    expect(sentPrivate.status).toBe('sent');
    const mail = smtp.messages.find((m) => m.messageId === `<reply-${sentPrivate.id}@acme.example>`);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe('jo.parcel@customer.example');
    expect(mail?.text?.trim()).toBe(privateText);
    const sentPublic = await replyOf(t.app, s.agent, result.public.id);
    expect(sentPublic.status).toBe('sent');
    expect(String(pds.created.get(sentPublic.externalId ?? '')?.value.text)).not.toMatch(/customer\.example/i);

    const event = (await caseEvents(s.agent, s.stored.caseId)).find((e) => e.type === 'reply.moved_private');
    expect(event?.data).toEqual(expect.objectContaining({ route: 'email', privateReplyId: sentPrivate.id, privateChannelId: mailer.channel.id, linkId: null }));
    expect(event?.data.emailIdentityId).toEqual(expect.any(String));
  });
});

describe('a direct message refused because the customer\'s DMs are closed', () => {
  function refuseDms(participant: string): void {
    x.failNext(`POST /2/dm_conversations/with/${participant}/messages`, {
      status: 403, body: { title: 'Forbidden', detail: 'You are not permitted to send Direct Messages to this user.', type: 'about:blank', status: 403 },
    });
  }

  it('falls back to a secure link in a second public post', async () => {
    const s = await xCase();
    await webform(s.workspace.id);
    const privateText = 'Could you tell us the account holder name? We will look at the bill.';
    const result = moved(await move(s.agent, s.stored.caseId, { privateText }));
    expect(result.route).toBe('dm');
    refuseDms(s.participant);
    await testWorker(t.ctx, clock).runOnce();
    const dm = await replyOf(t.app, s.agent, result.private?.id ?? '');
    expect(dm.status).toBe('failed');
    expect(dm.failureReason).toMatch(/not permitted to send Direct Messages/);
    const health = await t.ctx.db.query<{ health: string }>('SELECT health FROM channel WHERE id = $1', [s.channel.channel.id]);
    expect(health[0].health).not.toBe('failing');

    const fallback = (await caseEvents(s.agent, s.stored.caseId)).find((e) => e.type === 'reply.private_fallback');
    expect(fallback?.data).toEqual(expect.objectContaining({ route: 'link', failedReplyId: dm.id, introductionShown: true }));
    const followUp = await replyOf(t.app, s.agent, String(fallback?.data.replyId));
    expect(followUp.text).toMatch(new RegExp(`^${refusedDmFollowUp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} https://care\\.acme\\.example/p/[a-z]{52}$`));
    expect(followUp.private).toBe(false);

    await testWorker(t.ctx, clock).runOnce();
    const posted = await replyOf(t.app, s.agent, followUp.id);
    expect(posted.status).toBe('sent');
    expect(x.tweets.find((tw) => tw.id === posted.externalId)).toEqual(expect.objectContaining({ inReplyTo: s.tweetId, text: followUp.text }));
    const url = followUp.text.split(' ').at(-1) ?? '';
    const page = await t.app.inject({ url: pathOf(url) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(privateText);
  });

  it('falls back to email when the customer has a known address, and posts nothing more in public', async () => {
    const s = await xCase();
    await createSendChannel(t.ctx, s.workspace.id, 'email', smtpConfig(), smtpCredentials);
    await addEmail(s.agent, s.stored.caseId, 'bill.payer@customer.example');
    const result = moved(await move(s.agent, s.stored.caseId, {
      via: 'dm', acknowledgement: 'Sorry about the bill — we have messaged you.', privateText: 'We are sorry about the bill; can you confirm the account holder?',
    }));
    refuseDms(s.participant);
    const tweetsBefore = x.tweets.length;
    await testWorker(t.ctx, clock).runOnce();
    expect((await replyOf(t.app, s.agent, result.private?.id ?? '')).status).toBe('failed');
    const fallback = (await caseEvents(s.agent, s.stored.caseId)).find((e) => e.type === 'reply.private_fallback');
    expect(fallback?.data).toEqual(expect.objectContaining({ route: 'email', failedReplyId: result.private?.id }));
    await testWorker(t.ctx, clock).runOnce();
    const email = await replyOf(t.app, s.agent, String(fallback?.data.replyId));
    expect(email).toEqual(expect.objectContaining({ status: 'sent', private: true, channel: expect.objectContaining({ kind: 'email' }) }));
    const mail = smtp.messages.find((m) => m.messageId === `<reply-${email.id}@acme.example>`);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe('bill.payer@customer.example');
    // Only the acknowledgement went out in public.
    expect((await replyOf(t.app, s.agent, result.public.id)).status).toBe('sent');
    expect(x.tweets.length - tweetsBefore).toBe(1);
  });
});

describe('bad move-private requests', () => {
  async function expectRefused(res: LightMyRequestResponse, path: string, message: RegExp): Promise<void> {
    expect(res.statusCode, res.body).toBe(422);
    const { error } = res.json<{ error: { code: string; message: string; details: { path: string }[] } }>();
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(message);
    expect(error.details.map((d) => d.path)).toContain(path);
  }

  it('says why no private route is possible, and refuses unknown routes and personal data where the public can see it', async () => {
    const s = await blueskyCase();
    const body = { privateText: 'What is the order number?' };
    const none = await move(s.agent, s.stored.caseId, body);
    await expectRefused(none, 'via.link', /cannot move this conversation to private: bluesky has no direct messages.*no known email address.*no enabled web form/);
    await expectRefused(await move(s.agent, s.stored.caseId, { ...body, via: 'dm' }), 'via', /cannot move to private by dm: bluesky has no direct messages/);
    await expectRefused(await move(s.agent, s.stored.caseId, { ...body, via: 'email' }), 'via', /no known email address/);
    await expectRefused(await move(s.agent, s.stored.caseId, { ...body, via: 'pigeon' }), 'via', /via/);
    await expectRefused(await move(s.agent, s.stored.caseId, { via: 'link' }), 'privateText', /privateText/);

    await webform(s.workspace.id);
    await expectRefused(
      await move(s.agent, s.stored.caseId, { privateText: 'We refunded order #AB-99812 to tom@example.com.' }),
      'privateText',
      /shown to whoever opens the link.*personal data/,
    );
    await expectRefused(await move(s.agent, s.stored.caseId, { ...body, acknowledgement: 'Call us on 020 7946 0991' }), 'text', /personal data \(phone\)/);
    expect(await t.ctx.db.query('SELECT 1 FROM reply WHERE case_id = $1', [s.stored.caseId])).toHaveLength(0);
    expect(await t.ctx.db.query('SELECT 1 FROM private_link WHERE case_id = $1', [s.stored.caseId])).toHaveLength(0);

    expect((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${s.stored.caseId}/move-private`, headers: json, payload: body })).statusCode).toBe(401);
    const other = await createWorkspaceWithUsers(t.ctx, ['agent']);
    expect((await move(other.users[0].token, s.stored.caseId, body)).statusCode).toBe(404);
    expect((await move(s.agent, '00000000-0000-4000-8000-000000000000', body)).statusCode).toBe(404);

    const mailbox = await createSendChannel(t.ctx, s.workspace.id, 'email', smtpConfig(), smtpCredentials);
    const mailed = await ingestOne(t.app, mailbox, messageOf({ externalId: `<m-${n}@customer.example>`, author: { externalId: `mail${n}@customer.example` } }));
    await expectRefused(await move(s.agent, mailed.caseId, body), 'caseId', /already private/);
  });

  it('a held acknowledgement keeps the link unpublished until a supervisor approves it', async () => {
    const s = await blueskyCase();
    await webform(s.workspace.id);
    const result = moved(await move(s.agent, s.stored.caseId, { acknowledgement: 'Sorry — we know compensation matters here.', privateText: 'Tell us more here.' }));
    expect(result.public.status).toBe('held');
    await testWorker(t.ctx, clock).runOnce();
    expect([...pds.created.values()].some((r) => String(r.value.text).includes(result.link?.url ?? '-'))).toBe(false);
    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/replies/${result.public.id}/approve`, headers: { ...bearer(s.supervisor), ...json }, payload: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    await testWorker(t.ctx, clock).runOnce();
    const sent: ReplyView = await replyOf(t.app, s.agent, result.public.id);
    expect(sent.status).toBe('sent');
    expect(String(pds.created.get(sent.externalId ?? '')?.value.text)).toContain(result.link?.url ?? '-');
  });
});
