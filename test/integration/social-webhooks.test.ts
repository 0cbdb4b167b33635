import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel } from '../../src/features/channels/index.ts';
import { bearer, createTestApp, createWorkspaceWithUsers } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const xSign = (secret: string, body: string) => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('base64')}`;
const fbSign = (secret: string, body: string) => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;

async function setup(kind: 'x' | 'facebook', credentials: Record<string, string>) {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
  const { channel } = await createChannel(t.ctx.db, t.ctx.secretKey, { workspaceId: workspace.id, kind, name: kind, credentials });
  return { workspace, channel, token: users[0].token };
}

function post(url: string, body: string, headers: Record<string, string>) {
  return t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
}

describe('X Account Activity webhook', () => {
  const secret = 'consumer-secret-for-tests';

  it('answers the CRC and turns a signed mention into a case; a bad signature or replayed delivery writes nothing', async () => {
    const { workspace, channel, token } = await setup('x', { consumerSecret: secret });
    const url = `/webhooks/x/${channel.id}`;
    const crc = await t.app.inject({ url: `${url}?crc_token=abc123` });
    expect(crc.statusCode).toBe(200);
    expect(crc.json()).toEqual({ response_token: xSign(secret, 'abc123') });
    expect((await t.app.inject({ url })).statusCode).toBe(400);

    const now = Date.now();
    const body = JSON.stringify({
      for_user_id: '900000000000000001',
      tweet_create_events: [{
        id_str: '1900000000000000123', text: '@brand my router has been dead since Monday',
        timestamp_ms: String(now), user: { id_str: '1247048165561270272', screen_name: 'tanu', name: 'Tanu', followers_count: 20 },
      }],
    });
    const forged = await post(url, body, { 'x-twitter-webhooks-signature': xSign('not-the-secret', body) });
    expect(forged.statusCode).toBe(403);
    const missing = await post(url, body, {});
    expect(missing.statusCode).toBe(403);

    const ok = await post(url, body, { 'x-twitter-webhooks-signature': xSign(secret, body) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({ accepted: 1, duplicates: 0, skipped: 0 });
    const again = await post(url, body, { 'x-twitter-webhooks-signature': xSign(secret, body) });
    expect(again.json().data).toEqual({ accepted: 0, duplicates: 1, skipped: 0 });

    const queue = (await t.app.inject({ url: '/api/v1/queue', headers: bearer(token) })).json().data;
    expect(queue).toHaveLength(1);
    const detail = (await t.app.inject({ url: `/api/v1/cases/${queue[0].id}`, headers: bearer(token) })).json().data;
    // The id past 2^53 is stored exactly.
    expect(detail.timeline[0].externalId).toBe('1900000000000000123');

    const stale = JSON.stringify({
      for_user_id: '900000000000000001',
      tweet_create_events: [{ id_str: '5', text: 'old', timestamp_ms: String(now - 5 * 86_400_000), user: { id_str: '7', screen_name: 'x' } }],
    });
    const replay = await post(url, stale, { 'x-twitter-webhooks-signature': xSign(secret, stale) });
    expect(replay.statusCode).toBe(403);
    const rows = await t.ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM message WHERE workspace_id = $1`, [workspace.id]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('shows a revoked authorisation on the channel', async () => {
    const { channel, token } = await setup('x', { consumerSecret: secret });
    const body = JSON.stringify({ user_event: { revoke: { date_time: new Date().toISOString(), source: { user_id: '63046977' } } } });
    const res = await post(`/webhooks/x/${channel.id}`, body, { 'x-twitter-webhooks-signature': xSign(secret, body) });
    expect(res.statusCode).toBe(200);
    const channels = (await t.app.inject({ url: '/api/v1/channels', headers: bearer(token) })).json().data;
    expect(channels[0]).toMatchObject({ health: 'failing' });
    expect(channels[0].healthReason).toContain('revoked');
  });

  it('is 404 for an unknown channel or one of another kind', async () => {
    const { channel } = await setup('facebook', { appSecret: 's', verifyToken: 'v' });
    expect((await t.app.inject({ url: `/webhooks/x/${channel.id}?crc_token=a` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/webhooks/x/${crypto.randomUUID()}?crc_token=a` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/webhooks/x/not-a-uuid?crc_token=a' })).statusCode).toBe(404);
  });
});

describe('Facebook Page webhook', () => {
  const appSecret = 'fb-app-secret';

  it('verifies the subscription, and ingests signed comments and Messenger messages', async () => {
    const { channel, token } = await setup('facebook', { appSecret, verifyToken: 'let-me-in' });
    const url = `/webhooks/facebook/${channel.id}`;
    const verify = await t.app.inject({ url: `${url}?hub.mode=subscribe&hub.verify_token=let-me-in&hub.challenge=1158201444` });
    expect(verify.statusCode).toBe(200);
    expect(verify.body).toBe('1158201444');
    const wrong = await t.app.inject({ url: `${url}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1` });
    expect(wrong.statusCode).toBe(403);

    const seconds = Math.floor(Date.now() / 1000);
    // Escaped unicode in the raw body, exactly as Meta sends it: the signature covers these bytes.
    const body = `{"object":"page","entry":[{"id":"1234567890321","time":${seconds},"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"901_903","post_id":"1234567890321_901","parent_id":"1234567890321_901","from":{"id":"55501","name":"J\\u00fcrgen"},"created_time":${seconds},"message":"Kein Netz seit drei Tagen \\u00e4rgerlich"}}]},{"id":12345654332,"time":${seconds * 1000},"messaging":[{"sender":{"id":987654321432123456},"recipient":{"id":12345654332},"timestamp":${seconds * 1000},"message":{"mid":"mid.1","text":"hello, my bill is wrong"}}]}]}`;
    const bad = await post(url, body, { 'x-hub-signature-256': fbSign('nope', body) });
    expect(bad.statusCode).toBe(403);
    const ok = await post(url, body, { 'x-hub-signature-256': fbSign(appSecret, body) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({ accepted: 2, duplicates: 0, skipped: 0 });

    const queue = (await t.app.inject({ url: '/api/v1/queue?limit=10', headers: bearer(token) })).json().data;
    expect(queue.map((c: { customer: { displayName: string } }) => c.customer.displayName).sort()).toEqual(['987654321432123456', 'Jürgen']);

    const old = `{"object":"page","entry":[{"id":"1","time":${seconds - 7 * 86_400},"changes":[{"field":"feed","value":{"item":"post","verb":"add","post_id":"1_2","from":{"id":"3"},"message":"old"}}]}]}`;
    expect((await post(url, old, { 'x-hub-signature-256': fbSign(appSecret, old) })).statusCode).toBe(403);
    const notJson = 'not json';
    expect((await post(url, notJson, { 'x-hub-signature-256': fbSign(appSecret, notJson) })).statusCode).toBe(400);
  });
});
