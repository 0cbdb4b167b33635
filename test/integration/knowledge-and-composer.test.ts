import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const refundPolicy = {
  title: 'Refunds for duplicate charges',
  body: 'When a customer is **charged twice**, refund the duplicate payment the same day. Refunds reach the card in 3–5 working days.',
  topics: ['billing'],
};
const outagePolicy = {
  title: 'Network outages',
  body: 'During a mast outage, credit one day of service for every day without signal, and give the expected fix time.',
  topics: ['outage'],
};

describe('knowledge base', () => {
  it('lets supervisors write policy and everyone search it; suggests it for a case by topic and words', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent']);
    const [supervisor, agent] = users;
    const denied = await t.app.inject({ method: 'POST', url: '/api/v1/kb/articles', payload: refundPolicy, headers: bearer(agent.token) });
    expect(denied.statusCode).toBe(403);
    const invalid = await t.app.inject({ method: 'POST', url: '/api/v1/kb/articles', payload: { ...refundPolicy, topics: ['Not A Topic'] }, headers: bearer(supervisor.token) });
    expect(invalid.statusCode).toBe(422);
    const refund = (await t.app.inject({ method: 'POST', url: '/api/v1/kb/articles', payload: refundPolicy, headers: bearer(supervisor.token) })).json().data;
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/articles', payload: outagePolicy, headers: bearer(supervisor.token) });

    const search = (await t.app.inject({ url: '/api/v1/kb/articles?q=charged%20twice', headers: bearer(agent.token) })).json().data;
    expect(search.map((a: { id: string }) => a.id)).toEqual([refund.id]);
    expect(search[0].excerpt).toContain('charged');
    const hostile = await t.app.inject({ url: `/api/v1/kb/articles?q=${encodeURIComponent("'); DROP TABLE kb_article; -- & | !")}`, headers: bearer(agent.token) });
    expect(hostile.statusCode).toBe(200);

    const channel = await createTestChannel(t.ctx, workspace.id, 'x');
    const caseId = (await postMessages(t.app, channel, messageOf({ externalId: 'kb1', text: '@brand I was charged twice on my bill this month!' }))).json().data.caseId;
    const check = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/replies/check`, payload: { text: 'Sorry! Refunding now.' }, headers: bearer(agent.token) });
    expect(check.statusCode).toBe(200);
    expect(check.json().data.knowledge[0].id).toBe(refund.id);

    const other = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const foreign = await t.app.inject({ url: `/api/v1/kb/articles/${refund.id}`, headers: bearer(other.users[0].token) });
    expect(foreign.statusCode).toBe(404);
    const gone = await t.app.inject({ method: 'DELETE', url: `/api/v1/kb/articles/${refund.id}`, headers: bearer(supervisor.token) });
    expect(gone.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/kb/articles/${refund.id}`, headers: bearer(supervisor.token) });
    expect(again.statusCode).toBe(404);
  });
});

describe('composer review', () => {
  it("applies the case channel's length rule, blocks personal data in public, and finds tone problems", async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const headers = bearer(users[0].token);
    const channel = await createTestChannel(t.ctx, workspace.id, 'x');
    const caseId = (await postMessages(t.app, channel, messageOf({ externalId: 'c1', text: 'worst service ever, no signal for three days, fix it!' }))).json().data.caseId;
    const url = `/api/v1/cases/${caseId}/replies/check`;

    const pii = (await t.app.inject({ method: 'POST', url, payload: { text: 'Sorry about that! Call us on 0800 123 4567 quoting account number 99812345.' }, headers })).json().data;
    expect(pii.channel).toBe('x');
    expect(pii.personalDataInPublic).toBe(true);
    expect(pii.blocked).toMatch(/private channel/);

    const privately = (await t.app.inject({ method: 'POST', url, payload: { text: 'Sorry about that! Your account number 99812345 is fixed.', private: true }, headers })).json().data;
    expect(privately.personalDataInPublic).toBe(false);

    const rude = (await t.app.inject({ method: 'POST', url, payload: { text: 'Actually, you should have restarted the router.' }, headers })).json().data;
    expect(rude.findings.map((f: { kind: string }) => f.kind).sort()).toEqual(['argumentative', 'blaming', 'no-acknowledgement']);

    const long = (await t.app.inject({ method: 'POST', url, payload: { text: 'Sorry for the trouble. '.repeat(20) }, headers })).json().data;
    expect(long.length.ok).toBe(false);
    expect(long.thread.length).toBeGreaterThan(1);

    expect((await t.app.inject({ method: 'POST', url, payload: { text: 42 }, headers })).statusCode).toBe(422);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${randomUUID()}/replies/check`, payload: { text: 'hi' }, headers })).statusCode).toBe(404);
  });
});

describe('macros', () => {
  it('fills a macro for a case with the customer, agent and case reference, and refuses unknown variables', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent']);
    const [supervisor, agent] = users;
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/macros', payload: { name: 'Oops', body: 'Hi {{customer.password}}' }, headers: bearer(supervisor.token) });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.message).toContain('customer.password');
    const macro = (await t.app.inject({
      method: 'POST', url: '/api/v1/macros', headers: bearer(supervisor.token),
      payload: { name: 'Apology', body: 'Hi {{customer.first_name}}, sorry about this — {{agent.first_name}} here. Your reference is {{case.reference}}.' },
    })).json().data;
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/macros', payload: { name: 'apology', body: 'x' }, headers: bearer(supervisor.token) });
    expect(dup.statusCode).toBe(409);
    const byAgent = await t.app.inject({ method: 'POST', url: '/api/v1/macros', payload: { name: 'Mine', body: 'x' }, headers: bearer(agent.token) });
    expect(byAgent.statusCode).toBe(403);

    const channel = await createTestChannel(t.ctx, workspace.id, 'x');
    const caseId = (await postMessages(t.app, channel, messageOf({ externalId: 'm1', author: { externalId: 'p1', displayName: 'Priya {{agent.name}} Raman' } }))).json().data.caseId;
    const rendered = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/macros/${macro.id}/render`, headers: bearer(agent.token) });
    expect(rendered.statusCode).toBe(200);
    // A customer's name is inserted as text and never expanded again.
    expect(rendered.json().data.text).toBe(`Hi Priya, sorry about this — agent here. Your reference is C-${caseId.replace(/-/g, '').slice(0, 8).toUpperCase()}.`);
    const missing = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/macros/${randomUUID()}/render`, headers: bearer(agent.token) });
    expect(missing.statusCode).toBe(404);
  });
});
