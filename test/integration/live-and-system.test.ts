import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

/** Reads server-sent events until `count` events of interest arrived or the time is up. */
async function readEvents(response: Response, wanted: (type: string) => boolean, count: number, timeoutMs = 10_000) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  const events: { id: string; type: string; data: { caseId: string | null } }[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(frame.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
      if (fields.event && wanted(fields.event)) events.push({ id: fields.id, type: fields.event, data: JSON.parse(fields.data) });
    }
  }
  await reader.cancel();
  return events;
}

describe('live events', () => {
  it('streams case events of the caller’s workspace only, and resumes after Last-Event-ID', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const other = await createWorkspaceWithUsers(t.ctx, []);
    const channel = await createTestChannel(t.ctx, workspace.id);
    const otherChannel = await createTestChannel(t.ctx, other.workspace.id);
    const stream = await fetch(`${baseUrl}/api/v1/events`, { headers: bearer(users[0].token) });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    await postMessages(t.app, otherChannel, messageOf({ externalId: 'elsewhere' }));
    const created = (await postMessages(t.app, channel, messageOf({ externalId: 'live-1' }))).json().data;
    const events = await readEvents(stream, (type) => type === 'case.created', 1);
    expect(events).toHaveLength(1);
    expect(events[0].data.caseId).toBe(created.caseId);

    // Reconnecting with Last-Event-ID delivers what happened in between, and nothing twice.
    const second = (await postMessages(t.app, channel, messageOf({ externalId: 'live-2', author: { externalId: 'another' } }))).json().data;
    const resumed = await fetch(`${baseUrl}/api/v1/events`, { headers: { ...bearer(users[0].token), 'last-event-id': events[0].id } });
    const replay = await readEvents(resumed, (type) => type === 'case.created' || type === 'message.received', 3);
    expect(replay.map((e) => e.data.caseId)).toEqual([created.caseId, second.caseId, second.caseId]);
  });
});

describe('operations endpoints', () => {
  it('reports health, readiness and Prometheus metrics', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe(t.ctx.db.kind);
    const { workspace } = await createWorkspaceWithUsers(t.ctx, []);
    await postMessages(t.app, await createTestChannel(t.ctx, workspace.id), messageOf({ externalId: 'metric' }));
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(/parley_messages_ingested_total\{channel_kind="api",status="created"\} [1-9]/);
    expect(metrics.body).toMatch(/parley_http_requests_total\{method="POST",route="\/api\/v1\/channels\/:id\/messages",status="201"\}/);
  });

  it('publishes an OpenAPI document listing every API route', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/queue', '/api/v1/cases/{id}', '/api/v1/channels/{id}/messages', '/api/v1/session', '/api/v1/events']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/v1/cases/{id}'].patch.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/queue'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['status', 'cursor', 'limit']));
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
