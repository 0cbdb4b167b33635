import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../platform/db/db.ts';
import { startFakeX } from '../../../../../test/fakes/x.fake.ts';
import type { FakeX } from '../../../../../test/fakes/x.fake.ts';
import { createListenHarness, openMigratedMemoryDb, scaledTimers, waitFor } from '../../../../../test/support/listen.harness.ts';
import type { ListenHarness } from '../../../../../test/support/listen.harness.ts';
import { readFixture } from '../../../../../test/support/payloads.ts';
import { createXStreamConnector } from './x-stream.client.ts';
import { syncStreamRules, xRuleTag } from './x-rules.client.ts';

const token = 'test-bearer-token';
const lines = readFixture('x', 'filtered-stream.ndjson').toString('utf8').trim().split('\n');
let db: Db;
let fake: FakeX;
let harness: ListenHarness;

beforeAll(async () => {
  db = await openMigratedMemoryDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  fake = await startFakeX({ token, rules: [{ id: '1', value: 'somebody else', tag: 'not ours' }, { id: '2', value: 'old rule', tag: 'parley:gone:brand' }] });
  harness = await createListenHarness({
    kind: 'x', db, credentials: { bearerToken: token },
    config: { baseUrl: fake.baseUrl, stallTimeoutMs: 10_000, ownAccountIds: ['7000000000000000001'] },
  });
});
afterEach(async () => {
  await fake.close();
});

describe('X rule sync against a local rule endpoint', () => {
  it("adds Parley's missing rules, deletes stale Parley rules, keeps others' rules and reports refused ones", async () => {
    const wanted = [
      { id: 'r1', value: 'acme -is:retweet', tag: 'brand' },
      { id: 'r2', value: '(unbalanced', tag: 'product' },
    ];
    const options = { baseUrl: fake.baseUrl, bearerToken: token, now: () => new Date(), signal: new AbortController().signal };
    const result = await syncStreamRules(options, wanted);
    expect(result).toMatchObject({ added: 1, deleted: 1, kept: 0 });
    expect(result.rejected[0].reason).toMatch(/balanced/);
    expect(fake.rules.map((r) => r.tag).sort()).toEqual(['not ours', xRuleTag(wanted[0])].sort());
    // A second sync changes nothing.
    expect(await syncStreamRules(options, [wanted[0]])).toMatchObject({ added: 0, deleted: 0, kept: 1 });
  });

  it('fails with auth on a wrong token', async () => {
    const options = { baseUrl: fake.baseUrl, bearerToken: 'wrong', now: () => new Date(), signal: new AbortController().signal };
    await expect(syncStreamRules(options, [])).rejects.toMatchObject({ reason: 'auth' });
  });
});

describe('X filtered stream against a local X', () => {
  it('syncs rules, then ingests NDJSON posts through keep-alives, collapsing retweets and skipping the brand', async () => {
    const ctx = harness.context({ rules: [{ id: 'r1', value: 'acme', tag: 'brand' }] });
    const connector = createXStreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openStreams === 1, 15_000, 'stream');
    expect(fake.requests.slice(0, 1)).toEqual(['GET /2/tweets/search/stream/rules']);
    for (const line of lines) {
      fake.send(line);
      fake.send('');
    }
    await waitFor(() => connector.counters.lines === lines.length, 15_000, 'all lines');
    await connector.stop();
    await running;
    const stored = await harness.messages();
    expect(stored.map((m) => m.externalId).sort()).toEqual(['1844000000000000001', '1844000000000000002', '1844000000000000003', '1844000000000000007']);
    expect(connector.counters.duplicates).toBe(1); // the retweet collapsed onto the original
    expect(connector.counters.keepalives).toBe(lines.length);
    expect(fake.rules.some((r) => r.tag === 'parley:r1:brand')).toBe(true);
    expect(ctx.reports.some((r) => r.health?.state === 'connected' && r.stage === 'streaming')).toBe(true);
  });

  it('survives split, junk and oversized lines, and reconnects after a stall with the linear network back-off', async () => {
    harness = await createListenHarness({
      kind: 'x', db, credentials: { bearerToken: token }, config: { baseUrl: fake.baseUrl, stallTimeoutMs: 1_000, maxLineBytes: 4_096 },
    });
    const timers = scaledTimers();
    const ctx = harness.context({ timers });
    const connector = createXStreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openStreams === 1, 15_000, 'stream');
    fake.sendRaw(lines[0].slice(0, 50));
    fake.sendRaw(`${lines[0].slice(50)}\r\n`);
    fake.send('{"data": truncated');
    fake.send('\u0000\u0001 not json');
    await waitFor(() => connector.counters.lines === 3, 15_000, 'three lines');
    expect(connector.counters).toMatchObject({ ingested: 1, invalid: 2 });
    fake.sendRaw('x'.repeat(10_000));
    await waitFor(() => fake.streamConnections === 2, 15_000, 'reconnect after an oversized line');
    // Now say nothing: the stall timer must cut the connection.
    await waitFor(() => fake.streamConnections === 3, 15_000, 'reconnect after a stall');
    await connector.stop();
    await running;
    // Each failure follows a successful connection, which starts X's schedule over.
    expect(timers.requested.slice(0, 2)).toEqual([250, 250]);
    const failures = ctx.reports.filter((r) => r.health?.state === 'failing').map((r) => (r.health?.state === 'failing' ? r.health.message : ''));
    expect(failures[0]).toMatch(/over 4096 bytes/);
    expect(failures[1]).toMatch(/stalled/);
  });

  it('backs off exponentially from 5 s on HTTP errors and from a minute on 429, and reports why', async () => {
    fake.failNext(503, 2);
    const timers = scaledTimers(100_000);
    const ctx = harness.context({ timers });
    const connector = createXStreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openStreams === 1, 15_000, 'stream after 503s');
    fake.failNext(429, 2);
    fake.endStreams();
    await waitFor(() => fake.openStreams === 1 && fake.streamConnections === 6, 15_000, 'stream after 429s');
    await connector.stop();
    await running;
    expect(timers.requested).toEqual([5_000, 10_000, 250, 60_000, 120_000]);
    expect(ctx.reports.some((r) => r.health?.state === 'failing' && r.health.reason === 'rate_limit')).toBe(true);
  });

  it('reports auth failures from a wrong token and keeps retrying', async () => {
    harness = await createListenHarness({ kind: 'x', db, credentials: { bearerToken: 'wrong' }, config: { baseUrl: fake.baseUrl } });
    const timers = scaledTimers(100_000);
    const ctx = harness.context({ timers });
    const connector = createXStreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => timers.requested.length >= 2, 15_000, 'two attempts');
    await connector.stop();
    await running;
    expect(ctx.reports.find((r) => r.health?.state === 'failing')?.health).toMatchObject({ reason: 'auth' });
  });
});
