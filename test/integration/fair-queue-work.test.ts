import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { assignRoundRobin, runSlaTimers } from '../../src/features/cases/index.ts';
import type { CaseSummary } from '../../src/features/cases/index.ts';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { testDatabaseKind } from '../support/database.ts';

// Priority, SLA clocks, routing and assignment, case locks and the escalation ladder, through the HTTP API.
const clock = fixedClock(new Date('2026-03-23T10:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

async function api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token: string | null, payload?: unknown) {
  const headers: Record<string, string> = token ? bearer(token) : {};
  if (payload === undefined) return t.app.inject({ method, url, headers });
  return t.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
}

async function caseOf(token: string, id: string): Promise<CaseSummary> {
  const res = await api('GET', `/api/v1/cases/${id}`, token);
  expect(res.statusCode).toBe(200);
  return res.json().data.case;
}

async function eventsOf(token: string, id: string): Promise<{ type: string; data: Record<string, unknown>; actorUserId: string | null }[]> {
  return (await api('GET', `/api/v1/cases/${id}`, token)).json().data.events;
}

const flat = (minutes: number) => ({ firstResponse: minutes, nextResponse: minutes, resolution: minutes * 10 });
const nineToFive = [{ start: '09:00', end: '17:00' }];
const londonOffice = {
  timeZone: 'Europe/London',
  businessHours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] },
  holidays: ['2026-04-03'],
  targets: { urgent: flat(120), high: flat(120), normal: flat(120), low: flat(120) },
};

