import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { listEventsAfter } from '../../src/features/events/index.ts';
import { runSpikeDetectionOnce } from '../../src/features/alerts/index.ts';
import type { AlertView, EngagementRecommendation } from '../../src/features/alerts/index.ts';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp, TestUser } from '../support/app.ts';

const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PUT', url: string, user: TestUser | null, body?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { ...(user ? bearer(user.token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function alerts(user: TestUser, query = ''): Promise<{ data: AlertView[]; nextCursor: string | null }> {
  const res = await call('GET', `/api/v1/alerts${query}`, user);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

function at(time: string): string {
  return new Date(`2026-03-02T${time}Z`).toISOString();
}

function runSpikes() {
  return runSpikeDetectionOnce({ db: t.ctx.db, clock, logger: t.ctx.logger, notifier: t.ctx.notifier }, { settleSeconds: 0 });
}

describe('engagement recommendation', () => {
  it('is stored on every inbound message, with reasons, and shown in the ingest response and the case timeline', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor']);
    const [agent, supervisor] = users;
    for (const [name, tag, query] of [['Acme', 'brand', 'acme'], ['Globex', 'competitor', 'globex']]) {
      expect((await call('POST', '/api/v1/rules', supervisor, { name, tag, query })).statusCode).toBe(201);
    }
    const listening = await createTestChannel(t.ctx, workspace.id, 'x', false);
    const owned = await createTestChannel(t.ctx, workspace.id, 'x', true);
    const send = async (channel: typeof owned, externalId: string, text: string, author: string, extra: Record<string, unknown> = {}) => {
      const res = await postMessages(t.app, channel, messageOf({ externalId, text, author: { externalId: author, handle: author }, sentAt: at('09:00:00'), ...extra }));
      expect(res.statusCode, res.body).toBe(201);
      return res.json().data as { messageId: string; caseId: string | null; recommendation: EngagementRecommendation };
    };

    const complaint = await send(listening, 'r1', 'acme internet down again, no fix since Monday', 'ana');
    expect(complaint.recommendation).toMatchObject({ action: 'engage', signals: ['customer_problem'] });
    expect(complaint.recommendation.reasons[0]).toEqual({ code: 'customer_problem', weight: 2, text: 'a customer with a problem' });
    expect((await send(listening, 'r2', 'globex lost my parcel again, useless', 'bo')).recommendation)
      .toMatchObject({ action: 'ignore', signals: ['customer_problem', 'not_about_brand'] });
    expect((await send(listening, 'r3', 'lol my cat just unplugged the acme router 😂', 'cy')).recommendation)
      .toMatchObject({ action: 'ignore', signals: ['joke'] });
    expect((await send(owned, 'r4', 'How do I change my plan?', 'dee')).recommendation)
      .toMatchObject({ action: 'engage', signals: ['addressed_to_brand', 'question'] });

    // Someone else answers a question: the question's recommendation drops to monitor, with the reason.
    const question = await send(listening, 'r5', '@user how do I reset my acme router password?', 'eve');
    expect(question.recommendation.action).toBe('engage');
    await send(listening, 'r6', 'Restart the acme router and hold the reset button for 10 seconds, that fixed it for me', 'fred', { replyToExternalId: 'r5' });
    const detail = await call('GET', `/api/v1/cases/${question.caseId}`, agent);
    expect(detail.statusCode).toBe(200);
    const timeline: { id: string; recommendation: EngagementRecommendation | null }[] = detail.json().data.timeline;
    const asked = timeline.find((m) => m.id === question.messageId);
    expect(asked?.recommendation).toMatchObject({ action: 'monitor', signals: ['question', 'answered_by_other'] });
    expect(asked?.recommendation?.reasons.map((r) => r.code)).toEqual(['answered_by_other', 'question']);
  });
});

