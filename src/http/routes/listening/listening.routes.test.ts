import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../../../../test/support/app.ts';
import type { TestApp, TestUser } from '../../../../test/support/app.ts';

let t: TestApp;
let agent: TestUser;
let supervisor: TestUser;
let stranger: TestUser;
let ruleId: string;
const ids: Record<string, { messageId: string; caseId: string | null }> = {};

function call(method: 'GET' | 'POST', url: string, user: TestUser | null, body?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { ...(user ? bearer(user.token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

interface PostView {
  messageId: string;
  text: string;
  caseId: string | null;
  rules: { id: string; name: string; tag: string }[];
  labels: { intent: string } | null;
  recommendation: unknown;
}

beforeAll(async () => {
  t = await createTestApp();
  const ws = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor']);
  [agent, supervisor] = ws.users;
  stranger = (await createWorkspaceWithUsers(t.ctx, ['admin'])).users[0];
  const rule = await call('POST', '/api/v1/rules', supervisor, { name: 'Rival', tag: 'competitor', query: 'brightwave' });
  expect(rule.statusCode).toBe(201);
  ruleId = rule.json().data.id;

  const listening = await createTestChannel(t.ctx, ws.workspace.id, 'x', false);
  const owned = await createTestChannel(t.ctx, ws.workspace.id, 'x', true);
  const send = async (key: string, channel: typeof listening, text: string, author: string, sentAt: string) => {
    const res = await postMessages(t.app, channel, messageOf({ externalId: key, text, sentAt, author: { externalId: author, handle: author } }));
    expect(res.statusCode, res.body).toBeLessThan(300);
    ids[key] = res.json().data;
  };
  await send('spam', listening, 'Brightwave giveaway! win a free phone, click here https://promo.example', 'promo_bot', '2026-03-02T09:00:00Z');
  await send('complaint', listening, 'Brightwave dropped my calls again, three times today. Useless.', 'ana', '2026-03-02T09:01:00Z');
  await send('unmatched', listening, 'lovely weather in the park', 'walker', '2026-03-02T09:02:00Z');
  await send('owned', owned, 'Brightwave is better than you', 'owner_fan', '2026-03-02T09:03:00Z');
  // Spam first (no case), then a complaint of the same customer (a case): converting the spam joins that case.
  await send('later-spam', listening, 'brightwave crypto giveaway, click here https://promo.example/2', 'gus', '2026-03-02T09:04:00Z');
  await send('later-complaint', listening, 'Brightwave charged me twice for March and nobody answers the phone', 'gus', '2026-03-02T09:05:00Z');
});

afterAll(async () => {
  await t.close();
});

describe('listening API', () => {
  it('lists posts heard on listening channels with their rules, labels and cases, newest first', async () => {
    expect(ids.unmatched.messageId).toBeNull();
    const res = await call('GET', '/api/v1/listening/posts', agent);
    expect(res.statusCode).toBe(200);
    const posts: PostView[] = res.json().data;
    expect(posts.map((p) => p.messageId)).toEqual([ids['later-complaint'].messageId, ids['later-spam'].messageId, ids.complaint.messageId, ids.spam.messageId]);
    expect(posts[3].rules).toEqual([{ id: ruleId, name: 'Rival', tag: 'competitor' }]);
    expect(posts[3].labels?.intent).toBe('spam');
    expect(posts[3].caseId).toBeNull();
    expect(posts[2].caseId).toBe(ids.complaint.caseId);
    // The recommendation is whatever the alerts feature stored on the message, passed through unchanged.
    const stored = await t.ctx.db.query<{ recommendation: unknown }>(
      `SELECT to_jsonb(m) -> 'recommendation' AS recommendation FROM message m WHERE m.id = $1`, [posts[0].messageId],
    );
    expect(posts[0].recommendation).toEqual(stored[0].recommendation ?? null);
    expect(res.json().nextCursor).toBeNull();

    const unconverted = await call('GET', '/api/v1/listening/posts?unconverted=true', agent);
    expect(unconverted.json().data.map((p: PostView) => p.messageId)).toEqual([ids['later-spam'].messageId, ids.spam.messageId]);
    const otherRule = await call('GET', '/api/v1/listening/posts?rule=00000000-0000-4000-8000-000000000000', agent);
    expect(otherRule.json().data).toEqual([]);
    expect((await call('GET', `/api/v1/listening/posts?rule=${ruleId}`, agent)).json().data).toHaveLength(4);
  });

  it('pages with a cursor and refuses bad input', async () => {
    const first = await call('GET', '/api/v1/listening/posts?limit=3', agent);
    const cursor: string = first.json().nextCursor;
    expect(first.json().data).toHaveLength(3);
    const second = await call('GET', `/api/v1/listening/posts?limit=3&cursor=${cursor}`, agent);
    expect(second.json().data.map((p: PostView) => p.messageId)).toEqual([ids.spam.messageId]);
    expect(second.json().nextCursor).toBeNull();
    expect((await call('GET', '/api/v1/listening/posts?cursor=nonsense', agent)).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/listening/posts?rule=7', agent)).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/listening/posts', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/listening/posts', stranger)).json().data).toEqual([]);
  });

  it('converts a post into a new case in one action, once', async () => {
    const url = `/api/v1/listening/posts/${ids.spam.messageId}/case`;
    const converted = await call('POST', url, agent);
    expect(converted.statusCode).toBe(201);
    const outcome = converted.json().data;
    expect(outcome).toMatchObject({ converted: true, caseCreated: true });
    const again = await call('POST', url, agent);
    expect(again.statusCode).toBe(200);
    expect(again.json().data).toEqual({ caseId: outcome.caseId, converted: false, caseCreated: false });

    const detail = await call('GET', `/api/v1/cases/${outcome.caseId}`, agent);
    expect(detail.statusCode).toBe(200);
    const body = detail.json().data;
    expect(body.timeline.map((m: { id: string }) => m.id)).toContain(ids.spam.messageId);
    expect(body.case.messageCount).toBe(1);
    expect(body.events).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'case.created' }),
      expect.objectContaining({ type: 'case.updated', actorUserId: agent.user.id, data: expect.objectContaining({ reason: 'listening.converted' }) }),
    ]));
    const queue = await call('GET', '/api/v1/queue', agent);
    expect(queue.json().data.map((c: { id: string }) => c.id)).toContain(outcome.caseId);
  });

  it("threads a converted post into the customer's open case", async () => {
    const res = await call('POST', `/api/v1/listening/posts/${ids['later-spam'].messageId}/case`, agent);
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toEqual({ caseId: ids['later-complaint'].caseId, converted: true, caseCreated: false });
    const detail = await call('GET', `/api/v1/cases/${ids['later-complaint'].caseId}`, agent);
    expect(detail.json().data.case.messageCount).toBe(2);
  });

  it('answers 404 for what is not an inbound post of the workspace, and 401 without a session', async () => {
    expect((await call('POST', `/api/v1/listening/posts/${ids.complaint.messageId}/case`, stranger)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/listening/posts/not-a-uuid/case', agent)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/listening/posts/00000000-0000-4000-8000-000000000000/case', agent)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/listening/posts/${ids.spam.messageId}/case`, null)).statusCode).toBe(401);
  });
});
