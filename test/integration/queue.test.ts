import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import type { CaseSummary } from '../../src/features/cases/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const rank = { urgent: 1, high: 2, normal: 3, low: 4 } as const;

async function queue(token: string, query = ''): Promise<{ data: CaseSummary[]; nextCursor: string | null }> {
  const res = await t.app.inject({ url: `/api/v1/queue${query}`, headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('the fair queue', () => {
  it('orders by need, then response deadline, then arrival — never by reach — and pages with a cursor', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    const phone = await createTestChannel(t.ctx, workspace.id, 'phone');
    const texts = [
      'thanks, all good now',
      'my bill is wrong, I was overcharged again',
      'no service for a week, my elderly mother needs the phone for medical emergencies',
      'how do I change my plan?',
      'worst network ever, dropped calls all day',
    ];
    let n = 0;
    for (const text of texts) {
      for (const channel of [x, phone]) {
        n += 1;
        await postMessages(t.app, channel, messageOf({
          externalId: `q${n}`, text, sentAt: new Date(Date.UTC(2026, 0, 1, 9, n)).toISOString(),
          author: { externalId: `cust-${n}`, followerCount: channel === x ? 1_000_000 : undefined },
        }));
      }
    }
    const all = await queue(users[0].token, '?limit=200');
    expect(all.data).toHaveLength(10);
    const keys = all.data.map((c) => [rank[c.priority], c.nextResponseDueAt ?? '9999', c.firstMessageAt] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]));
    expect(keys).toEqual(sorted);
    // The same words get the same place whatever the channel or follower count.
    for (let i = 0; i < texts.length; i += 1) {
      const pair = all.data.filter((c) => c.subject === texts[i]);
      expect(pair.map((c) => c.priority)[0]).toBe(pair.map((c) => c.priority)[1]);
    }
    expect(all.data[0].priority).toBe('urgent');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await queue(users[0].token, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.data.map((c) => c.id));
  });

  it('filters by channel kind, status, assignee and topic', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent', 'agent']);
    const [me, colleague] = users;
    const email = await createTestChannel(t.ctx, workspace.id, 'email');
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    const a = (await postMessages(t.app, email, messageOf({ externalId: 'f1', text: 'I was charged twice on my bill', author: { externalId: 'a@example.com' } }))).json().data.caseId;
    const b = (await postMessages(t.app, x, messageOf({ externalId: 'f2', text: 'outage again, no internet', author: { externalId: 'b' } }))).json().data.caseId;
    await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${a}`, payload: { assigneeId: me.user.id }, headers: bearer(me.token) });
    await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${b}`, payload: { status: 'resolved' }, headers: bearer(me.token) });

    expect((await queue(me.token, '?channel=email')).data.map((c) => c.id)).toEqual([a]);
    expect((await queue(me.token, '?channel=x')).data).toEqual([]);
    expect((await queue(me.token, '?status=resolved')).data.map((c) => c.id)).toEqual([b]);
    expect((await queue(me.token, '?assignee=me')).data.map((c) => c.id)).toEqual([a]);
    expect((await queue(colleague.token, '?assignee=me')).data).toEqual([]);
    expect((await queue(me.token, `?assignee=${me.user.id}`)).data.map((c) => c.id)).toEqual([a]);
    expect((await queue(me.token, '?topic=billing')).data.map((c) => c.id)).toEqual([a]);
    expect((await queue(me.token, '?status=new,open,waiting,resolved&assignee=none')).data.map((c) => c.id)).toEqual([b]);
  });

  it('filters by team, with "none" for the shared queue', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['supervisor']);
    const [boss] = users;
    const created = await t.app.inject({
      method: 'POST', url: '/api/v1/teams', headers: { ...bearer(boss.token), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Billing', topics: ['billing'] }),
    });
    expect(created.statusCode).toBe(201);
    const teamId: string = created.json().data.id;
    const email = await createTestChannel(t.ctx, workspace.id, 'email');
    const billing = (await postMessages(t.app, email, messageOf({ externalId: 't1', text: 'I was charged twice on my bill', author: { externalId: 'c@example.com' } }))).json().data.caseId;
    const outage = (await postMessages(t.app, email, messageOf({ externalId: 't2', text: 'no signal at all since this morning', author: { externalId: 'd@example.com' } }))).json().data.caseId;
    expect((await queue(boss.token, `?team=${teamId}`)).data.map((c) => c.id)).toEqual([billing]);
    expect((await queue(boss.token, '?team=none')).data.map((c) => c.id)).toEqual([outage]);
    const bad = await t.app.inject({ url: '/api/v1/queue?team=billing', headers: bearer(boss.token) });
    expect(bad.statusCode).toBe(400);
  });
});