describe('viral risk', () => {
  it('alerts once on a complaint by an account with a huge reach, live through the event stream', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const [agent] = users;
    const x = await createTestChannel(t.ctx, workspace.id, 'x', true);
    await postMessages(t.app, x, messageOf({ externalId: 'small', author: { externalId: 'small', followerCount: 300 }, sentAt: at('09:00:00') }));

    // A real SSE subscriber, connected before the alert.
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const stream = await fetch(`${url}/api/v1/events`, { headers: bearer(agent.token), signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body?.getReader();
    if (!reader) throw new Error('no event stream body');

    const star = messageOf({ externalId: 'star', text: 'My internet has been down for three days and nobody answers', author: { externalId: 'star', handle: 'celebrity', followerCount: 2_000_000 }, sentAt: at('09:05:00') });
    const first = await postMessages(t.app, x, star);
    expect(first.statusCode).toBe(201);
    let received = '';
    const decoder = new TextDecoder();
    while (!received.includes('event: alert.raised')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      received += decoder.decode(chunk.value);
    }
    controller.abort();
    expect(received).toContain('event: alert.raised');

    expect((await postMessages(t.app, x, star)).json().data.status).toBe('duplicate');
    const list = await alerts(agent, '?kind=viral_risk');
    expect(list.data).toHaveLength(1);
    const alert = list.data[0];
    expect(alert).toMatchObject({
      kind: 'viral_risk', status: 'open', active: true, messageId: first.json().data.messageId, caseId: first.json().data.caseId,
      details: expect.objectContaining({ followers: 2_000_000, followerAudience: 200_000, threshold: 50 }),
    });
    expect(alert.score).toBeCloseTo(57.5, 1);
    expect(alert.title).toContain('@celebrity');
    expect(alert.examples.map((e) => e.messageId)).toEqual([alert.messageId]);
    const events = await listEventsAfter(t.ctx.db, workspace.id, 0, 1000);
    expect(events.filter((e) => e.type === 'alert.raised').map((e) => e.data.alertId)).toEqual([alert.id]);
  });

  it('rises with engagement velocity from snapshots, alerts once per post, and never moves anyone in the fair queue', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const [agent] = users;
    const x = await createTestChannel(t.ctx, workspace.id, 'x', true);
    const phone = await createTestChannel(t.ctx, workspace.id, 'phone', true);
    const texts = ['thanks, all good now', 'my bill is wrong, I was overcharged again', 'no service for a week, my elderly mother needs the phone', 'how do I change my plan?'];
    for (const [i, text] of texts.entries()) {
      await postMessages(t.app, phone, messageOf({ externalId: `call-${i}`, text, author: { externalId: `+4477009001${i}` }, sentAt: at(`09:1${i}:00`) }));
    }
    const post = await postMessages(t.app, x, messageOf({
      externalId: 'rising', text: 'Acme charged me twice and support hung up on me', author: { externalId: 'rising', handle: 'smallish', followerCount: 3_000 }, sentAt: at('09:30:00'),
    }));
    expect(post.statusCode).toBe(201);
    const queueBefore = (await call('GET', '/api/v1/queue?limit=200', agent)).json();
    expect(queueBefore.data).toHaveLength(5);

    const snapshot = (body: unknown, token = x.token, channelId = x.channel.id) => t.app.inject({
      method: 'POST', url: `/api/v1/channels/${channelId}/engagement`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(body),
    });
    const slow = await snapshot({ externalId: 'rising', observedAt: at('09:30:30'), reposts: 2, likes: 10 });
    expect(slow.statusCode).toBe(200);
    expect(slow.json().data).toMatchObject({ status: 'recorded', alertId: null });
    expect(slow.json().data.risk.score).toBeLessThan(50);

    const batch = await snapshot({ snapshots: [
      { externalId: 'rising', observedAt: at('09:31:30'), reposts: 90, quotes: 10, replies: 40, likes: 500 },
      { externalId: 'rising', observedAt: at('09:32:30'), reposts: 300, quotes: 30, replies: 90, likes: 2000 },
      { externalId: 'rising', observedAt: at('09:32:30'), reposts: 300 },
      { externalId: 'nobody-posted-this', reposts: 5 },
    ] });
    expect(batch.statusCode).toBe(200);
    const [fast, faster, again, unknown] = batch.json().data;
    expect(fast.status).toBe('recorded');
    expect(fast.risk.score).toBeGreaterThanOrEqual(50);
    expect(fast.alertId).toEqual(expect.any(String));
    expect(faster).toMatchObject({ status: 'recorded', alertId: null });
    expect(faster.risk.velocityPerMinute).toBeGreaterThan(fast.risk.velocityPerMinute);
    expect(again).toMatchObject({ status: 'duplicate', alertId: null });
    expect(unknown).toMatchObject({ status: 'unknown_post', messageId: null });

    const raised = await alerts(agent, '?kind=viral_risk');
    expect(raised.data.map((a) => a.id)).toEqual([fast.alertId]);
    expect(raised.data[0].details).toMatchObject({ followers: 3_000 });
    const ack = await call('POST', `/api/v1/alerts/${fast.alertId}/ack`, agent);
    expect(ack.statusCode).toBe(200);

    // The alert went to the communications team; the queue is exactly what it was.
    const queueAfter = (await call('GET', '/api/v1/queue?limit=200', agent)).json();
    expect(queueAfter).toEqual(queueBefore);
  });

  it('refuses snapshots without the channel token, with another channel’s token, or malformed', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const x = await createTestChannel(t.ctx, workspace.id, 'x', true);
    const other = await createTestChannel(t.ctx, workspace.id, 'x', true);
    const send = (headers: Record<string, string>, body: unknown, channelId = x.channel.id) => t.app.inject({
      method: 'POST', url: `/api/v1/channels/${channelId}/engagement`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body),
    });
    const good = { externalId: 'p', reposts: 1 };
    expect((await send({}, good)).statusCode).toBe(401);
    expect((await send(bearer('pch_nope'), good)).statusCode).toBe(401);
    expect((await send(bearer(other.token), good)).statusCode).toBe(403);
    expect((await send(bearer(x.token), good, 'not-a-uuid')).statusCode).toBe(404);
    const negative = await send(bearer(x.token), { externalId: 'p', reposts: -1 });
    expect(negative.statusCode).toBe(422);
    expect(negative.json().error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('reposts') });
    expect((await send(bearer(x.token), { externalId: 'p', views: 3 })).statusCode).toBe(422);
    expect((await send(bearer(x.token), { snapshots: [] })).statusCode).toBe(422);
  });
});

