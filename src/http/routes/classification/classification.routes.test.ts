import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedbackJsonl } from '../../../features/classification/index.ts';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../../../../test/support/app.ts';
import type { TestApp, TestUser } from '../../../../test/support/app.ts';

let t: TestApp;
let agent: TestUser;
let supervisor: TestUser;
let stranger: TestUser;
let inbound: { messageId: string; caseId: string };
const text = 'great, another outage. third this week';

function call(method: 'GET' | 'POST', url: string, user: TestUser | null, body?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { ...(user ? bearer(user.token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  t = await createTestApp();
  const ws = await createWorkspaceWithUsers(t.ctx, ['agent', 'supervisor']);
  [agent, supervisor] = ws.users;
  stranger = (await createWorkspaceWithUsers(t.ctx, ['admin'])).users[0];
  const channel = await createTestChannel(t.ctx, ws.workspace.id, 'x');
  const res = await postMessages(t.app, channel, messageOf({ externalId: 'c-1', text }));
  inbound = res.json().data;
});

afterAll(async () => {
  await t.close();
});

describe('label corrections API', () => {
  it('records a correction as an event of the case, keeping the model labels', async () => {
    const res = await call('POST', `/api/v1/messages/${inbound.messageId}/corrections`, agent, { complaint: true, sentiment: 'negative', topics: ['outage'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ messageId: inbound.messageId, caseId: inbound.caseId, complaint: true, sentiment: 'negative', topics: ['outage'], correctedBy: agent.user.id });

    const detail = (await call('GET', `/api/v1/cases/${inbound.caseId}`, agent)).json().data;
    const event = detail.events.find((e: { type: string }) => e.type === 'message.labels_corrected');
    expect(event).toMatchObject({ actorUserId: agent.user.id, data: { messageId: inbound.messageId, complaint: true, sentiment: 'negative', topics: ['outage'] } });
    expect(event.data.previous).toHaveProperty('modelVersion');
    const message = detail.timeline.find((m: { id: string }) => m.id === inbound.messageId);
    expect(message.labels.modelVersion).toBe(event.data.previous.modelVersion);
  });

  it('refuses empty or invalid corrections, foreign messages and anonymous callers', async () => {
    const url = `/api/v1/messages/${inbound.messageId}/corrections`;
    expect((await call('POST', url, agent, {})).statusCode).toBe(422);
    expect((await call('POST', url, agent, { sentiment: 'furious' })).statusCode).toBe(422);
    expect((await call('POST', url, agent, { topics: ['Not A Topic'] })).statusCode).toBe(422);
    expect((await call('POST', url, agent, { complaint: true, extra: 1 })).statusCode).toBe(422);
    expect((await call('POST', url, stranger, { complaint: false })).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/messages/00000000-0000-4000-8000-000000000000/corrections', agent, { complaint: false })).statusCode).toBe(404);
    expect((await call('POST', url, null, { complaint: false })).statusCode).toBe(401);
  });

  it('exports corrections as the feedback file training reads (supervisors)', async () => {
    expect((await call('GET', '/api/v1/label-corrections', agent)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/label-corrections', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/label-corrections?limit=0', supervisor)).statusCode).toBe(400);
    const res = await call('GET', '/api/v1/label-corrections', supervisor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const parsed = parseFeedbackJsonl(res.body);
    expect(parsed.errors).toEqual([]);
    expect(parsed.corrections).toEqual([
      expect.objectContaining({ text, complaint: true, sentiment: 'negative', topics: ['outage'], messageId: inbound.messageId, correctedBy: agent.user.id }),
    ]);
    expect((await call('GET', '/api/v1/label-corrections', stranger)).body).toBe('');
  });
});