describe(`SLA policy (${testDatabaseKind})`, () => {
  it('reads the default, lets only admins replace it, and validates it', async () => {
    const { users } = await createWorkspaceWithUsers(t.ctx, ['admin', 'agent']);
    const [admin, agent] = users;
    const initial = await api('GET', '/api/v1/sla-policy', agent.token);
    expect(initial.statusCode).toBe(200);
    expect(initial.json().data).toMatchObject({ timeZone: 'UTC', holidays: [] });
    expect((await api('GET', '/api/v1/sla-policy', null)).statusCode).toBe(401);
    expect((await api('PUT', '/api/v1/sla-policy', agent.token, londonOffice)).statusCode).toBe(403);
    expect((await api('PUT', '/api/v1/sla-policy', admin.token, { ...londonOffice, timeZone: 'Mars/Olympus' })).statusCode).toBe(422);
    const overlapping = { ...londonOffice, businessHours: { ...londonOffice.businessHours, mon: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] } };
    expect((await api('PUT', '/api/v1/sla-policy', admin.token, overlapping)).statusCode).toBe(422);
    const closed = { ...londonOffice, businessHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    expect((await api('PUT', '/api/v1/sla-policy', admin.token, closed)).statusCode).toBe(422);
    const badHoliday = { ...londonOffice, holidays: ['2026-02-30'] };
    expect((await api('PUT', '/api/v1/sla-policy', admin.token, badHoliday)).statusCode).toBe(422);
    const saved = await api('PUT', '/api/v1/sla-policy', admin.token, londonOffice);
    expect(saved.statusCode).toBe(200);
    expect((await api('GET', '/api/v1/sla-policy', agent.token)).json().data).toEqual(londonOffice);
  });

  it('computes due times in business time across a weekend and a DST change, pauses while waiting, and records each breach once', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['admin', 'agent']);
    const [admin, agent] = users;
    expect((await api('PUT', '/api/v1/sla-policy', admin.token, londonOffice)).statusCode).toBe(200);
    const email = await createTestChannel(t.ctx, workspace.id, 'email');
    // Friday 27 March 16:00 GMT: one business hour left on Friday, the second is Monday 09:00–10:00 BST (08:00–09:00Z).
    const sent = await postMessages(t.app, email, messageOf({ externalId: 'sla-1', text: 'where is my refund', sentAt: '2026-03-27T16:00:00Z', author: { externalId: 'pat@example.com' } }));
    const caseId: string = sent.json().data.caseId;
    const opened = await caseOf(agent.token, caseId);
    expect(opened.firstResponseDueAt).toBe('2026-03-30T09:00:00.000Z');
    expect(opened.nextResponseDueAt).toBe('2026-03-30T09:00:00.000Z');
    expect(opened.sla).toMatchObject({ paused: false, pausedMinutes: 0, breached: { firstResponse: false, nextResponse: false, resolution: false } });

    // The agent asks the customer something on Monday 09:30Z; the clock stops until the customer answers.
    clock.set(new Date('2026-03-30T08:30:00Z'));
    const waiting = await api('PATCH', `/api/v1/cases/${caseId}`, agent.token, { status: 'waiting' });
    expect(waiting.json().data.sla).toMatchObject({ paused: true, pausedSince: '2026-03-30T08:30:00.000Z' });
    // Nothing breaches while the case is paused, even past its due time.
    expect((await runSlaTimers(t.ctx.db, new Date('2026-03-30T11:00:00Z'))).breaches).toBe(0);
    // The customer answers at 11:30Z: three business hours stood still, so every due time moves on by three hours.
    await postMessages(t.app, email, messageOf({ externalId: 'sla-2', text: 'here is my order number', sentAt: '2026-03-30T11:30:00Z', author: { externalId: 'pat@example.com' } }));
    const resumed = await caseOf(agent.token, caseId);
    expect(resumed.status).toBe('open');
    expect(resumed.sla).toMatchObject({ paused: false, pausedMinutes: 180 });
    expect(resumed.firstResponseDueAt).toBe('2026-03-30T12:00:00.000Z');

    const first = await runSlaTimers(t.ctx.db, new Date('2026-03-30T12:01:00Z'));
    expect(first.breaches).toBeGreaterThanOrEqual(1);
    const again = await runSlaTimers(t.ctx.db, new Date('2026-03-30T12:02:00Z'));
    expect(again.breaches).toBe(0);
    const breached = await caseOf(agent.token, caseId);
    expect(breached.sla.breached.firstResponse).toBe(true);
    const events = await eventsOf(agent.token, caseId);
    const breaches = events.filter((e) => e.type === 'sla.breached');
    expect(breaches.filter((e) => e.data.target === 'first_response')).toHaveLength(1);
    // The ladder's breach rule takes the case to the specialist tier, whose own clock starts.
    const escalation = events.find((e) => e.type === 'case.escalated');
    expect(escalation?.data).toMatchObject({ from: 0, to: 1, trigger: 'sla_breach' });
    expect(breached.escalationTier).toBe(1);
    expect(breached.nextResponseDueAt).not.toBe('2026-03-30T12:00:00.000Z');
  });
});

describe(`priority policy (${testDatabaseKind})`, () => {
  it('gives channel and reach no weight by default; a workspace policy can, and the reason says so', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['admin', 'agent']);
    const [admin, agent] = users;
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    const phone = await createTestChannel(t.ctx, workspace.id, 'phone');
    const text = 'the app keeps crashing when I log in';
    const star = (await postMessages(t.app, x, messageOf({ externalId: 'p1', text, author: { externalId: 'star', followerCount: 2_000_000 } }))).json().data.caseId;
    const caller = (await postMessages(t.app, phone, messageOf({ externalId: 'p2', text, author: { externalId: '+441632960001' } }))).json().data.caseId;
    const [a, b] = [await caseOf(agent.token, star), await caseOf(agent.token, caller)];
    expect(a.needScore).toBe(b.needScore);
    expect(a.priority).toBe(b.priority);

    expect((await api('PUT', '/api/v1/priority-policy', agent.token, { channelPoints: { x: 40 }, reachPointsPerDecade: 0 })).statusCode).toBe(403);
    expect((await api('PUT', '/api/v1/priority-policy', admin.token, { channelPoints: { x: 400 }, reachPointsPerDecade: 0 })).statusCode).toBe(422);
    expect((await api('PUT', '/api/v1/priority-policy', admin.token, { channelPoints: { x: 40 }, reachPointsPerDecade: 5 })).statusCode).toBe(200);
    const star2 = (await postMessages(t.app, x, messageOf({ externalId: 'p3', text, author: { externalId: 'star2', followerCount: 2_000_000 } }))).json().data.caseId;
    const boosted = await caseOf(agent.token, star2);
    expect(boosted.needScore).toBe(b.needScore + 40 + Math.round(Math.log10(2_000_001) * 5));
    expect(boosted.priorityReason).toContain('policy: x +40');
  });
});