describe('complaint spikes through the background job', () => {
  let agent: TestUser;
  let supervisor: TestUser;
  let stranger: TestUser;
  let topicAlert: AlertView;
  let channelAlert: AlertView;
  let workspaceId: string;
  const burstIds: string[] = [];
  const templates = ['I was charged twice on my bill this month, fix it', 'Why is my bill so high? I was overcharged again', 'billing charged me twice again, still no refund'];

  beforeAll(async () => {
    const ws = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor']);
    [agent, supervisor] = ws.users;
    workspaceId = ws.workspace.id;
    stranger = (await createWorkspaceWithUsers(t.ctx, ['admin'])).users[0];
    const channel = await createTestChannel(t.ctx, ws.workspace.id, 'email', true);
    const messages = [];
    // Two and a half hours of ordinary billing complaints, one every six minutes…
    for (let i = 0; i < 25; i += 1) {
      messages.push(messageOf({ externalId: `bg-${i}`, text: templates[i % 3], author: { externalId: `bg-${i}@example.com` }, sentAt: new Date(Date.parse(at('07:30:00')) + i * 360_000).toISOString() }));
    }
    // …then twelve in one minute.
    for (let i = 0; i < 12; i += 1) {
      messages.push(messageOf({ externalId: `burst-${i}`, text: templates[i % 3], author: { externalId: `burst-${i}@example.com` }, sentAt: new Date(Date.parse(at('09:59:00')) + i * 5_000).toISOString() }));
    }
    const res = await postMessages(t.app, channel, { messages });
    expect(res.statusCode).toBe(200);
    for (const outcome of res.json().data.slice(25)) burstIds.push(outcome.messageId);
  });

  it('raises one alert per spiking series with example posts, once, and ends it when the rate is back', async () => {
    const first = await runSpikes();
    expect(first.raised).toBeGreaterThanOrEqual(2);
    const topics = await alerts(agent, '?kind=spike&dimension=topic');
    expect(topics.data).toHaveLength(1);
    topicAlert = topics.data[0];
    expect(topicAlert).toMatchObject({ kind: 'spike', dimension: 'topic', seriesKey: 'billing', status: 'open', active: true, endedAt: null, messageId: null });
    expect(topicAlert.title).toContain('billing');
    expect(topicAlert.examples).toHaveLength(5);
    for (const example of topicAlert.examples) expect(burstIds).toContain(example.messageId);
    expect(topicAlert.details).toMatchObject({ windowSeconds: 60, count: expect.any(Number) });
    expect(Number(topicAlert.details.count)).toBeGreaterThanOrEqual(8);
    expect(Date.parse(topicAlert.raisedAt)).toBeLessThanOrEqual(Date.parse(at('10:00:00')));

    const channels = await alerts(agent, '?kind=spike&dimension=channel');
    expect(channels.data).toHaveLength(1);
    channelAlert = channels.data[0];
    expect(channelAlert.details.relatedAlertId).toBe(topicAlert.id);

    const raisedEvents = (await listEventsAfter(t.ctx.db, workspaceId, 0, 1000)).filter((e) => e.type === 'alert.raised');
    expect(raisedEvents.map((e) => e.data.alertId).sort()).toEqual([topicAlert.id, channelAlert.id].sort());
    // Nothing new: the same spike is not raised again.
    expect((await runSpikes()).raised).toBe(0);

    clock.advance(30 * 60_000);
    const later = await runSpikes();
    expect(later.ended).toBeGreaterThanOrEqual(2);
    const ended = await alerts(agent, '?kind=spike&active=false');
    expect(ended.data.map((a) => a.id).sort()).toEqual([topicAlert.id, channelAlert.id].sort());
    expect(ended.data.every((a) => a.endedAt !== null && a.details.endReason === 'baseline')).toBe(true);
    const endedEvents = (await listEventsAfter(t.ctx.db, workspaceId, 0, 1000)).filter((e) => e.type === 'alert.ended');
    expect(endedEvents).toHaveLength(2);
    expect((await alerts(agent, '?kind=spike&active=true')).data).toEqual([]);
  });

  it('pages newest first with a cursor, filters, and refuses bad queries', async () => {
    const all = await alerts(agent, '?kind=spike');
    expect(all.data).toHaveLength(2);
    const page1 = await alerts(agent, '?kind=spike&limit=1');
    expect(page1.data).toHaveLength(1);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await alerts(agent, `?kind=spike&limit=1&cursor=${page1.nextCursor}`);
    expect(page2.nextCursor).toBeNull();
    expect([...page1.data, ...page2.data].map((a) => a.id)).toEqual(all.data.map((a) => a.id));
    expect(Date.parse(all.data[0].raisedAt)).toBeGreaterThanOrEqual(Date.parse(all.data[1].raisedAt));

    expect((await alerts(agent, `?since=${encodeURIComponent(at('11:00:00'))}`)).data).toEqual([]);
    expect((await alerts(agent, `?until=${encodeURIComponent(at('11:00:00'))}&kind=spike`)).data).toHaveLength(2);
    expect((await alerts(stranger, '')).data).toEqual([]);

    for (const bad of ['?cursor=nonsense', '?kind=storm', '?limit=0', '?active=yes', '?since=yesterday', `?since=${at('11:00:00')}&until=${at('10:00:00')}`, '?colour=red']) {
      const res = await call('GET', `/api/v1/alerts${bad}`, agent);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
    }
    expect((await call('GET', '/api/v1/alerts', null)).statusCode).toBe(401);
    expect((await call('GET', `/api/v1/alerts/${topicAlert.id}`, agent)).json().data.id).toBe(topicAlert.id);
    expect((await call('GET', `/api/v1/alerts/${topicAlert.id}`, stranger)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/alerts/not-an-id', agent)).statusCode).toBe(404);
  });

  it('is acknowledged once, by whoever does it first; a second acknowledgement changes nothing', async () => {
    const url = `/api/v1/alerts/${topicAlert.id}/ack`;
    expect((await call('POST', url, stranger)).statusCode).toBe(404);
    expect((await call('POST', url, null)).statusCode).toBe(401);
    expect((await call('POST', url, agent, { note: '' })).statusCode).toBe(422);
    expect((await call('POST', url, agent, { reason: 'x' })).statusCode).toBe(422);
    expect((await call('POST', '/api/v1/alerts/00000000-0000-4000-8000-000000000000/ack', agent)).statusCode).toBe(404);

    const first = await call('POST', url, agent, { note: 'billing team is on it' });
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toMatchObject({ status: 'acknowledged', acknowledgedBy: agent.user.id });
    const second = await call('POST', url, supervisor);
    expect(second.statusCode).toBe(200);
    expect(second.json().data).toMatchObject({ acknowledgedBy: agent.user.id, acknowledgedAt: first.json().data.acknowledgedAt });

    expect((await alerts(agent, '?status=acknowledged')).data.map((a) => a.id)).toEqual([topicAlert.id]);
    expect((await alerts(agent, '?status=open&kind=spike')).data.map((a) => a.id)).toEqual([channelAlert.id]);
  });
});

describe('alert policy', () => {
  it('is read by anyone, replaced by supervisors, validated, and applies to what comes next', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor']);
    const [agent, supervisor] = users;
    const defaults = await call('GET', '/api/v1/alert-policy', agent);
    expect(defaults.statusCode).toBe(200);
    expect(defaults.json().data.viral.threshold).toBe(50);

    expect((await call('PUT', '/api/v1/alert-policy', agent, {})).statusCode).toBe(403);
    const invalid = await call('PUT', '/api/v1/alert-policy', supervisor, { viral: { threshold: 500 } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error.details[0].path).toBe('viral.threshold');
    expect((await call('PUT', '/api/v1/alert-policy', supervisor, { engagement: { engageAt: -2, ignoreAt: 0 } })).statusCode).toBe(422);

    const put = await call('PUT', '/api/v1/alert-policy', supervisor, { viral: { threshold: 80 }, engagement: { weights: { customer_problem: 0 } } });
    expect(put.statusCode).toBe(200);
    expect(put.json().data).toMatchObject({ viral: { threshold: 80, horizonMinutes: 60 }, engagement: { weights: { customer_problem: 0, question: 1.5 } } });

    const x = await createTestChannel(t.ctx, workspace.id, 'x', false);
    const res = await postMessages(t.app, x, messageOf({
      externalId: 'vip', text: 'My internet has been down for three days and nobody answers', author: { externalId: 'vip', followerCount: 2_000_000 }, sentAt: at('09:00:00'),
    }));
    expect(res.json().data.recommendation).toMatchObject({ action: 'monitor', score: 0, reasons: [], signals: ['customer_problem'] });
    expect((await alerts(agent)).data).toEqual([]);
    const events = await listEventsAfter(t.ctx.db, workspace.id, 0);
    expect(events.filter((e) => e.type === 'policy.updated').map((e) => e.data)).toEqual([{ kind: 'alerts' }]);
  });
});
