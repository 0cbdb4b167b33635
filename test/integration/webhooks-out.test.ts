import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { testDatabaseKind } from '../support/database.ts';
import { startWebhookReceiver } from '../fakes/webhook-receiver.fake.ts';
import type { WebhookReceiver } from '../fakes/webhook-receiver.fake.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createWebhookWorker } from '../../src/features/webhooks-out/index.ts';
import type { WebhookWorker, WebhookWorkerOptions } from '../../src/features/webhooks-out/index.ts';
import { startBackgroundWork } from '../../src/cli/commands/work.command.ts';

const clock = fixedClock(new Date('2026-04-01T09:00:00Z'));
const secret = 'whsec_a-test-secret-that-is-long-enough';
let t: TestApp;
let receiver: WebhookReceiver;
beforeAll(async () => {
  t = await createTestApp({ clock });
  receiver = await startWebhookReceiver({ secret, now: () => clock.now() });
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

function worker(options: Partial<WebhookWorkerOptions> = {}): WebhookWorker {
  // random 0.5: each back-off is 3/4 of its ceiling (10 s → 7.5 s, 20 s → 15 s, …).
  return createWebhookWorker({ db: t.ctx.db, secretKey: t.ctx.secretKey, logger: t.ctx.logger, clock, allowPrivate: true, random: () => 0.5, ...options });
}

/** A workspace of its own per test (a subscription hears every event of its workspace); users are slow to make. */
async function setup(roles: ('admin' | 'supervisor' | 'agent')[] = ['admin']) {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, roles);
  const [admin, supervisor, agent] = users.map((u) => u.token);
  const channel = await createTestChannel(t.ctx, workspace.id, 'api');
  let n = 0;
  const newCase = async () => {
    n += 1;
    const res = await postMessages(t.app, channel, messageOf({ externalId: `m-${workspace.id}-${n}`, author: { externalId: `a-${n}` } }));
    expect(res.statusCode).toBe(201);
    return res.json().data.caseId as string;
  };
  const subscribe = async (body: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/webhook-subscriptions', headers: bearer(admin), payload: { secret, ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { subscription: { id: string }; secret: string };
  };
  const subscription = async (id: string) => (await t.app.inject({ url: `/api/v1/webhook-subscriptions/${id}`, headers: bearer(admin) })).json().data;
  const deliveries = async (id: string) => (await t.app.inject({ url: `/api/v1/webhook-subscriptions/${id}/deliveries`, headers: bearer(admin) })).json().data;
  return { workspace, admin, supervisor, agent, newCase, subscribe, subscription, deliveries };
}

describe(`outbound webhooks (${testDatabaseKind})`, () => {
  it('are managed by admins only; the secret is shown once; another workspace gets 404', async () => {
    const s = await setup(['admin', 'supervisor', 'agent']);
    for (const token of [s.agent, s.supervisor]) {
      expect((await t.app.inject({ url: '/api/v1/webhook-subscriptions', headers: bearer(token) })).statusCode).toBe(403);
      const post = await t.app.inject({ method: 'POST', url: '/api/v1/webhook-subscriptions', headers: bearer(token), payload: { url: receiver.url, eventTypes: ['case.*'] } });
      expect(post.statusCode).toBe(403);
    }
    expect((await t.app.inject({ url: '/api/v1/webhook-subscriptions' })).statusCode).toBe(401);

    const generated = await t.app.inject({ method: 'POST', url: '/api/v1/webhook-subscriptions', headers: bearer(s.admin), payload: { url: receiver.url, eventTypes: ['case.created', 'alert.*'] } });
    expect(generated.statusCode, generated.body).toBe(201);
    const { subscription, secret: shown } = generated.json().data;
    expect(shown).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(subscription).toMatchObject({ url: receiver.url, eventTypes: ['case.created', 'alert.*'], enabled: true, consecutiveFailures: 0 });
    const read = await t.app.inject({ url: `/api/v1/webhook-subscriptions/${subscription.id}`, headers: bearer(s.admin) });
    expect(read.body).not.toContain(shown);
    expect(read.json().data).not.toHaveProperty('secret');

    const other = await setup();
    for (const [method, url] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['GET', '/deliveries'], ['POST', '/secret']] as const) {
      const res = await t.app.inject({ method, url: `/api/v1/webhook-subscriptions/${subscription.id}${url}`, headers: bearer(other.admin), payload: method === 'PATCH' ? { enabled: false } : method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await t.app.inject({ url: '/api/v1/webhook-subscriptions', headers: bearer(other.admin) })).json().data).toEqual([]);

    for (const payload of [
      { url: 'ftp://example.com/x', eventTypes: ['case.*'] },
      { url: 'https://user:pw@example.com/x', eventTypes: ['case.*'] },
      { url: receiver.url, eventTypes: ['reply.sent'] },
      { url: receiver.url, eventTypes: [] },
      { url: receiver.url, eventTypes: ['case.*'], secret: 'short' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/webhook-subscriptions', headers: bearer(s.admin), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
    }
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/webhook-subscriptions/${subscription.id}`, headers: bearer(s.admin) })).statusCode).toBe(204);
  });

  it('refuses private and loopback targets when the server does not allow them', async () => {
    const s = await setup();
    t.ctx.config.webhookAllowPrivate = false;
    try {
      for (const url of [receiver.url, 'http://localhost:8080/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://10.0.0.8/x']) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/webhook-subscriptions', headers: bearer(s.admin), payload: { url, eventTypes: ['case.*'] } });
        expect(res.statusCode, url).toBe(422);
        expect(res.json().error.message).toMatch(/private or loopback/);
      }
    } finally {
      t.ctx.config.webhookAllowPrivate = true;
    }
    // A subscription made while private targets were allowed is still refused at delivery by a worker that does not.
    const { subscription } = await s.subscribe({ url: receiver.url, eventTypes: ['case.created'] });
    await s.newCase();
    const before = receiver.received.length;
    expect((await worker({ allowPrivate: false }).runOnce()).attempted).toBeGreaterThanOrEqual(1);
    expect(receiver.received.length).toBe(before);
    const [delivery] = await s.deliveries(subscription.id);
    expect(delivery).toMatchObject({ state: 'failed', attempts: 1, lastStatus: null });
    expect(delivery.lastError).toMatch(/private or loopback/);
  });

  it('delivers matching events once, signed over the raw body with a timestamp, from the moment of subscribing', async () => {
    const s = await setup();
    const earlier = await s.newCase();
    const { subscription } = await s.subscribe({ url: receiver.url, eventTypes: ['case.*'] });
    const caseId = await s.newCase();
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, headers: bearer(s.admin), payload: { status: 'resolved' } });
    expect(patched.statusCode).toBe(200);
    const before = receiver.received.length;

    const pass = await worker().runOnce();
    const got = receiver.received.slice(before);
    // The case's own event types, read back from its timeline: message.received is not a case event.
    const detail = (await t.app.inject({ url: `/api/v1/cases/${caseId}`, headers: bearer(s.admin) })).json().data;
    const expected = detail.events.filter((e: { type: string }) => e.type.startsWith('case.')).map((e: { type: string; seq: number }) => [e.type, e.seq]);
    expect(expected.map((e: [string, number]) => e[0])).toEqual(expect.arrayContaining(['case.created', 'case.status_changed']));
    expect(pass).toEqual({ queued: expected.length, attempted: expected.length });
    expect(got.map((r) => [r.body.event.type, r.body.event.seq]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual(expected);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(got.some((r) => r.body.event.caseId === earlier)).toBe(false);
    const created = got.find((r) => r.body.event.type === 'case.created');
    expect(created?.body).toMatchObject({ workspaceId: s.workspace.id, event: { caseId } });
    expect(created?.headers['parley-webhook-event']).toBe('case.created');
    expect(created?.headers['parley-webhook-id']).toBe(created?.body.id);
    expect(created?.headers['parley-webhook-timestamp']).toBe(String(Math.floor(clock.now().getTime() / 1000)));
    expect(created?.headers['content-type']).toBe('application/json');

    expect(await worker().runOnce()).toEqual({ queued: 0, attempted: 0 });
    const list = await s.deliveries(subscription.id);
    expect(list.map((d: { state: string; attempts: number; lastStatus: number }) => [d.state, d.attempts, d.lastStatus])).toEqual(expected.map(() => ['delivered', 1, 200]));
    expect((await s.subscription(subscription.id)).lastSuccessAt).toBe(clock.now().toISOString());
  });

  it('carries alert events to subscriptions that ask for them', async () => {
    const s = await setup();
    await s.subscribe({ url: receiver.url, eventTypes: ['alert.*'] });
    await s.newCase();
    // An alert as the alerts feature records it: an event in the append-only table.
    await t.ctx.db.query(`INSERT INTO event (workspace_id, type, data) VALUES ($1, 'alert.raised', $2)`, [s.workspace.id, JSON.stringify({ kind: 'spike', topic: 'outage' })]);
    const before = receiver.received.length;
    await worker().runOnce();
    const got = receiver.received.slice(before);
    expect(got.map((r) => [r.body.event.type, r.body.event.data])).toEqual([['alert.raised', { kind: 'spike', topic: 'outage' }]]);
    expect(got[0].verified).toBe(true);
  });

  it('retries network errors, 5xx and 429 with exponential back-off, resending the same body freshly signed', async () => {
    const s = await setup();
    const { subscription } = await s.subscribe({ url: receiver.url, eventTypes: ['case.created'] });
    await s.newCase();
    receiver.respondWith(500, 503, { status: 429, headers: { 'retry-after': '120' } });
    const before = receiver.received.length;
    const w = worker();

    expect((await w.runOnce()).attempted).toBe(1);
    let [d] = await s.deliveries(subscription.id);
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500, nextAttemptAt: new Date(clock.now().getTime() + 7_500).toISOString() });
    expect((await w.runOnce()).attempted).toBe(0);
    clock.advance(7_500);
    expect((await w.runOnce()).attempted).toBe(1);
    [d] = await s.deliveries(subscription.id);
    expect(d).toMatchObject({ state: 'pending', attempts: 2, lastStatus: 503, nextAttemptAt: new Date(clock.now().getTime() + 15_000).toISOString() });
    clock.advance(15_000);
    expect((await w.runOnce()).attempted).toBe(1);
    // 429 with Retry-After: 120 s, longer than the 30 s the back-off alone would wait.
    [d] = await s.deliveries(subscription.id);
    expect(d).toMatchObject({ state: 'pending', attempts: 3, lastStatus: 429, nextAttemptAt: new Date(clock.now().getTime() + 120_000).toISOString() });
    clock.advance(60_000);
    expect((await w.runOnce()).attempted).toBe(0);
    clock.advance(60_000);
    expect((await w.runOnce()).attempted).toBe(1);
    [d] = await s.deliveries(subscription.id);
    expect(d).toMatchObject({ state: 'delivered', attempts: 4, lastStatus: 200 });

    const got = receiver.received.slice(before);
    expect(got.map((r) => r.status)).toEqual([500, 503, 429, 200]);
    expect(new Set(got.map((r) => r.rawBody)).size).toBe(1);
    expect(new Set(got.map((r) => r.headers['parley-webhook-timestamp'])).size).toBe(4);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(await s.subscription(subscription.id)).toMatchObject({ enabled: true, consecutiveFailures: 0, lastError: null });
  });

  it('retries a refused connection, fails other 4xx at once', async () => {
    const s = await setup();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await s.subscribe({ url: `http://127.0.0.1:${port}/gone`, eventTypes: ['case.created'] });
    const gone = await s.subscribe({ url: receiver.url, eventTypes: ['case.created'] });
    receiver.respondWith(410);
    await s.newCase();
    await worker().runOnce();
    const [refused] = await s.deliveries(down.subscription.id);
    expect(refused).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    expect(refused.lastError).toMatch(/ECONNREFUSED/);
    const [rejected] = await s.deliveries(gone.subscription.id);
    expect(rejected).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 410, lastError: 'HTTP 410', nextAttemptAt: null });
    // Leave no pending delivery behind for the tests that move the clock on.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/webhook-subscriptions/${down.subscription.id}`, headers: bearer(s.admin) })).statusCode).toBe(204);
  });

  it('disables a subscription after N consecutive failures with a visible reason, and resumes when re-enabled', async () => {
    const s = await setup();
    const { subscription } = await s.subscribe({ url: receiver.url, eventTypes: ['case.created'] });
    const w = worker({ maxConsecutiveFailures: 3 });
    await s.newCase();
    await s.newCase();
    receiver.respondWith(500, 500, 500, 500);
    expect((await w.runOnce()).attempted).toBe(2);
    expect(await s.subscription(subscription.id)).toMatchObject({ enabled: true, consecutiveFailures: 2 });
    clock.advance(8_000);
    expect((await w.runOnce()).attempted).toBe(2);
    const disabled = await s.subscription(subscription.id);
    expect(disabled).toMatchObject({ enabled: false, disabledAt: clock.now().toISOString(), consecutiveFailures: 4 });
    expect(disabled.disabledReason).toBe('disabled after 3 consecutive failed deliveries; last: HTTP 500');

    // While disabled nothing is sent and new events are not queued.
    await s.newCase();
    clock.advance(3_600_000);
    expect(await w.runOnce()).toEqual({ queued: 0, attempted: 0 });

    const enabled = await t.app.inject({ method: 'PATCH', url: `/api/v1/webhook-subscriptions/${subscription.id}`, headers: bearer(s.admin), payload: { enabled: true } });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().data).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    const before = receiver.received.length;
    expect(await w.runOnce()).toEqual({ queued: 0, attempted: 2 });
    expect(receiver.received.slice(before).map((r) => [r.status, r.verified])).toEqual([[200, true], [200, true]]);
    const states = (await s.deliveries(subscription.id)).map((d: { state: string }) => d.state);
    expect(states).toEqual(['delivered', 'delivered']);
  });

  it('signs with a new secret from the moment it is replaced', async () => {
    const s = await setup();
    const { subscription } = await s.subscribe({ url: receiver.url, eventTypes: ['case.created'] });
    const rotated = await t.app.inject({ method: 'POST', url: `/api/v1/webhook-subscriptions/${subscription.id}/secret`, headers: bearer(s.admin), payload: {} });
    expect(rotated.statusCode).toBe(200);
    const next: string = rotated.json().data.secret;
    expect(next).not.toBe(secret);
    await s.newCase();
    const before = receiver.received.length;
    receiver.setSecret(next);
    try {
      await worker().runOnce();
    } finally {
      receiver.setSecret(secret);
    }
    expect(receiver.received.slice(before).map((r) => r.verified)).toEqual([true]);
  });

  it('is run by the background work of `parley work` and `parley start`', async () => {
    const s = await setup();
    await s.subscribe({ url: receiver.url, eventTypes: ['case.created'] });
    const caseId = await s.newCase();
    const work = startBackgroundWork(t.ctx);
    try {
      const deadline = Date.now() + 15_000;
      while (!receiver.received.some((r) => r.body.event.caseId === caseId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await work.stop();
    }
    const got = receiver.received.filter((r) => r.body.event.caseId === caseId);
    expect(got.map((r) => [r.body.event.type, r.verified])).toEqual([['case.created', true]]);
  });
});
