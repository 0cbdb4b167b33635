import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { testDatabaseKind } from '../support/database.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function setup() {
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['agent']);
  const channel = await createTestChannel(t.ctx, workspace.id, 'x');
  return { workspace, token: users[0].token, channel };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const rows = await t.ctx.db.query<{ n: number }>(sql, params);
  return Number(rows[0].n);
}

describe(`ingest pipeline over HTTP (${testDatabaseKind})`, () => {
  it('turns a message into a case in the queue, with labels and an event', async () => {
    const { workspace, token, channel } = await setup();
    const res = await postMessages(t.app, channel, messageOf({ externalId: 'm1' }));
    expect(res.statusCode).toBe(201);
    const outcome = res.json().data;
    expect(outcome).toMatchObject({ externalId: 'm1', status: 'created', caseCreated: true });

    const queue = await t.app.inject({ url: '/api/v1/queue', headers: bearer(token) });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().data.map((c: { id: string }) => c.id)).toEqual([outcome.caseId]);

    const detail = (await t.app.inject({ url: `/api/v1/cases/${outcome.caseId}`, headers: bearer(token) })).json().data;
    expect(detail.timeline).toHaveLength(1);
    expect(detail.timeline[0].labels.modelVersion).toBe(t.ctx.classifier.version);
    expect(detail.customer.identities).toEqual([expect.objectContaining({ kind: 'handle', platform: 'x', value: 'customer-1' })]);
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(['case.created', 'message.received']);
    expect(await count(`SELECT count(*) AS n FROM event WHERE workspace_id = $1`, [workspace.id])).toBe(2);
  });

  it('is idempotent: the same message delivered twice is stored once and updates the case once', async () => {
    const { workspace, channel } = await setup();
    const first = await postMessages(t.app, channel, messageOf({ externalId: 'dup-1' }));
    const second = await postMessages(t.app, channel, messageOf({ externalId: 'dup-1', text: 'changed text is ignored' }));
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().data).toMatchObject({ status: 'duplicate', messageId: first.json().data.messageId, caseId: first.json().data.caseId });
    expect(await count(`SELECT count(*) AS n FROM message WHERE workspace_id = $1`, [workspace.id])).toBe(1);
    expect(await count(`SELECT message_count AS n FROM cases WHERE workspace_id = $1`, [workspace.id])).toBe(1);
  });

  it('is idempotent under concurrent deliveries of the same message', async () => {
    const { workspace, channel } = await setup();
    const results = await Promise.all(Array.from({ length: 12 }, () => postMessages(t.app, channel, messageOf({ externalId: 'race-1' }))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().data.caseId)).size).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM message WHERE workspace_id = $1`, [workspace.id])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM cases WHERE workspace_id = $1`, [workspace.id])).toBe(1);
    expect(await count(`SELECT message_count AS n FROM cases WHERE workspace_id = $1`, [workspace.id])).toBe(1);
  });

  it('opens one case when one customer sends several messages at the same moment', async () => {
    const { workspace, channel } = await setup();
    await Promise.all(Array.from({ length: 8 }, (_, i) => postMessages(t.app, channel, messageOf({ externalId: `burst-${i}` }))));
    expect(await count(`SELECT count(*) AS n FROM cases WHERE workspace_id = $1`, [workspace.id])).toBe(1);
    expect(await count(`SELECT message_count AS n FROM cases WHERE workspace_id = $1`, [workspace.id])).toBe(8);
  });

  it('threads a reply into its parent case and an outbound answer records the first response', async () => {
    const { token, channel } = await setup();
    const root = (await postMessages(t.app, channel, messageOf({ externalId: 'root' }))).json().data;
    const answer = await postMessages(t.app, channel, {
      externalId: 'brand-1', direction: 'outbound', text: 'Sorry to hear that — we are on it.', replyToExternalId: 'root',
      author: { externalId: 'brand' }, senderName: 'NorthwindCares',
    });
    expect(answer.json().data.caseId).toBe(root.caseId);
    // A reply from a different account (a friend chiming in) still joins the case it answers.
    const reply = await postMessages(t.app, channel, messageOf({ externalId: 'reply-1', replyToExternalId: 'brand-1', author: { externalId: 'friend-9' } }));
    expect(reply.json().data).toMatchObject({ caseId: root.caseId, caseCreated: false });
    const detail = (await t.app.inject({ url: `/api/v1/cases/${root.caseId}`, headers: bearer(token) })).json().data;
    expect(detail.case.messageCount).toBe(3);
    expect(detail.case.firstRespondedAt).not.toBeNull();
    expect(detail.case.status).toBe('open');
    expect(detail.case.nextResponseDueAt).not.toBeNull();
  });

  it("joins a customer's new message to their open case within the window, and opens a new case after it", async () => {
    const { workspace, channel } = await setup();
    const base = Date.parse('2026-01-05T10:00:00Z');
    const at = (hours: number) => new Date(base + hours * 3_600_000).toISOString();
    const a = (await postMessages(t.app, channel, messageOf({ externalId: 'w1', sentAt: at(0) }))).json().data;
    const b = (await postMessages(t.app, channel, messageOf({ externalId: 'w2', sentAt: at(10) }))).json().data;
    const c = (await postMessages(t.app, channel, messageOf({ externalId: 'w3', sentAt: at(10 + t.ctx.config.threadWindowHours + 1) }))).json().data;
    expect(b.caseId).toBe(a.caseId);
    expect(c.caseId).not.toBe(a.caseId);
    expect(c.caseCreated).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM cases WHERE workspace_id = $1`, [workspace.id])).toBe(2);
  });

  it('accepts a batch in order, so a reply in the same batch finds its parent', async () => {
    const { channel } = await setup();
    const res = await postMessages(t.app, channel, {
      messages: [
        messageOf({ externalId: 'b1', author: { externalId: 'batch-customer' } }),
        messageOf({ externalId: 'b2', replyToExternalId: 'b1', author: { externalId: 'someone-else' } }),
        messageOf({ externalId: 'b1', author: { externalId: 'batch-customer' } }),
      ],
    });
    expect(res.statusCode).toBe(200);
    const [first, second, third] = res.json().data;
    expect(first.status).toBe('created');
    expect(second.caseId).toBe(first.caseId);
    expect(third.status).toBe('duplicate');
  });

  it('stores hostile text as inert data: NUL bytes, lone surrogates and markup', async () => {
    const { token, channel } = await setup();
    const text = 'bad \u0000 byte \ud800 and <script>alert(1)</script>';
    const res = await postMessages(t.app, channel, messageOf({ externalId: 'hostile', text, raw: { nested: { s: 'x\u0000y' } } }));
    expect(res.statusCode).toBe(201);
    const detail = (await t.app.inject({ url: `/api/v1/cases/${res.json().data.caseId}`, headers: bearer(token) })).json().data;
    expect(detail.timeline[0].text).toBe('bad \uFFFD byte \uFFFD and <script>alert(1)</script>');
  });

  it('keeps a workspace from seeing another workspace’s cases', async () => {
    const mine = await setup();
    const theirs = await setup();
    const created = (await postMessages(t.app, theirs.channel, messageOf({ externalId: 'secret' }))).json().data;
    const res = await t.app.inject({ url: `/api/v1/cases/${created.caseId}`, headers: bearer(mine.token) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    const queue = await t.app.inject({ url: '/api/v1/queue', headers: bearer(mine.token) });
    expect(queue.json().data).toEqual([]);
  });
});
