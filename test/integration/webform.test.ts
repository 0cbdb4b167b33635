import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';

const clock = fixedClock(new Date('2026-03-02T09:00:00.000Z'));
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

async function formChannel(config: Record<string, unknown> = {}) {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
  const { channel } = await createChannel(t.ctx.db, t.ctx.secretKey, { workspaceId: workspace.id, kind: 'webform', name: 'Contact us', config });
  return { workspace, channel, token: users[0].token, url: `/api/v1/public/forms/${channel.id}` };
}

async function fetchFormToken(url: string): Promise<string> {
  const res = await t.app.inject({ url });
  expect(res.statusCode).toBe(200);
  return res.json().data.token;
}

function submit(url: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url, payload });
}

async function messageCount(channelId: string): Promise<number> {
  const rows = await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message WHERE channel_id = $1', [channelId]);
  return Number(rows[0].n);
}

const person = { name: 'Dana Lee', email: 'Dana.Lee@example.com', subject: 'Double charge', message: 'I was charged twice for March, please refund one.' };

describe('the public web form', () => {
  it('hands out a token, refuses a form sent at once, and stores one sent after a human pause as a case from the email identity', async () => {
    const { url, channel, token } = await formChannel();
    const start = await t.app.inject({ url });
    expect(start.json().data).toMatchObject({ minFillSeconds: 3, maxLinks: 2, honeypotField: 'website' });
    const formToken = start.json().data.token;

    const tooFast = await submit(url, { ...person, token: formToken });
    expect(tooFast.statusCode).toBe(422);
    expect(tooFast.json().error.details[0].path).toBe('token');
    expect(tooFast.json().error.message).toMatch(/too quickly/);

    clock.advance(8_000);
    const ok = await submit(url, { ...person, token: formToken });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ data: { status: 'received' } });
    // A double-clicked submit is one message.
    expect((await submit(url, { ...person, token: formToken })).statusCode).toBe(201);
    expect(await messageCount(channel.id)).toBe(1);

    const queue = await t.app.inject({ url: '/api/v1/queue?channel=webform', headers: bearer(token) });
    const [only] = queue.json().data;
    expect(only.subject).toContain('Double charge');
    const customer = await t.app.inject({ url: `/api/v1/customers/${only.customer.id}`, headers: bearer(token) });
    expect(customer.json().data.identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'dana.lee@example.com' }));
    expect(customer.json().data.displayName).toBe('Dana Lee');
  });

  it('accepts a plain HTML form post (form-encoded)', async () => {
    const { url, channel } = await formChannel();
    const formToken = await fetchFormToken(url);
    clock.advance(5_000);
    const res = await t.app.inject({
      method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...person, token: formToken, website: '', submit: 'Send' }).toString(),
    });
    expect(res.statusCode).toBe(201);
    expect(await messageCount(channel.id)).toBe(1);
  });

  it('drops a filled honeypot silently', async () => {
    const { url, channel } = await formChannel();
    const formToken = await fetchFormToken(url);
    clock.advance(5_000);
    const res = await submit(url, { ...person, token: formToken, website: 'http://spam.example' });
    expect(res.statusCode).toBe(201);
    expect(await messageCount(channel.id)).toBe(0);
  });

  it('names the bad field: email, name, links, length, forged or expired token', async () => {
    const { workspace } = await formChannel();
    // Each case on its own form, so the submission rate limit (5 a minute per address and form) stays out of the way.
    const forms = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const { channel } = await createChannel(t.ctx.db, t.ctx.secretKey, {
          workspaceId: workspace.id, kind: 'webform', name: 'Contact us', config: { maxLength: 200, maxLinks: 1 },
        });
        const url = `/api/v1/public/forms/${channel.id}`;
        return { channel, url, token: await fetchFormToken(url) };
      }),
    );
    clock.advance(5_000);
    const cases: [(token: string) => Record<string, unknown>, string, RegExp?][] = [
      [(token) => ({ ...person, email: 'not-an-email', token }), 'email'],
      [(token) => ({ ...person, email: undefined, token }), 'email'],
      [(token) => ({ ...person, name: '   ', token }), 'name'],
      [(token) => ({ ...person, message: 'see https://a.example and www.b.example', token }), 'message', /2 links/],
      [(token) => ({ ...person, message: 'x'.repeat(201), token }), 'message', /longer than 200/],
      [(token) => ({ ...person, token: `${token.slice(0, -2)}AA` }), 'token', /invalid/],
      [() => ({ ...person }), 'token'],
    ];
    for (const [i, [payloadOf, path, message]] of cases.entries()) {
      const res = await submit(forms[i].url, payloadOf(forms[i].token));
      expect(res.statusCode, path).toBe(422);
      expect(res.json().error.details[0].path).toBe(path);
      if (message) expect(res.json().error.message).toMatch(message);
    }
    const last = forms[7];
    clock.advance(25 * 3_600_000);
    const expired = await submit(last.url, { ...person, token: last.token });
    expect(expired.statusCode).toBe(422);
    expect(expired.json().error.message).toMatch(/expired/);
    for (const form of forms) expect(await messageCount(form.channel.id)).toBe(0);
  });

  it('a token from one form does not open another', async () => {
    const a = await formChannel();
    const b = await formChannel();
    const tokenA = await fetchFormToken(a.url);
    clock.advance(5_000);
    expect((await submit(b.url, { ...person, token: tokenA })).statusCode).toBe(422);
  });

  it('is 404 for unknown, malformed, other-kind and disabled channels', async () => {
    const { workspace } = await formChannel();
    const api = await createTestChannel(t.ctx, workspace.id, 'api');
    const disabled = await formChannel({ enabled: false });
    for (const id of [crypto.randomUUID(), 'nope', api.channel.id, disabled.channel.id]) {
      const res = await t.app.inject({ url: `/api/v1/public/forms/${id}` });
      expect(res.statusCode).toBe(404);
      expect((await submit(`/api/v1/public/forms/${id}`, { ...person, token: 'v1.x.y' })).statusCode).toBe(404);
    }
  });

  it('rate limits submissions per client address: the sixth within a minute is 429', async () => {
    const { url } = await formChannel();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await submit(url, { ...person, token: 'v1.x.y' })).statusCode);
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
    const limited = await submit(url, { ...person, token: 'v1.x.y' });
    expect(limited.json().error.code).toBe('rate_limited');
    // Another form is counted on its own.
    const other = await formChannel();
    expect((await submit(other.url, { ...person, token: 'v1.x.y' })).statusCode).toBe(422);
  });

  it('refuses bodies that are not JSON or a form', async () => {
    const { url } = await formChannel();
    const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(res.statusCode).toBe(415);
  });
});