describe(`teams, routing and take next (${testDatabaseKind})`, () => {
  it('manages teams (supervisors and admins) with validation', async () => {
    const { users } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent']);
    const [supervisor, agent] = users;
    expect((await api('GET', '/api/v1/teams', null)).statusCode).toBe(401);
    expect((await api('GET', '/api/v1/teams', agent.token)).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/teams', agent.token, { name: 'Billing' })).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/teams', supervisor.token, { name: '' })).statusCode).toBe(422);
    expect((await api('POST', '/api/v1/teams', supervisor.token, { name: 'X', tier: 9 })).statusCode).toBe(422);
    const stranger = await api('POST', '/api/v1/teams', supervisor.token, { name: 'Billing', members: [{ userId: '00000000-0000-4000-8000-000000000000', capacity: 3 }] });
    expect(stranger.statusCode).toBe(422);
    const created = await api('POST', '/api/v1/teams', supervisor.token, { name: 'Billing', topics: ['Billing'], languages: ['en'], members: [{ userId: agent.user.id, capacity: 3 }] });
    expect(created.statusCode).toBe(201);
    const team = created.json().data;
    expect(team).toMatchObject({ name: 'Billing', topics: ['billing'], tier: 0, assignment: 'pull', members: [{ userId: agent.user.id, capacity: 3, openCases: 0 }] });
    expect((await api('POST', '/api/v1/teams', supervisor.token, { name: 'billing' })).statusCode).toBe(409);
    const patched = await api('PATCH', `/api/v1/teams/${team.id}`, supervisor.token, { skills: ['refunds'], assignment: 'round_robin' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({ skills: ['refunds'], assignment: 'round_robin', topics: ['billing'] });
    expect((await api('PATCH', `/api/v1/teams/${team.id}`, supervisor.token, {})).statusCode).toBe(422);
    expect((await api('PATCH', '/api/v1/teams/not-a-uuid', supervisor.token, { name: 'Y' })).statusCode).toBe(404);
    expect((await api('GET', '/api/v1/teams', supervisor.token)).json().data).toHaveLength(1);
    expect((await api('DELETE', `/api/v1/teams/${team.id}`, supervisor.token)).statusCode).toBe(204);
    expect((await api('DELETE', `/api/v1/teams/${team.id}`, supervisor.token)).statusCode).toBe(404);
  });

  it('routes by topic, and take next hands each agent the head of their fair order — never the same case twice', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent', 'agent']);
    const [supervisor, billingAgent, otherAgent] = users;
    const team = (await api('POST', '/api/v1/teams', supervisor.token, { name: 'Billing', topics: ['billing'], members: [{ userId: billingAgent.user.id, capacity: 5 }] })).json().data;
    const email = await createTestChannel(t.ctx, workspace.id, 'email');
    const post = async (id: string, text: string, minute: number) =>
      (await postMessages(t.app, email, messageOf({ externalId: id, text, sentAt: `2026-03-23T09:${String(minute).padStart(2, '0')}:00Z`, author: { externalId: `${id}@example.com` } }))).json().data.caseId as string;
    const bill = await post('r1', 'I was charged twice on my bill', 1);
    const crash1 = await post('r2', 'the app keeps crashing when I log in', 2);
    const crash2 = await post('r3', 'the app keeps crashing when I log in', 3);
    expect((await caseOf(otherAgent.token, bill)).teamId).toBe(team.id);
    expect((await caseOf(otherAgent.token, crash1)).teamId).toBeNull();

    // The other agent is not in Billing: they get the shared queue's head, in arrival order at equal need.
    const takes = await Promise.all([api('POST', '/api/v1/queue/next', otherAgent.token), api('POST', '/api/v1/queue/next', otherAgent.token)]);
    const taken = takes.map((r) => r.json().data.id).sort();
    expect(taken).toEqual([crash1, crash2].sort());
    expect(takes.every((r) => r.json().data.assigneeId === otherAgent.user.id)).toBe(true);
    expect((await api('POST', '/api/v1/queue/next', otherAgent.token)).json().data).toBeNull();
    const mine = await api('POST', '/api/v1/queue/next', billingAgent.token);
    expect(mine.json().data).toMatchObject({ id: bill, assigneeId: billingAgent.user.id, lock: { userId: billingAgent.user.id } });
    expect((await api('POST', '/api/v1/queue/next', null)).statusCode).toBe(401);
    const assigned = (await eventsOf(billingAgent.token, bill)).find((e) => e.type === 'case.assigned');
    expect(assigned?.data).toMatchObject({ to: billingAgent.user.id, via: 'take_next' });
  });

  it('two agents taking at once from one queue get different cases', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent', 'agent', 'agent', 'agent']);
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    for (let i = 0; i < 6; i += 1) {
      await postMessages(t.app, x, messageOf({ externalId: `c${i}`, text: 'the app keeps crashing when I log in', author: { externalId: `c${i}` } }));
    }
    const results = await Promise.all(users.flatMap((u) => [api('POST', '/api/v1/queue/next', u.token), api('POST', '/api/v1/queue/next', u.token)]));
    const ids = results.map((r) => r.json().data?.id).filter((id): id is string => typeof id === 'string');
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('round robin assigns within capacity, least recently assigned first', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent', 'agent']);
    const [supervisor, a, b] = users;
    await api('POST', '/api/v1/teams', supervisor.token, {
      name: 'Everyone', assignment: 'round_robin', members: [{ userId: a.user.id, capacity: 1 }, { userId: b.user.id, capacity: 2 }],
    });
    const phone = await createTestChannel(t.ctx, workspace.id, 'phone');
    for (let i = 0; i < 5; i += 1) {
      await postMessages(t.app, phone, messageOf({ externalId: `rr${i}`, text: 'the app keeps crashing when I log in', sentAt: `2026-03-23T09:0${i}:00Z`, author: { externalId: `+44163296010${i}` } }));
    }
    expect(await assignRoundRobin(t.ctx.db, workspace.id, clock.now())).toBe(3);
    expect(await assignRoundRobin(t.ctx.db, workspace.id, clock.now())).toBe(0);
    const queue: CaseSummary[] = (await api('GET', '/api/v1/queue?limit=10', a.token)).json().data;
    const count = (id: string) => queue.filter((c) => c.assigneeId === id).length;
    expect([count(a.user.id), count(b.user.id), count('')]).toEqual([1, 2, 0]);
    expect(queue.filter((c) => c.assigneeId === null)).toHaveLength(2);
    // The two oldest cases went first: round robin hands out the head of the fair order.
    expect(queue.slice(0, 3).every((c) => c.assigneeId !== null)).toBe(true);
  });
});