describe('working a case', () => {
  it('records status, assignment, priority overrides and notes as events, with the timeline across channels', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor']);
    const [agent, supervisor] = users;
    const phone = await createTestChannel(t.ctx, workspace.id, 'phone');
    const caseId = (await postMessages(t.app, phone, messageOf({ externalId: 'c1', author: { externalId: '+447700900123' } }))).json().data.caseId;
    await postMessages(t.app, phone, messageOf({ externalId: 'c2', text: 'calling again about the same problem', author: { externalId: '+447700900123' } }));

    const byAgent = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: { priority: 'urgent', priorityReason: 'vip' }, headers: bearer(agent.token) });
    expect(byAgent.statusCode).toBe(403);
    const noReason = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: { priority: 'urgent' }, headers: bearer(supervisor.token) });
    expect(noReason.statusCode).toBe(422);
    const empty = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: {}, headers: bearer(agent.token) });
    expect(empty.statusCode).toBe(422);
    const foreignAssignee = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: { assigneeId: '00000000-0000-4000-8000-000000000000' }, headers: bearer(agent.token) });
    expect(foreignAssignee.statusCode).toBe(422);

    const override = await t.app.inject({
      method: 'PATCH', url: `/api/v1/cases/${caseId}`, headers: bearer(supervisor.token),
      payload: { priority: 'urgent', priorityReason: 'customer relies on the line for a medical alarm' },
    });
    expect(override.statusCode).toBe(200);
    expect(override.json().data).toMatchObject({ priority: 'urgent', priorityReason: 'customer relies on the line for a medical alarm' });
    const assign = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: { assigneeId: agent.user.id, status: 'open' }, headers: bearer(agent.token) });
    expect(assign.json().data).toMatchObject({ assigneeId: agent.user.id, status: 'open' });
    const note = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/notes`, payload: { body: 'Called back, engineer booked.' }, headers: bearer(agent.token) });
    expect(note.statusCode).toBe(201);
    const blankNote = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/notes`, payload: { body: '   ' }, headers: bearer(agent.token) });
    expect(blankNote.statusCode).toBe(422);

    // A later message does not undo a supervisor's override.
    await postMessages(t.app, phone, messageOf({ externalId: 'c3', text: 'thanks', author: { externalId: '+447700900123' } }));
    const detail = (await t.app.inject({ url: `/api/v1/cases/${caseId}`, headers: bearer(agent.token) })).json().data;
    expect(detail.case.priority).toBe('urgent');
    expect(detail.timeline.map((m: { externalId: string }) => m.externalId)).toEqual(['c1', 'c2', 'c3']);
    expect(detail.notes.map((n: { body: string }) => n.body)).toEqual(['Called back, engineer booked.']);
    const types = detail.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['case.created', 'case.priority_overridden', 'case.assigned', 'case.status_changed', 'case.note_added']));
    const overrideEvent = detail.events.find((e: { type: string }) => e.type === 'case.priority_overridden');
    expect(overrideEvent).toMatchObject({ actorUserId: supervisor.user.id, data: { from: expect.any(String), to: 'urgent' } });

    const resolved = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, payload: { status: 'resolved' }, headers: bearer(agent.token) });
    expect(resolved.json().data.resolvedAt).not.toBeNull();
    // A reply to a resolved case reopens it (a fresh, unrelated message would open a new case).
    const reopened = (await postMessages(t.app, phone, messageOf({ externalId: 'c4', text: 'it broke again', replyToExternalId: 'c3', author: { externalId: '+447700900123' } }))).json().data;
    expect(reopened.caseId).toBe(caseId);
    const after = (await t.app.inject({ url: `/api/v1/cases/${caseId}`, headers: bearer(agent.token) })).json().data;
    expect(after.case.status).toBe('open');
    expect(after.events.map((e: { type: string }) => e.type)).toContain('case.reopened');
  });
});
