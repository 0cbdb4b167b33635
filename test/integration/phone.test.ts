import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { incomingCallParams, postTwilio, twilioSid } from '../fakes/twilio.fake.ts';
import { createChannel } from '../../src/features/channels/index.ts';
import type { ChannelView } from '../../src/features/channels/index.ts';
import { runDueCallbacks } from '../../src/features/callbacks/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';

const clock = fixedClock(new Date('2026-03-02T09:00:00.000Z'));
const base = 'https://parley.example.com';
const authToken = 'twilio-auth-token-for-tests';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

async function phoneWorkspace(config: Record<string, unknown> = { publicUrl: base }) {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
  const { channel } = await createChannel(t.ctx.db, t.ctx.secretKey, {
    workspaceId: workspace.id, kind: 'phone', name: 'Support line', config, credentials: { authToken },
  });
  return { workspace, users, channel, token: users[0].token };
}

function hook(channel: ChannelView, event: string): string {
  return `/webhooks/twilio/${channel.id}/${event}`;
}

async function caseDetail(token: string, caseId: string) {
  const res = await t.app.inject({ url: `/api/v1/cases/${caseId}`, headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  return res.json().data;
}

async function messagesOf(channelId: string): Promise<{ external_id: string; case_id: string | null; text: string; direction: string }[]> {
  return t.ctx.db.query(
    'SELECT external_id, case_id, text, direction FROM message WHERE channel_id = $1 ORDER BY received_at, external_id',
    [channelId],
  );
}

describe('Twilio voice webhooks', () => {
  it('answers an incoming call with TwiML offering voicemail with a transcript', async () => {
    const { channel } = await phoneWorkspace();
    const res = await postTwilio(t.app, { base, path: hook(channel, 'voice'), authToken, params: incomingCallParams(twilioSid('CA'), '+14155550123') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toContain('<Record ');
    expect(res.body).toContain('transcribe="true"');
    expect(res.body).toContain(`transcribeCallback="${base}/webhooks/twilio/${channel.id}/transcription"`);
    expect(res.body).toContain(`action="${base}/webhooks/twilio/${channel.id}/recording"`);
    expect(await messagesOf(channel.id)).toHaveLength(0);
  });

  it('escapes channel-provided greetings in the TwiML', async () => {
    const { channel } = await phoneWorkspace({ publicUrl: base, greeting: 'Hi <Hangup/> & bye', transcribe: false });
    const res = await postTwilio(t.app, { base, path: hook(channel, 'voice'), authToken, params: incomingCallParams(twilioSid('CA'), '+14155550123') });
    expect(res.body).toContain('Hi &lt;Hangup/&gt; &amp; bye');
    expect(res.body).not.toContain('transcribe=');
  });

  it('turns a call and its voicemail into messages on one case; redeliveries are duplicates', async () => {
    const { channel, token } = await phoneWorkspace();
    const callSid = twilioSid('CA');
    const recordingSid = twilioSid('RE');
    const call = incomingCallParams(callSid, '(415) 555-0123'.replace(/\D/g, '').replace(/^/, '+1'));

    const status = await postTwilio(t.app, {
      base, path: hook(channel, 'status'), authToken, params: { ...call, CallStatus: 'completed', CallDuration: '58', Timestamp: 'Mon, 02 Mar 2026 08:59:00 +0000' },
    });
    expect(status.statusCode).toBe(204);

    const recording = await postTwilio(t.app, {
      base, path: hook(channel, 'recording'), authToken,
      params: { ...call, RecordingSid: recordingSid, RecordingDuration: '42', RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${recordingSid}` },
    });
    expect(recording.statusCode).toBe(200);
    expect(recording.body).toContain('<Hangup/>');
    // The transcript is on its way: the voicemail waits for it.
    expect((await messagesOf(channel.id)).map((m) => m.external_id)).toEqual([callSid]);

    const transcription = {
      ...call, RecordingSid: recordingSid, TranscriptionSid: twilioSid('TR'), TranscriptionStatus: 'completed',
      TranscriptionText: 'Hi, my internet has been down since Monday and I work from home. Please call me back urgently.',
    };
    expect((await postTwilio(t.app, { base, path: hook(channel, 'transcription'), authToken, params: transcription })).statusCode).toBe(204);
    expect((await postTwilio(t.app, { base, path: hook(channel, 'transcription'), authToken, params: transcription })).statusCode).toBe(204);
    expect((await postTwilio(t.app, { base, path: hook(channel, 'status'), authToken, params: { ...call, CallStatus: 'completed', CallDuration: '58' } })).statusCode).toBe(204);

    const stored = await messagesOf(channel.id);
    expect(stored.map((m) => m.external_id).sort()).toEqual([callSid, recordingSid].sort());
    expect(stored.find((m) => m.external_id === recordingSid)?.text).toBe(transcription.TranscriptionText);
    expect(stored.find((m) => m.external_id === callSid)?.text).toBe('Phone call from +14155550123, 58 s');
    const [caseId] = new Set(stored.map((m) => m.case_id));
    expect(caseId).toBeTruthy();
    expect(new Set(stored.map((m) => m.case_id)).size).toBe(1);

    const detail = await caseDetail(token, String(caseId));
    expect(detail.case.channel.kind).toBe('phone');
    expect(detail.customer.identities).toContainEqual(expect.objectContaining({ kind: 'phone', value: '+14155550123' }));
  });

  it('stores a voicemail at once when the channel does not transcribe', async () => {
    const { channel } = await phoneWorkspace({ publicUrl: base, transcribe: false });
    const call = incomingCallParams(twilioSid('CA'), '+442079460958');
    const recordingSid = twilioSid('RE');
    await postTwilio(t.app, { base, path: hook(channel, 'recording'), authToken, params: { ...call, RecordingSid: recordingSid, RecordingDuration: '42' } });
    expect(await messagesOf(channel.id)).toEqual([expect.objectContaining({ external_id: recordingSid, text: 'Voicemail (no transcript), 42 s' })]);
  });

  it('accepts a signature made over the URL with :443, and one from PARLEY_PUBLIC_URL-less request hosts', async () => {
    const { channel } = await phoneWorkspace();
    const params = { ...incomingCallParams(twilioSid('CA'), '+14155550123'), CallStatus: 'completed', CallDuration: '3' };
    const res = await postTwilio(t.app, {
      base, path: hook(channel, 'status'), authToken, params, signedUrl: `https://parley.example.com:443${hook(channel, 'status')}`,
    });
    expect(res.statusCode).toBe(204);
    // No publicUrl anywhere: the request's own host is the base (app.inject calls itself localhost:80).
    const bare = await phoneWorkspace({});
    const res2 = await postTwilio(t.app, { base: 'http://localhost:80', path: hook(bare.channel, 'voice'), authToken, params });
    expect(res2.statusCode).toBe(200);
  });

  it('validates a JSON body through bodySHA256', async () => {
    const { channel } = await phoneWorkspace();
    const body = JSON.stringify({ ...incomingCallParams(twilioSid('CA'), '+14155550123'), CallStatus: 'completed', CallDuration: '7' });
    const sha = crypto.createHash('sha256').update(body).digest('hex');
    const path = `${hook(channel, 'status')}?bodySHA256=${sha}`;
    const signature = crypto.createHmac('sha1', authToken).update(`${base}${path}`).digest('base64');
    const ok = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, payload: body });
    expect(ok.statusCode).toBe(204);
    expect(await messagesOf(channel.id)).toHaveLength(1);
    const tampered = await t.app.inject({
      method: 'POST', url: path, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, payload: body.replace('"7"', '"8"'),
    });
    expect(tampered.statusCode).toBe(403);
  });

  it('rejects unsigned, wrongly signed, tampered and misaddressed requests', async () => {
    const { channel, workspace } = await phoneWorkspace();
    const params = { ...incomingCallParams(twilioSid('CA'), '+14155550123'), CallStatus: 'completed', CallDuration: '9' };
    const unsigned = await postTwilio(t.app, { base, path: hook(channel, 'status'), authToken, params, signature: null });
    expect(unsigned.statusCode).toBe(403);
    expect(unsigned.json().error.code).toBe('forbidden');
    expect((await postTwilio(t.app, { base, path: hook(channel, 'status'), authToken: 'another-token', params })).statusCode).toBe(403);
    expect((await postTwilio(t.app, { base: 'https://evil.example', path: hook(channel, 'status'), authToken, params })).statusCode).toBe(403);
    expect((await postTwilio(t.app, { base, path: hook(channel, 'status'), authToken, params, signedUrl: `${base}${hook(channel, 'voice')}` })).statusCode).toBe(403);
    expect(await messagesOf(channel.id)).toHaveLength(0);

    const unknown = await postTwilio(t.app, { base, path: `/webhooks/twilio/${crypto.randomUUID()}/status`, authToken, params });
    expect(unknown.statusCode).toBe(404);
    expect((await postTwilio(t.app, { base, path: '/webhooks/twilio/not-a-uuid/status', authToken, params })).statusCode).toBe(404);
    const api = await createTestChannel(t.ctx, workspace.id, 'api');
    expect((await postTwilio(t.app, { base, path: hook(api.channel, 'status'), authToken, params })).statusCode).toBe(404);
    expect((await postTwilio(t.app, { base, path: hook(channel, 'hangup'), authToken, params })).statusCode).toBe(400);
    const text = await t.app.inject({ method: 'POST', url: hook(channel, 'status'), headers: { 'content-type': 'text/plain' }, payload: 'CallSid=CA1' });
    expect(text.statusCode).toBe(415);
  });
});

describe('calls logged by agents', () => {
  async function phoneCase() {
    const ws = await phoneWorkspace();
    const callSid = twilioSid('CA');
    await postTwilio(t.app, {
      base, path: hook(ws.channel, 'status'), authToken, params: { ...incomingCallParams(callSid, '+14155550199'), CallStatus: 'completed', CallDuration: '30' },
    });
    const [message] = await messagesOf(ws.channel.id);
    return { ...ws, caseId: String(message.case_id) };
  }

  it('an outbound call is the brand answering: a message on the phone channel that stops the response clock', async () => {
    const { token, caseId, channel } = await phoneCase();
    expect((await caseDetail(token, caseId)).case.nextResponseDueAt).not.toBeNull();
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/cases/${caseId}/calls`, headers: bearer(token),
      payload: { direction: 'outbound', durationSeconds: 240, summary: 'Walked the customer through a router reset; working now.' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ status: 'created', caseId });
    const detail = await caseDetail(token, caseId);
    expect(detail.case.nextResponseDueAt).toBeNull();
    expect(detail.case.firstRespondedAt).not.toBeNull();
    const logged = (await messagesOf(channel.id)).find((m) => m.direction === 'outbound');
    expect(logged?.text).toMatch(/^Call to \+14155550199, 4 min \(logged by agent 0\): Walked the customer/);
  });

  it('an inbound call is filed under the case even when it came from a new number', async () => {
    const { token, caseId } = await phoneCase();
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/cases/${caseId}/calls`, headers: bearer(token),
      payload: { direction: 'inbound', phone: '+1 415 555 0100', durationSeconds: 65, summary: 'Customer called again, still no service.' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.caseId).toBe(caseId);
    expect((await caseDetail(token, caseId)).case.messageCount).toBe(2);
  });

  it('a case from another channel is logged on the workspace phone channel', async () => {
    const { token, workspace, channel } = await phoneWorkspace();
    const api = await createTestChannel(t.ctx, workspace.id, 'api');
    const ingested = await postMessages(t.app, api, messageOf({ externalId: `api-${crypto.randomUUID()}` }));
    const caseId = ingested.json().data.caseId;
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/cases/${caseId}/calls`, headers: bearer(token),
      payload: { direction: 'outbound', phone: '+14155550111', durationSeconds: 30, summary: 'Called back.' },
    });
    expect(res.statusCode).toBe(201);
    expect((await messagesOf(channel.id))[0]).toMatchObject({ case_id: caseId, direction: 'outbound' });
  });

  it('fails clearly: 401, 404 (unknown, foreign, malformed case), 422 (body, number, no phone channel or number)', async () => {
    const { token, caseId } = await phoneCase();
    const other = await phoneCase();
    const body = { direction: 'outbound', durationSeconds: 10, summary: 'x' };
    const post = (id: string, payload: unknown, headers: Record<string, string> = bearer(token)) =>
      t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/calls`, headers, payload: JSON.stringify(payload) });
    const json = { 'content-type': 'application/json' };
    expect((await post(caseId, body, json)).statusCode).toBe(401);
    expect((await post(crypto.randomUUID(), body, { ...bearer(token), ...json })).statusCode).toBe(404);
    expect((await post(other.caseId, body, { ...bearer(token), ...json })).statusCode).toBe(404);
    expect((await post('nope', body, { ...bearer(token), ...json })).statusCode).toBe(404);
    const badDirection = await post(caseId, { ...body, direction: 'sideways' }, { ...bearer(token), ...json });
    expect(badDirection.statusCode).toBe(422);
    expect(badDirection.json().error.details[0].path).toBe('direction');
    const badPhone = await post(caseId, { ...body, phone: 'call me maybe' }, { ...bearer(token), ...json });
    expect(badPhone.statusCode).toBe(422);
    expect(badPhone.json().error.details[0].path).toBe('phone');
    expect((await post(caseId, { ...body, durationSeconds: -1 }, { ...bearer(token), ...json })).statusCode).toBe(422);

    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
    const api = await createTestChannel(t.ctx, workspace.id, 'api');
    const apiCase = (await postMessages(t.app, api, messageOf({ externalId: `api-${crypto.randomUUID()}` }))).json().data.caseId;
    const noChannel = await post(apiCase, body, { ...bearer(users[0].token), ...json });
    expect(noChannel.statusCode).toBe(422);
    const phoneless = await phoneWorkspace();
    const api2 = await createTestChannel(t.ctx, phoneless.workspace.id, 'api');
    const api2Case = (await postMessages(t.app, api2, messageOf({ externalId: `api-${crypto.randomUUID()}` }))).json().data.caseId;
    const noNumber = await post(api2Case, { ...body, direction: 'inbound' }, { ...bearer(phoneless.token), ...json });
    expect(noNumber.statusCode).toBe(422);
    expect(noNumber.json().error.details[0].path).toBe('phone');
  });
});

describe('callbacks', () => {
  async function resolvedPhoneCase() {
    const ws = await phoneWorkspace();
    await postTwilio(t.app, {
      base, path: hook(ws.channel, 'status'), authToken,
      params: { ...incomingCallParams(twilioSid('CA'), '+14155550142'), CallStatus: 'completed', CallDuration: '30' },
    });
    const [message] = await messagesOf(ws.channel.id);
    const caseId = String(message.case_id);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, headers: bearer(ws.token), payload: { status: 'resolved' } });
    expect(patch.statusCode).toBe(200);
    return { ...ws, caseId };
  }

  it('a due callback puts its case back in the queue with the callback time as its deadline, once', async () => {
    const { token, caseId } = await resolvedPhoneCase();
    const dueAt = new Date(clock.now().getTime() + 2 * 3_600_000).toISOString();
    const created = await t.app.inject({
      method: 'POST', url: `/api/v1/cases/${caseId}/callbacks`, headers: bearer(token), payload: { dueAt, note: 'after 11, at work before' },
    });
    expect(created.statusCode).toBe(201);
    // No number given: the customer's own number is used.
    expect(created.json().data).toMatchObject({ status: 'scheduled', phone: '+14155550142', dueAt });
    const callbackId = created.json().data.id;

    expect(await runDueCallbacks(t.ctx, clock.now())).toBe(0);
    expect((await caseDetail(token, caseId)).case.status).toBe('resolved');

    const later = new Date(Date.parse(dueAt) + 60_000);
    expect(await runDueCallbacks(t.ctx, later)).toBeGreaterThanOrEqual(1);
    const detail = await caseDetail(token, caseId);
    expect(detail.case.status).toBe('open');
    expect(detail.case.nextResponseDueAt).toBe(dueAt);
    expect(detail.events.filter((e: { type: string }) => e.type === 'callback.due')).toHaveLength(1);
    const queue = await t.app.inject({ url: '/api/v1/queue', headers: bearer(token) });
    expect(queue.json().data.map((c: { id: string }) => c.id)).toContain(caseId);

    expect(await runDueCallbacks(t.ctx, later)).toBe(0);
    const list = await t.app.inject({ url: `/api/v1/cases/${caseId}/callbacks`, headers: bearer(token) });
    expect(list.json().data).toEqual([expect.objectContaining({ id: callbackId, status: 'due' })]);

    const done = await t.app.inject({
      method: 'PATCH', url: `/api/v1/cases/${caseId}/callbacks/${callbackId}`, headers: bearer(token), payload: { outcome: 'reached', note: 'sorted' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().data).toMatchObject({ status: 'completed', outcome: 'reached', outcomeNote: 'sorted' });
    const again = await t.app.inject({
      method: 'PATCH', url: `/api/v1/cases/${caseId}/callbacks/${callbackId}`, headers: bearer(token), payload: { outcome: 'reached' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('a canceled callback never falls due', async () => {
    const { token, caseId } = await resolvedPhoneCase();
    const dueAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/callbacks`, headers: bearer(token), payload: { dueAt, phone: '+1 415 555 0177' } });
    expect(created.json().data.phone).toBe('+14155550177');
    const canceled = await t.app.inject({
      method: 'PATCH', url: `/api/v1/cases/${caseId}/callbacks/${created.json().data.id}`, headers: bearer(token), payload: { outcome: 'canceled' },
    });
    expect(canceled.json().data.status).toBe('canceled');
    await runDueCallbacks(t.ctx, new Date(Date.parse(dueAt) + 60_000));
    expect((await caseDetail(token, caseId)).case.status).toBe('resolved');
  });

  it('fails clearly: 401, 404, 422', async () => {
    const { token, caseId } = await resolvedPhoneCase();
    const other = await resolvedPhoneCase();
    const dueAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const url = `/api/v1/cases/${caseId}/callbacks`;
    expect((await t.app.inject({ method: 'POST', url, payload: { dueAt } })).statusCode).toBe(401);
    expect((await t.app.inject({ url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${other.caseId}/callbacks`, headers: bearer(token), payload: { dueAt } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/cases/${crypto.randomUUID()}/callbacks`, headers: bearer(token) })).statusCode).toBe(404);
    const past = await t.app.inject({ method: 'POST', url, headers: bearer(token), payload: { dueAt: '2020-01-01T00:00:00Z' } });
    expect(past.statusCode).toBe(422);
    expect(past.json().error.details[0].path).toBe('dueAt');
    const noZone = await t.app.inject({ method: 'POST', url, headers: bearer(token), payload: { dueAt: 'tomorrow' } });
    expect(noZone.statusCode).toBe(422);
    expect((await t.app.inject({ method: 'PATCH', url: `${url}/${crypto.randomUUID()}`, headers: bearer(token), payload: { outcome: 'reached' } })).statusCode).toBe(404);
    const created = await t.app.inject({ method: 'POST', url, headers: bearer(token), payload: { dueAt } });
    const badOutcome = await t.app.inject({ method: 'PATCH', url: `${url}/${created.json().data.id}`, headers: bearer(token), payload: { outcome: 'maybe' } });
    expect(badOutcome.statusCode).toBe(422);
    expect(badOutcome.json().error.details[0].path).toBe('outcome');
    // Another workspace's agent cannot complete it.
    expect((await t.app.inject({
      method: 'PATCH', url: `${url}/${created.json().data.id}`, headers: bearer(other.token), payload: { outcome: 'reached' },
    })).statusCode).toBe(404);
  });
});
