import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp, TestUser } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

function sessionCookieOf(res: LightMyRequestResponse): { value: string; raw: string } {
  const header = res.headers['set-cookie'];
  const raw = (Array.isArray(header) ? header : [header ?? '']).find((c) => c.startsWith('parley_session=')) ?? '';
  return { value: raw.split(';')[0].slice('parley_session='.length), raw };
}

async function signIn(user: TestUser) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.user.email, password: user.password } });
  expect(res.statusCode).toBe(200);
  return { cookie: sessionCookieOf(res), csrf: res.json().data.csrfToken as string };
}

describe('sessions', () => {
  it('signs in with an httpOnly, SameSite cookie and knows who is signed in', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: users[0].user.email.toUpperCase(), password: users[0].password } });
    expect(res.statusCode).toBe(200);
    const cookie = sessionCookieOf(res);
    expect(cookie.raw).toMatch(/HttpOnly/i);
    expect(cookie.raw).toMatch(/SameSite=Lax/i);
    const me = await t.app.inject({ url: '/api/v1/session', cookies: { parley_session: cookie.value } });
    expect(me.json().data).toMatchObject({ user: { id: users[0].user.id, role: 'agent' }, workspace: { id: workspace.id } });
  });

  it('refuses a wrong password or unknown email with the same 401', async () => {
    const { users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: users[0].user.email, password: 'not-the-password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'nobody@example.com', password: 'whatever-123' } });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('never accepts a session id it did not issue (no fixation), and signing out ends the session', async () => {
    const { users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const planted = await t.app.inject({ url: '/api/v1/session', cookies: { parley_session: 'pss_attacker-chosen' } });
    expect(planted.statusCode).toBe(401);
    const first = await signIn(users[0]);
    const second = await signIn(users[0]);
    expect(first.cookie.value).not.toBe(second.cookie.value);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', cookies: { parley_session: first.cookie.value }, headers: { 'x-csrf-token': first.csrf } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/v1/session', cookies: { parley_session: first.cookie.value } });
    expect(after.statusCode).toBe(401);
    const other = await t.app.inject({ url: '/api/v1/session', cookies: { parley_session: second.cookie.value } });
    expect(other.statusCode).toBe(200);
  });

  it('requires the CSRF header for cookie-authenticated changes, but not for API tokens', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const channel = await createTestChannel(t.ctx, workspace.id);
    const caseId = (await postMessages(t.app, channel, messageOf({ externalId: 'csrf' }))).json().data.caseId;
    const { cookie, csrf } = await signIn(users[0]);
    const url = `/api/v1/cases/${caseId}`;
    const payload = { status: 'open' };
    const missing = await t.app.inject({ method: 'PATCH', url, payload, cookies: { parley_session: cookie.value } });
    const wrong = await t.app.inject({ method: 'PATCH', url, payload, cookies: { parley_session: cookie.value }, headers: { 'x-csrf-token': 'nope' } });
    const right = await t.app.inject({ method: 'PATCH', url, payload, cookies: { parley_session: cookie.value }, headers: { 'x-csrf-token': csrf } });
    const token = await t.app.inject({ method: 'PATCH', url, payload: { status: 'waiting' }, headers: bearer(users[0].token) });
    expect([missing.statusCode, wrong.statusCode, right.statusCode, token.statusCode]).toEqual([403, 403, 200, 200]);
    expect(missing.json().error.code).toBe('csrf_failed');
  });

  it('asks for a session or token on every API route', async () => {
    for (const url of ['/api/v1/queue', '/api/v1/session', '/api/v1/users', '/api/v1/channels', '/api/v1/events']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const revoked = await t.app.inject({ url: '/api/v1/queue', headers: bearer('pat_unknown') });
    expect(revoked.statusCode).toBe(401);
  });
});

describe('roles', () => {
  it('lets admins create users and channels, and no one else', async () => {
    const { users } = await createWorkspaceWithUsers(t.ctx, ['admin', 'supervisor', 'agent']);
    const [admin, supervisor, agent] = users;
    const newUser = { email: 'new.agent@example.com', name: 'New Agent', role: 'agent', password: 'a-long-password' };
    const byAgent = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser, headers: bearer(agent.token) });
    const bySupervisor = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser, headers: bearer(supervisor.token) });
    const byAdmin = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser, headers: bearer(admin.token) });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: newUser, headers: bearer(admin.token) });
    expect([byAgent.statusCode, bySupervisor.statusCode, byAdmin.statusCode, again.statusCode]).toEqual([403, 403, 201, 409]);
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/users', payload: { ...newUser, email: 'x@example.com', password: 'short' }, headers: bearer(admin.token) });
    expect(weak.statusCode).toBe(422);

    const channel = { kind: 'email', name: 'Support inbox', credentials: { password: 'imap-secret' } };
    const agentChannel = await t.app.inject({ method: 'POST', url: '/api/v1/channels', payload: channel, headers: bearer(agent.token) });
    expect(agentChannel.statusCode).toBe(403);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/channels', payload: channel, headers: bearer(admin.token) });
    expect(created.statusCode).toBe(201);
    expect(created.json().data.token).toMatch(/^pch_/);
    expect(created.json().data.channel.hasCredentials).toBe(true);
    const listed = await t.app.inject({ url: '/api/v1/channels', headers: bearer(agent.token) });
    expect(JSON.stringify(listed.json())).not.toContain('imap-secret');
    const stored = await t.ctx.db.query<{ credentials_encrypted: string }>(`SELECT credentials_encrypted FROM channel WHERE id = $1`, [created.json().data.channel.id]);
    expect(stored[0].credentials_encrypted).not.toContain('imap-secret');
  });

  it('rotating a channel token retires the old one', async () => {
    const { users, workspace } = await createWorkspaceWithUsers(t.ctx, ['admin']);
    const channel = await createTestChannel(t.ctx, workspace.id);
    const rotated = await t.app.inject({ method: 'POST', url: `/api/v1/channels/${channel.channel.id}/token`, headers: bearer(users[0].token) });
    expect(rotated.statusCode).toBe(200);
    const old = await postMessages(t.app, channel, messageOf({ externalId: 'old-token' }));
    expect(old.statusCode).toBe(401);
    const fresh = await postMessages(t.app, { ...channel, token: rotated.json().data.token }, messageOf({ externalId: 'new-token' }));
    expect(fresh.statusCode).toBe(201);
  });
});
