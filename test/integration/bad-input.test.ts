import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/db.ts';
import { buildApp } from '../../src/http/app.ts';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function messageCount(workspaceId: string): Promise<number> {
  const rows = await t.ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM message WHERE workspace_id = $1`, [workspaceId]);
  return Number(rows[0].n);
}

describe('bad input gets a clear error and writes nothing', () => {
  it.each([
    ['malformed JSON', '{"externalId": "x", ', 400, 'invalid_json'],
    ['an empty body', '', 400, 'bad_request'],
    ['wrong types', { externalId: 5, text: 'hi', author: { externalId: 'a' } }, 422, 'validation_failed'],
    ['a missing author', { externalId: 'x1', text: 'hi' }, 422, 'validation_failed'],
    ['an unknown field', { ...messageOf({ externalId: 'x2' }), priority: 'urgent' }, 422, 'validation_failed'],
    ['an unknown author field', { ...messageOf({ externalId: 'x3' }), author: { externalId: 'a', followers: 10 } }, 422, 'validation_failed'],
    ['a bad timestamp', messageOf({ externalId: 'x4', sentAt: 'yesterday' }), 422, 'validation_failed'],
    ['an empty batch', { messages: [] }, 422, 'validation_failed'],
    ['a JSON array', [messageOf({ externalId: 'x5' })], 422, 'validation_failed'],
  ])('%s', async (_name, body, status, code) => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, []);
    const channel = await createTestChannel(t.ctx, workspace.id);
    const res = await postMessages(t.app, channel, body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(typeof res.json().error.message).toBe('string');
    expect(await messageCount(workspace.id)).toBe(0);
  });

  it('rejects a whole batch when one message is invalid, naming the bad field', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, []);
    const channel = await createTestChannel(t.ctx, workspace.id);
    const res = await postMessages(t.app, channel, { messages: [messageOf({ externalId: 'ok' }), { ...messageOf({ externalId: 'bad' }), text: 42 }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0].path).toBe('messages.1.text');
    expect(await messageCount(workspace.id)).toBe(0);
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, []);
    const channel = await createTestChannel(t.ctx, workspace.id);
    const res = await postMessages(t.app, channel, messageOf({ externalId: 'big', raw: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await messageCount(workspace.id)).toBe(0);
  });

  it('rejects a non-JSON content type with 415', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, []);
    const channel = await createTestChannel(t.ctx, workspace.id);
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/channels/${channel.channel.id}/messages`,
      headers: { authorization: `Bearer ${channel.token}`, 'content-type': 'text/plain' }, payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('authenticates ingest by channel token: missing 401, unknown 401, another channel’s 403', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, []);
    const a = await createTestChannel(t.ctx, workspace.id);
    const b = await createTestChannel(t.ctx, workspace.id);
    const url = `/api/v1/channels/${a.channel.id}/messages`;
    const payload = messageOf({ externalId: 'auth' });
    const missing = await t.app.inject({ method: 'POST', url, payload });
    const unknown = await t.app.inject({ method: 'POST', url, payload, headers: bearer('pch_not-a-real-token') });
    const foreign = await t.app.inject({ method: 'POST', url, payload, headers: bearer(b.token) });
    expect([missing.statusCode, unknown.statusCode, foreign.statusCode]).toEqual([401, 401, 403]);
    expect(foreign.json().error.code).toBe('forbidden');
    expect(await messageCount(workspace.id)).toBe(0);
  });

  it('answers unknown, malformed and foreign ids with 404', async () => {
    const { users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const token = users[0].token;
    for (const url of [`/api/v1/cases/${randomUUID()}`, '/api/v1/cases/not-a-uuid', `/api/v1/customers/${randomUUID()}`, '/api/v1/nothing-here']) {
      const res = await t.app.inject({ url, headers: bearer(token) });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('rejects bad queue filters and cursors with 400', async () => {
    const { users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const headers = bearer(users[0].token);
    for (const query of ['status=sleeping', 'limit=0', 'limit=abc', 'cursor=garbage', 'channel=pigeon', 'assignee=someone', 'colour=red']) {
      const res = await t.app.inject({ url: `/api/v1/queue?${query}`, headers });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
    }
  });

  it('answers 503 when the database is unreachable, and the client can retry safely', async () => {
    const { workspace } = await createWorkspaceWithUsers(t.ctx, []);
    const channel = await createTestChannel(t.ctx, workspace.id);
    // The same app, wired to a PostgreSQL server that is not there (nothing listens on port 1).
    const unreachable = await openDatabase({ databaseUrl: 'postgres://parley@127.0.0.1:1/none', dataDir: 'unused', poolSize: 1 });
    const offline = await buildApp({ ...t.ctx, db: unreachable });
    try {
      const failed = await postMessages(offline, channel, messageOf({ externalId: 'retry-me' }));
      expect(failed.statusCode).toBe(503);
      expect(failed.json().error.code).toBe('unavailable');
      expect(failed.headers['retry-after']).toBeDefined();
      const ready = await offline.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await offline.close();
      await unreachable.close();
    }
    const retried = await postMessages(t.app, channel, messageOf({ externalId: 'retry-me' }));
    expect(retried.statusCode).toBe(201);
    const again = await postMessages(t.app, channel, messageOf({ externalId: 'retry-me' }));
    expect(again.json().data.status).toBe('duplicate');
    expect(await messageCount(workspace.id)).toBe(1);
  });
});
