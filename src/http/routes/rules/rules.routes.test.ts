import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../../../../test/support/app.ts';
import type { TestApp, TestUser } from '../../../../test/support/app.ts';

let t: TestApp;
let admin: TestUser;
let supervisor: TestUser;
let agent: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const a = await createWorkspaceWithUsers(t.ctx, ['admin', 'supervisor', 'agent']);
  [admin, supervisor, agent] = a.users;
  stranger = (await createWorkspaceWithUsers(t.ctx, ['admin'])).users[0];
});

afterAll(async () => {
  await t.close();
});

function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, user: TestUser | null, body?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { ...(user ? bearer(user.token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('rules API', () => {
  let ruleId: string;

  it('creates a rule (supervisor) and lists it (agent)', async () => {
    const created = await call('POST', '/api/v1/rules', supervisor, { name: 'Brand', tag: 'brand', query: 'acme -job' });
    expect(created.statusCode).toBe(201);
    const rule = created.json().data;
    expect(rule).toMatchObject({ name: 'Brand', tag: 'brand', query: 'acme -job', enabled: true, createdBy: supervisor.user.id });
    ruleId = rule.id;

    const list = await call('GET', '/api/v1/rules', agent);
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((r: { id: string }) => r.id)).toEqual([ruleId]);
    expect((await call('GET', '/api/v1/rules?tag=competitor', agent)).json().data).toEqual([]);
    expect((await call('GET', '/api/v1/rules?tag=nope', agent)).statusCode).toBe(400);

    const one = await call('GET', `/api/v1/rules/${ruleId}`, agent);
    expect(one.statusCode).toBe(200);
    expect(one.json().data.id).toBe(ruleId);
  });

  it('rejects a malformed query with the column', async () => {
    const res = await call('POST', '/api/v1/rules', admin, { name: 'Broken', tag: 'brand', query: 'acme (router OR' });
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('query: OR needs something to match after it at column 14');
    expect(error.details).toEqual([{ path: 'query', message: 'OR needs something to match after it at column 14', column: 14 }]);
  });

  it('validates the body, the role, the token and the id', async () => {
    expect((await call('POST', '/api/v1/rules', admin, { name: 'x', tag: 'enemy', query: 'a' })).statusCode).toBe(422);
    expect((await call('POST', '/api/v1/rules', admin, { name: '', tag: 'brand', query: 'a' })).statusCode).toBe(422);
    expect((await call('POST', '/api/v1/rules', admin, { name: 'x', tag: 'brand', query: 'a', extra: 1 })).statusCode).toBe(422);
    expect((await call('POST', '/api/v1/rules', agent, { name: 'x', tag: 'brand', query: 'a' })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/rules', null, { name: 'x', tag: 'brand', query: 'a' })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/rules', null)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/rules', headers: bearer('pat_nope') })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/rules/not-a-uuid', agent)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/rules/00000000-0000-4000-8000-000000000000', agent)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/rules/${ruleId}`, agent, { enabled: false })).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/rules/${ruleId}`, agent)).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/rules/${ruleId}`, supervisor, {})).statusCode).toBe(422);
    const duplicate = await call('POST', '/api/v1/rules', admin, { name: 'BRAND', tag: 'other', query: 'a' });
    expect(duplicate.statusCode).toBe(409);
  });

  it("hides one workspace's rules from another", async () => {
    expect((await call('GET', `/api/v1/rules/${ruleId}`, stranger)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/rules/${ruleId}`, stranger, { enabled: false })).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/rules/${ruleId}`, stranger)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/rules', stranger)).json().data).toEqual([]);
  });

  it('filters ingested listening posts by the rules and records the matched rule ids', async () => {
    const listening = await createTestChannel(t.ctx, supervisor.user.workspaceId, 'api', false);
    const owned = await createTestChannel(t.ctx, supervisor.user.workspaceId, 'api', true);
    const heard = await postMessages(t.app, listening, messageOf({ externalId: 'l-1', text: 'My Acme router died again' }));
    expect(heard.json().data.status).toBe('created');
    const ignored = await postMessages(t.app, listening, messageOf({ externalId: 'l-2', text: 'Acme job: we are hiring' }));
    expect(ignored.json().data.status).toBe('ignored');
    const ownedPost = await postMessages(t.app, owned, messageOf({ externalId: 'o-1', text: 'unrelated DM' }));
    expect(ownedPost.json().data.status).toBe('created');
    const rows = await t.ctx.db.query<{ matched_rule_ids: string[] }>(
      'SELECT matched_rule_ids FROM message WHERE workspace_id = $1 AND id = $2',
      [supervisor.user.workspaceId, heard.json().data.messageId],
    );
    expect(rows[0].matched_rule_ids).toEqual([ruleId]);

    // another workspace without rules still hears everything on its listening channels
    const strangerChannel = await createTestChannel(t.ctx, stranger.user.workspaceId, 'api', false);
    const strangerPost = await postMessages(t.app, strangerChannel, messageOf({ externalId: 's-1', text: 'Acme job' }));
    expect(strangerPost.json().data.status).toBe('created');
  });

  it('tests an unsaved rule against recent posts', async () => {
    const res = await call('POST', '/api/v1/rules/test', agent, { query: 'router OR dm', limit: 50 });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.scanned).toBe(2);
    expect(data.matches.map((m: { text: string }) => m.text)).toEqual(expect.arrayContaining(['My Acme router died again', 'unrelated DM']));
    expect(data.matches[0]).toMatchObject({ authorHandle: 'customer_one', isReply: false, channelKind: 'api' });
    expect(data.xStreamRule).toEqual({ ok: true, value: 'router OR dm', exact: true });
    const unfilterable = await call('POST', '/api/v1/rules/test', agent, { query: '-spam' });
    expect(unfilterable.json().data.xStreamRule).toMatchObject({ ok: false, reason: expect.stringContaining('X needs a keyword') });

    const bad = await call('POST', '/api/v1/rules/test', agent, { query: 'router "dm' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details[0]).toMatchObject({ path: 'query', column: 8 });
    expect((await call('POST', '/api/v1/rules/test', agent, { query: 'x', limit: 0 })).statusCode).toBe(422);
    expect((await call('POST', '/api/v1/rules/test', null, { query: 'x' })).statusCode).toBe(401);
    // the stranger's workspace has its own recent posts only
    const theirs = await call('POST', '/api/v1/rules/test', stranger, { query: 'router' });
    expect(theirs.json().data).toMatchObject({ scanned: 1, matches: [] });
  });

  it('updates a rule and the matcher follows at once', async () => {
    const listening = await createTestChannel(t.ctx, supervisor.user.workspaceId, 'api', false);
    const res = await call('PATCH', `/api/v1/rules/${ruleId}`, supervisor, { query: 'globex', tag: 'competitor', name: 'Rival' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ query: 'globex', tag: 'competitor', name: 'Rival' });
    expect(res.json().data.updatedAt > res.json().data.createdAt).toBe(true);
    const badPatch = await call('PATCH', `/api/v1/rules/${ruleId}`, supervisor, { query: 'globex OR' });
    expect(badPatch.statusCode).toBe(422);
    expect(badPatch.json().error.details[0].column).toBe(8);
    expect((await postMessages(t.app, listening, messageOf({ externalId: 'u-1', text: 'acme' }))).json().data.status).toBe('ignored');
    expect((await postMessages(t.app, listening, messageOf({ externalId: 'u-2', text: 'Globex!' }))).json().data.status).toBe('created');
  });

  it('deletes a rule', async () => {
    expect((await call('DELETE', `/api/v1/rules/${ruleId}`, admin)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/rules/${ruleId}`, agent)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/v1/rules/${ruleId}`, admin)).statusCode).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/rules', '/api/v1/rules/{id}', '/api/v1/rules/test']));
  });
});
