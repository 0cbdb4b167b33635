import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { openDatabase } from '../../src/platform/db/db.ts';
import type { Db } from '../../src/platform/db/db.ts';
import { createOutboxWorker } from '../../src/features/replies/index.ts';
import type { OutboxWorker } from '../../src/features/replies/index.ts';
import { createTestApp, createWorkspaceWithUsers, messageOf } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createSendChannel, createdReply, ingestOne, postReply } from '../support/replies.ts';
import { startFakeXApi } from '../fakes/x-api.fake.ts';
import type { FakeXApi } from '../fakes/x-api.fake.ts';

const clock = fixedClock(new Date('2026-03-05T08:00:00Z'));
let t: TestApp;
let x: FakeXApi;
let secondDb: Db | null = null;

beforeAll(async () => {
  t = await createTestApp({ clock });
  x = await startFakeXApi({ token: 'x-token' });
  // On PostgreSQL the second worker gets its own connection pool, as another `parley work` process would.
  if (t.database.url) secondDb = await openDatabase({ databaseUrl: t.database.url, dataDir: 'unused', poolSize: 4 });
});
afterAll(async () => {
  await secondDb?.close();
  await x.close();
  await t.close();
});

async function drain(worker: OutboxWorker): Promise<number> {
  let handled = 0;
  for (;;) {
    const n = await worker.runOnce();
    if (n === 0) return handled;
    handled += n;
  }
}

describe('several workers on one database', () => {
  it('deliver every reply exactly once', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['supervisor']);
    const channel = await createSendChannel(t.ctx, workspace.id, 'x', { baseUrl: x.baseUrl }, { accessToken: 'x-token' });
    const replies: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const tweetId = String(1970000000000000000n + BigInt(i));
      x.addTweet(tweetId, `c${i}`);
      const stored = await ingestOne(t.app, channel, messageOf({ externalId: tweetId, author: { externalId: String(990000 + i) } }));
      const reply = await createdReply(await postReply(t.app, users[0].token, stored.caseId, { text: `Reply number ${i}` }));
      replies.push(reply.id);
    }
    const options = { secretKey: t.ctx.secretKey, logger: t.ctx.logger, clock, batchSize: 3, random: () => 0.5 };
    const workers = [
      createOutboxWorker({ ...options, db: t.ctx.db, workerId: 'w1' }),
      createOutboxWorker({ ...options, db: secondDb ?? t.ctx.db, workerId: 'w2' }),
      createOutboxWorker({ ...options, db: t.ctx.db, workerId: 'w3' }),
    ];
    const handled = await Promise.all(workers.map(drain));
    expect(handled.reduce((a, b) => a + b, 0)).toBe(40);
    if (secondDb) expect(handled[1]).toBeGreaterThan(0);

    const posts = x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
    expect(posts).toHaveLength(40);
    expect(new Set(x.tweets.map((tw) => tw.text)).size).toBe(40);
    const rows = await t.ctx.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM reply WHERE workspace_id = $1 GROUP BY status`, [workspace.id],
    );
    expect(rows).toEqual([{ status: 'sent', n: 40 }]);
    const messages = await t.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM message WHERE workspace_id = $1 AND direction = 'outbound'`, [workspace.id]);
    expect(messages[0].n).toBe(40);
  });

  it('records many replies on one case delivered in the same pass', async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['supervisor']);
    const channel = await createSendChannel(t.ctx, workspace.id, 'x', { baseUrl: x.baseUrl }, { accessToken: 'x-token' });
    x.addTweet('1980000000000000001', 'same');
    const stored = await ingestOne(t.app, channel, messageOf({ externalId: '1980000000000000001', author: { externalId: '770001' } }));
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push((await createdReply(await postReply(t.app, users[0].token, stored.caseId, { text: `Same-case reply ${i}` }))).id);
    const worker = createOutboxWorker({ db: t.ctx.db, secretKey: t.ctx.secretKey, logger: t.ctx.logger, clock, batchSize: 8, random: () => 0.5 });
    expect(await worker.runOnce()).toBe(8);
    const rows = await t.ctx.db.query<{ status: string }>(`SELECT status FROM reply WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspace.id, ids]);
    expect(rows.map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 'sent'));
    const caseRow = await t.ctx.db.query<{ message_count: number }>('SELECT message_count FROM cases WHERE workspace_id = $1 AND id = $2', [workspace.id, stored.caseId]);
    expect(Number(caseRow[0].message_count)).toBe(9);
  });
});
