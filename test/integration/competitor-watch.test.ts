import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { testDatabaseKind } from '../support/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Opportunity } from '../../src/features/competitor-watch/index.ts';
import type { ReplyView } from '../../src/features/replies/index.ts';

const clock = fixedClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

type Channel = Awaited<ReturnType<typeof createTestChannel>>;

describe(`competitor watch (${testDatabaseKind})`, () => {
  let agent: string;
  let supervisor: string;
  let admin: string;
  let otherAdmin: string;
  let listening: Channel;
  let owned: Channel;
  const messageIds: Record<string, string> = {};

  async function ingest(channel: Channel, externalId: string, text: string, handle: string, extra: Record<string, unknown> = {}) {
    clock.advance(60_000);
    const res = await postMessages(t.app, channel, messageOf({ externalId, text, author: { externalId: `id-${handle}`, handle }, ...extra }));
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json().data as { status: string; messageId: string | null; caseId: string | null };
  }

  beforeAll(async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor', 'admin']);
    [agent, supervisor, admin] = users.map((u) => u.token);
    otherAdmin = (await createWorkspaceWithUsers(t.ctx, ['admin'])).users[0].token;
    for (const [name, tag, query] of [['Acme', 'brand', 'acme'], ['Globex', 'competitor', 'globex']]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/rules', headers: bearer(admin), payload: { name, tag, query } });
      expect(res.statusCode, res.body).toBe(201);
    }
    listening = await createTestChannel(t.ctx, workspace.id, 'x', false);
    owned = await createTestChannel(t.ctx, workspace.id, 'x', true);
    const account = await t.app.inject({ method: 'POST', url: '/api/v1/competitor-watch/accounts', headers: bearer(admin), payload: { competitor: 'Globex', platform: 'x', handle: '@GlobexCare' } });
    expect(account.statusCode, account.body).toBe(201);

    const posts: [string, string, string][] = [
      ['o1', 'globex overcharged me on my bill', 'unhappy1'],
      ['o2', 'globex billing overcharged me again, refund please', 'Unhappy2'],
      ['o3', 'globex router broken again, worst support ever', 'unhappy3'],
      ['n1', 'globex is great, love it', 'fan1'],
      ['n2', 'acme overcharged me on my bill', 'ours1'],
      ['n3', 'globex here: so sorry your bill was wrong, we will refund you', 'GlobexCare'],
    ];
    for (const [id, text, handle] of posts) {
      const stored = await ingest(listening, id, text, handle);
      expect(stored.status).toBe('created');
      messageIds[id] = stored.messageId ?? '';
    }
  });

  async function opportunities(token = agent): Promise<Opportunity[]> {
    const res = await t.app.inject({ url: '/api/v1/competitor-watch/opportunities?from=2026-03-01', headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.opportunities;
  }

  function outreach(messageId: string, token: string, text = 'Sorry to hear that. Acme would be glad to help: DM us for a switching offer.') {
    return t.app.inject({ method: 'POST', url: `/api/v1/competitor-watch/opportunities/${messageId}/outreach`, headers: bearer(token), payload: { text } });
  }

  it("lists competitors' unhappy customers: competitor-rule complaints only, never the competitor's own account", async () => {
    const list = await opportunities();
    // The test's own reading of the fixture: a complaint (per the classifier) that names the competitor, by someone
    // who is not Globex's account.
    const expected = ['o1', 'o2', 'o3', 'n1', 'n2', 'n3'].filter((id) => {
      const text = { o1: 'globex overcharged me on my bill', o2: 'globex billing overcharged me again, refund please', o3: 'globex router broken again, worst support ever',
        n1: 'globex is great, love it', n2: 'acme overcharged me on my bill', n3: 'globex here: so sorry your bill was wrong, we will refund you' }[id] ?? '';
      return id !== 'n3' && text.includes('globex') && t.ctx.classifier.classify(text).complaint;
    });
    expect(expected).toEqual(['o1', 'o2', 'o3']);
    expect(t.ctx.classifier.classify('globex here: so sorry your bill was wrong, we will refund you').complaint).toBe(true);
    expect(list.map((o) => o.messageId)).toEqual(expected.map((id) => messageIds[id]).reverse());
    expect(list[0].competitorRules.map((r) => r.name)).toEqual(['Globex']);
    expect(list.every((o) => o.outreach === null)).toBe(true);
  });

  it('pages the list with a cursor', async () => {
    const first = await t.app.inject({ url: '/api/v1/competitor-watch/opportunities?from=2026-03-01&limit=2', headers: bearer(agent) });
    const page1 = first.json().data;
    expect(page1.opportunities).toHaveLength(2);
    const second = await t.app.inject({ url: `/api/v1/competitor-watch/opportunities?from=2026-03-01&limit=2&cursor=${page1.nextCursor}`, headers: bearer(agent) });
    expect(second.json().data.opportunities.map((o: Opportunity) => o.messageId)).toEqual([messageIds.o1]);
    expect(second.json().data.nextCursor).toBeNull();
    const bad = await t.app.inject({ url: '/api/v1/competitor-watch/opportunities?cursor=nonsense', headers: bearer(agent) });
    expect(bad.statusCode).toBe(400);
  });

  it('never contacts anyone automatically: an offer is a held reply, even when a supervisor writes it, until approved', async () => {
    const byAgent = await outreach(messageIds.o1, agent);
    expect(byAgent.statusCode, byAgent.body).toBe(201);
    const held: ReplyView = byAgent.json().data;
    expect(held.status).toBe('held');
    expect(held.holdReasons.map((r) => r.rule)).toContain('competitor_customer');

    const bySupervisor = await outreach(messageIds.o3, supervisor);
    expect(bySupervisor.statusCode, bySupervisor.body).toBe(201);
    expect(bySupervisor.json().data.status).toBe('held');

    const again = await outreach(messageIds.o1, supervisor);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already held/);

    const listed = (await opportunities()).find((o) => o.messageId === messageIds.o1);
    expect(listed?.outreach).toMatchObject({ replyId: held.id, status: 'held' });

    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/replies/${held.id}/approve`, headers: bearer(supervisor), payload: {} });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().data.status).toBe('queued');
    expect((await opportunities()).find((o) => o.messageId === messageIds.o1)?.outreach?.status).toBe('queued');
  });

  it('refuses outreach to what is not an opportunity, and to another workspace (404)', async () => {
    expect((await outreach(messageIds.n2, agent)).statusCode).toBe(404);
    expect((await outreach(messageIds.n3, agent)).statusCode).toBe(404);
    expect((await outreach(messageIds.o2, otherAdmin)).statusCode).toBe(404);
    expect((await outreach('not-a-uuid', agent)).statusCode).toBe(404);
    expect(await opportunities(otherAdmin)).toEqual([]);
    const empty = await t.app.inject({ method: 'POST', url: `/api/v1/competitor-watch/opportunities/${messageIds.o2}/outreach`, headers: bearer(agent), payload: { text: '' } });
    expect(empty.statusCode).toBe(422);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/competitor-watch/opportunities/${messageIds.o2}/outreach`, payload: { text: 'hi' } })).statusCode).toBe(401);
  });

  it('respects opt-outs: by customer or handle, never listed, never approached, pending offers withdrawn', async () => {
    const o3 = (await opportunities()).find((o) => o.messageId === messageIds.o3);
    const pendingReply = o3?.outreach?.replyId;
    expect(o3?.outreach?.status).toBe('held');

    const byCustomer = await t.app.inject({ method: 'POST', url: '/api/v1/competitor-watch/opt-outs', headers: bearer(agent), payload: { customerId: o3?.customerId, reason: 'asked us by DM' } });
    expect(byCustomer.statusCode, byCustomer.body).toBe(201);
    expect(byCustomer.json().data.withdrawnReplyIds).toEqual([pendingReply]);
    const withdrawn = await t.app.inject({ url: `/api/v1/replies/${pendingReply}`, headers: bearer(agent) });
    expect(withdrawn.json().data.status).toBe('rejected');
    expect(withdrawn.json().data.reviewNote).toBe('the customer opted out of offers');

    const byHandle = await t.app.inject({ method: 'POST', url: '/api/v1/competitor-watch/opt-outs', headers: bearer(agent), payload: { platform: 'x', handle: '@UNHAPPY2' } });
    expect(byHandle.statusCode, byHandle.body).toBe(201);
    expect(byHandle.json().data.optOut).toMatchObject({ platform: 'x', handle: 'unhappy2', customerId: null });

    expect((await opportunities()).map((o) => o.messageId)).toEqual([messageIds.o1]);
    const refused = await outreach(messageIds.o3, supervisor);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/opted out/);
    expect((await outreach(messageIds.o2, agent)).statusCode).toBe(409);

    const twice = await t.app.inject({ method: 'POST', url: '/api/v1/competitor-watch/opt-outs', headers: bearer(agent), payload: { platform: 'x', handle: 'unhappy2' } });
    expect(twice.statusCode).toBe(409);
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/competitor-watch/opt-outs', headers: bearer(otherAdmin), payload: { customerId: o3?.customerId } });
    expect(foreign.statusCode).toBe(422);

    const list = (await t.app.inject({ url: '/api/v1/competitor-watch/opt-outs', headers: bearer(agent) })).json().data;
    expect(list).toHaveLength(2);
    const handleOptOut = byHandle.json().data.optOut.id;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/competitor-watch/opt-outs/${handleOptOut}`, headers: bearer(supervisor) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/competitor-watch/opt-outs/${handleOptOut}`, headers: bearer(otherAdmin) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/competitor-watch/opt-outs/${handleOptOut}`, headers: bearer(admin) })).statusCode).toBe(204);
    expect((await opportunities()).map((o) => o.messageId)).toEqual([messageIds.o2, messageIds.o1]);
  });

  it('configures competitor accounts: admins only, one handle per platform', async () => {
    const payload = { competitor: 'Globex', platform: 'x', handle: 'globexcare' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/competitor-watch/accounts', headers: bearer(supervisor), payload })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/competitor-watch/accounts', headers: bearer(admin), payload })).statusCode).toBe(409);
    expect((await t.app.inject({ url: '/api/v1/competitor-watch/accounts', headers: bearer(agent) })).statusCode).toBe(403);
    const list = (await t.app.inject({ url: '/api/v1/competitor-watch/accounts', headers: bearer(supervisor) })).json().data;
    expect(list.map((a: { handle: string; platform: string }) => [a.platform, a.handle])).toEqual([['x', '@GlobexCare']]);
    expect((await t.app.inject({ url: '/api/v1/competitor-watch/accounts', headers: bearer(otherAdmin) })).json().data).toEqual([]);
  });

  it("flags poaching on the customer's case without moving it in the fair queue", async () => {
    const first = await ingest(owned, 'c1-post', '@acme my internet has been down since Monday, still no fix!', 'customer_one');
    await ingest(owned, 'c2-post', '@acme my parcel is lost, help', 'customer_two');
    const caseId = first.caseId ?? '';
    const queue = async () => {
      const res = await t.app.inject({ url: '/api/v1/queue?limit=100', headers: bearer(agent) });
      expect(res.statusCode).toBe(200);
      return res.json().data as { id: string }[];
    };
    const caseOf = async () => (await t.app.inject({ url: `/api/v1/cases/${caseId}`, headers: bearer(agent) })).json().data;
    const globexCustomers = async () => (await t.app.inject({ url: '/api/v1/customers?q=GlobexCare', headers: bearer(agent) })).json().data;
    const queueBefore = await queue();
    const before = await caseOf();
    const customersBefore = await globexCustomers();
    expect(customersBefore).toHaveLength(1);

    // Globex's care account answers our customer's post; the reply is heard on the listening stream.
    const poach = await ingest(listening, 'gc-1', '@customer_one sorry to hear that! switch to Globex and get 3 months free', 'GlobexCare', { replyToExternalId: 'c1-post' });
    expect(poach).toMatchObject({ status: 'ignored', messageId: null, caseId });

    const after = await caseOf();
    const churn = after.events.filter((e: { type: string }) => e.type === 'case.churn_risk');
    expect(churn).toHaveLength(1);
    expect(churn[0].data).toMatchObject({ competitor: 'Globex', platform: 'x', handle: '@GlobexCare', messageId: first.messageId, externalId: 'gc-1' });
    expect(churn[0].data.text).toContain('switch to Globex');
    // The case is exactly as it was: same priority, deadlines, counts and timeline; the queue order is unchanged.
    expect(after.case).toEqual(before.case);
    expect(after.timeline).toEqual(before.timeline);
    expect(await queue()).toEqual(queueBefore);
    // No customer, message or case was made of the competitor's reply (its own earlier post, n3, made one customer).
    expect(await globexCustomers()).toEqual(customersBefore);

    // A redelivery raises nothing new; a competitor reply to a post we never heard is not a churn risk.
    await ingest(listening, 'gc-1', '@customer_one sorry to hear that! switch to Globex and get 3 months free', 'GlobexCare', { replyToExternalId: 'c1-post' });
    await ingest(listening, 'gc-2', 'glad to help', 'GlobexCare', { replyToExternalId: 'somebody-else' });
    expect((await caseOf()).events.filter((e: { type: string }) => e.type === 'case.churn_risk')).toHaveLength(1);

    const risks = await t.app.inject({ url: '/api/v1/competitor-watch/churn-risks?from=2026-03-01', headers: bearer(agent) });
    expect(risks.statusCode).toBe(200);
    expect(risks.json().data.map((r: { caseId: string; competitor: string; messageId: string }) => [r.competitor, r.caseId, r.messageId])).toEqual([['Globex', caseId, first.messageId]]);
    const foreign = await t.app.inject({ url: '/api/v1/competitor-watch/churn-risks?from=2026-03-01', headers: bearer(otherAdmin) });
    expect(foreign.json().data).toEqual([]);
  });
});