describe(`case lock (${testDatabaseKind})`, () => {
  it('lets one agent answer at a time and names the holder to the second', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent', 'agent', 'supervisor']);
    const [first, second, supervisor] = users;
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    const caseId = (await postMessages(t.app, x, messageOf({ externalId: 'l1' }))).json().data.caseId;
    expect((await api('POST', `/api/v1/cases/${caseId}/lock`, null)).statusCode).toBe(401);
    expect((await api('POST', '/api/v1/cases/00000000-0000-4000-8000-000000000000/lock', first.token)).statusCode).toBe(404);
    expect((await api('POST', '/api/v1/cases/nope/lock', first.token)).statusCode).toBe(404);
    const taken = await api('POST', `/api/v1/cases/${caseId}/lock`, first.token);
    expect(taken.statusCode).toBe(200);
    expect(taken.json().data.userId).toBe(first.user.id);
    const refused = await api('POST', `/api/v1/cases/${caseId}/lock`, second.token);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain(first.user.name);
    expect(refused.json().error.details).toEqual(expect.arrayContaining([{ path: 'lockedBy', message: first.user.id }]));
    expect((await api('DELETE', `/api/v1/cases/${caseId}/lock`, second.token)).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/cases/${caseId}/lock`, first.token)).statusCode).toBe(200);
    expect((await api('DELETE', `/api/v1/cases/${caseId}/lock`, first.token)).statusCode).toBe(204);
    expect((await api('POST', `/api/v1/cases/${caseId}/lock`, second.token)).statusCode).toBe(200);
    // A supervisor can free a case an agent left locked.
    expect((await api('DELETE', `/api/v1/cases/${caseId}/lock`, supervisor.token)).statusCode).toBe(204);
    // An expired lease is free to take.
    expect((await api('POST', `/api/v1/cases/${caseId}/lock`, first.token)).statusCode).toBe(200);
    clock.advance(3 * 60_000);
    expect((await api('POST', `/api/v1/cases/${caseId}/lock`, second.token)).statusCode).toBe(200);
    const types = (await eventsOf(first.token, caseId)).map((e) => e.type);
    expect(types.filter((type) => type === 'case.locked').length).toBeGreaterThanOrEqual(3);
    expect(types).toContain('case.unlocked');
  });
});

describe(`escalation ladder (${testDatabaseKind})`, () => {
  it('escalates by hand, one tier at a time or to a named tier, and refuses impossible moves', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const [agent] = users;
    const phone = await createTestChannel(t.ctx, workspace.id, 'phone');
    const caseId = (await postMessages(t.app, phone, messageOf({ externalId: 'e1', text: 'where is my refund', author: { externalId: '+441632960099' } }))).json().data.caseId;
    expect((await api('POST', `/api/v1/cases/${caseId}/escalate`, null, { reason: 'x' })).statusCode).toBe(401);
    expect((await api('POST', `/api/v1/cases/${caseId}/escalate`, agent.token, {})).statusCode).toBe(422);
    expect((await api('POST', `/api/v1/cases/${caseId}/escalate`, agent.token, { reason: 'x', tier: 7 })).statusCode).toBe(422);
    expect((await api('POST', '/api/v1/cases/00000000-0000-4000-8000-000000000000/escalate', agent.token, { reason: 'x' })).statusCode).toBe(404);
    const up = await api('POST', `/api/v1/cases/${caseId}/escalate`, agent.token, { reason: 'needs a refund approval' });
    expect(up.statusCode).toBe(200);
    expect(up.json().data).toMatchObject({ escalationTier: 1 });
    expect((await api('POST', `/api/v1/cases/${caseId}/escalate`, agent.token, { reason: 'again', tier: 1 })).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/cases/${caseId}/escalate`, agent.token, { reason: 'the customer wrote to the CEO', tier: 2 })).json().data.escalationTier).toBe(2);
    expect((await api('POST', `/api/v1/cases/${caseId}/escalate`, agent.token, { reason: 'top' })).statusCode).toBe(422);
    const escalations = (await eventsOf(agent.token, caseId)).filter((e) => e.type === 'case.escalated');
    expect(escalations.map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 0, to: 1, trigger: 'agent', reason: 'needs a refund approval', notify: expect.objectContaining({ tierName: 'specialist' }) }),
      expect.objectContaining({ from: 1, to: 2, trigger: 'agent', notify: expect.objectContaining({ tierName: 'executive office' }) }),
    ]);
    expect(escalations[0].actorUserId).toBe(agent.user.id);
  });

  it('escalates automatically on legal terms, safety terms and a third contact within 7 days, and routes to the tier team', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent']);
    const [supervisor, specialist] = users;
    const specialists = (await api('POST', '/api/v1/teams', supervisor.token, { name: 'Specialists', tier: 1, members: [{ userId: specialist.user.id, capacity: 5 }] })).json().data;
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    const legal = (await postMessages(t.app, x, messageOf({ externalId: 'a1', text: 'I am going to sue you, my lawyer will be in touch about the outage', author: { externalId: 'angry' } }))).json().data.caseId;
    const legalCase = await caseOf(supervisor.token, legal);
    expect(legalCase.escalationTier).toBe(2);
    expect((await eventsOf(supervisor.token, legal)).find((e) => e.type === 'case.escalated')?.data).toMatchObject({ from: 0, to: 2, trigger: 'legal_terms' });

    const safety = (await postMessages(t.app, x, messageOf({ externalId: 'a2', text: 'the router is smoking and there is a gas leak smell', author: { externalId: 'worried' } }))).json().data.caseId;
    const safetyCase = await caseOf(supervisor.token, safety);
    expect(safetyCase).toMatchObject({ escalationTier: 1, teamId: specialists.id, priority: 'urgent' });

    const customer = { externalId: 'again' };
    const day = (d: number) => `2026-03-${String(10 + d).padStart(2, '0')}T10:00:00Z`;
    const c1 = (await postMessages(t.app, x, messageOf({ externalId: 'r1', text: 'the app keeps crashing when I log in', sentAt: day(0), author: customer }))).json().data.caseId;
    await api('PATCH', `/api/v1/cases/${c1}`, supervisor.token, { status: 'resolved' });
    const c2 = (await postMessages(t.app, x, messageOf({ externalId: 'r2', text: 'the app keeps crashing when I log in', sentAt: day(3), author: customer }))).json().data.caseId;
    expect(c2).not.toBe(c1);
    expect((await caseOf(supervisor.token, c2)).escalationTier).toBe(0);
    await api('PATCH', `/api/v1/cases/${c2}`, supervisor.token, { status: 'resolved' });
    const c3 = (await postMessages(t.app, x, messageOf({ externalId: 'r3', text: 'the app keeps crashing when I log in', sentAt: day(5), author: customer }))).json().data.caseId;
    const third = await caseOf(supervisor.token, c3);
    expect(third.escalationTier).toBe(1);
    expect(third.priority).toBe('high');
    expect((await eventsOf(supervisor.token, c3)).find((e) => e.type === 'case.escalated')?.data).toMatchObject({ trigger: 'repeat_contact' });
    // Weeks later the earlier contacts have left the window: a new case starts at the frontline again.
    await api('PATCH', `/api/v1/cases/${c3}`, supervisor.token, { status: 'resolved' });
    const c4 = (await postMessages(t.app, x, messageOf({ externalId: 'r4', text: 'the app keeps crashing when I log in', sentAt: '2026-04-10T10:00:00Z', author: customer }))).json().data.caseId;
    expect(c4).not.toBe(c3);
    expect((await caseOf(supervisor.token, c4)).escalationTier).toBe(0);
  });

  it('validates and applies an escalation policy', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['admin']);
    const [admin] = users;
    const current = (await api('GET', '/api/v1/escalation-policy', admin.token)).json().data;
    expect(current.tiers.map((tier: { name: string }) => tier.name)).toEqual(['frontline', 'specialist', 'executive office']);
    const broken = { ...current, rules: { ...current.rules, legalTerms: { ...current.rules.legalTerms, toTier: 5 } } };
    expect((await api('PUT', '/api/v1/escalation-policy', admin.token, broken)).statusCode).toBe(422);
    const noLegal = { ...current, rules: { ...current.rules, legalTerms: { ...current.rules.legalTerms, enabled: false } } };
    expect((await api('PUT', '/api/v1/escalation-policy', admin.token, noLegal)).statusCode).toBe(200);
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    const caseId = (await postMessages(t.app, x, messageOf({ externalId: 'n1', text: 'I am going to sue you, my lawyer will be in touch', author: { externalId: 'calm' } }))).json().data.caseId;
    expect((await caseOf(admin.token, caseId)).escalationTier).toBe(0);
  });
});
