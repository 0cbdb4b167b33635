import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../platform/db/db.ts';
import { openMigratedMemoryDb } from '../../../../../test/support/listen.harness.ts';
import { startFakeJetstream } from '../../../../../test/fakes/bluesky.fake.ts';
import type { FakeJetstream } from '../../../../../test/fakes/bluesky.fake.ts';
import { createListenHarness, scaledTimers, waitFor } from '../../../../../test/support/listen.harness.ts';
import type { ListenHarness } from '../../../../../test/support/listen.harness.ts';
import { createJetstreamConnector, jetstreamUrl, jetstreamConfigSchema } from './jetstream.client.ts';

let fake: FakeJetstream;
let harness: ListenHarness;
let db: Db;
// Event times are taken when each test starts: the lag check compares them with the clock.
let startUs = Date.now() * 1000;
let seq = 0;

function post(text: string, timeUs: number, did = 'did:plc:customer00000000000000001'): Record<string, unknown> {
  seq += 1;
  const rkey = `3lz${String(seq).padStart(10, '0')}`;
  return {
    did, time_us: timeUs, kind: 'commit',
    commit: { rev: rkey, operation: 'create', collection: 'app.bsky.feed.post', rkey, cid: `bafy${rkey}`,
      record: { $type: 'app.bsky.feed.post', text, langs: ['en'], createdAt: new Date(timeUs / 1000).toISOString() } },
  };
}

beforeAll(async () => {
  db = await openMigratedMemoryDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  startUs = Date.now() * 1000;
  fake = await startFakeJetstream();
  harness = await createListenHarness({
    kind: 'bluesky',
    config: { baseUrl: fake.url, stallTimeoutMs: 10_000, cursorSaveIntervalMs: 0, ownAccountIds: ['did:plc:acmebrand0000000000000001'] },
    db,
  });
});
afterEach(async () => {
  await fake.close();
});

describe('Jetstream listener against a local Jetstream', () => {
  it('subscribes to posts only, and resumes from the cursor rewound a few seconds', () => {
    const config = jetstreamConfigSchema.parse({ baseUrl: 'wss://jet.example', rewindSeconds: 5 });
    const url = new URL(jetstreamUrl(config, 1_760_000_000_000_000 - 5_000_000));
    expect(url.pathname).toBe('/subscribe');
    expect(url.searchParams.getAll('wantedCollections')).toEqual(['app.bsky.feed.post']);
    expect(url.searchParams.get('cursor')).toBe('1759999995000000');
  });

  it('ingests live posts, skips the brand account, saves the cursor and reports connected', async () => {
    const ctx = harness.context();
    const connector = createJetstreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openConnections === 1, 15_000, 'connection');
    expect(fake.subscriptions[0].get('cursor')).toBeNull();
    fake.publish(post('the Acme app lost my booking', startUs + 1));
    fake.publish(post('we are on it', startUs + 2, 'did:plc:acmebrand0000000000000001'));
    fake.publish(post('still waiting on Acme', startUs + 3));
    await waitFor(() => connector.counters.frames === 3 && connector.counters.ingested + connector.counters.skipped === 3, 15_000, 'frames');
    await connector.stop();
    await running;
    const stored = await harness.messages();
    expect(stored.map((m) => m.text)).toEqual(['the Acme app lost my booking', 'still waiting on Acme']);
    expect(await harness.storedCursor()).toBe(String(startUs + 3));
    expect(ctx.reports.some((r) => r.health?.state === 'connected' && r.stage === 'streaming')).toBe(true);
  });

  it('leaves no gap and no duplicate across a restart (cursor, rewind, replay)', async () => {
    const first = createJetstreamConnector(harness.context());
    const run1 = first.start(new AbortController().signal);
    await waitFor(() => fake.openConnections === 1, 15_000, 'first connection');
    const before = [1, 2, 3, 4, 5].map((i) => post(`before restart ${i}`, startUs + i * 1_000));
    for (const event of before) fake.publish(event);
    await waitFor(() => first.counters.ingested === 5, 15_000, 'first five');
    await first.stop();
    await run1;
    const cursor = await harness.storedCursor();
    expect(cursor).toBe(String(startUs + 5_000));

    // Posts made while no listener was running.
    for (const i of [6, 7, 8]) fake.record(post(`during the gap ${i}`, startUs + i * 1_000));

    const second = createJetstreamConnector(harness.context({ cursor }));
    const run2 = second.start(new AbortController().signal);
    await waitFor(() => fake.openConnections === 1, 15_000, 'second connection');
    expect(Number(fake.subscriptions[1].get('cursor'))).toBe(startUs + 5_000 - 5_000_000);
    fake.publish(post('after restart 9', startUs + 9_000));
    await waitFor(() => second.counters.ingested === 4, 15_000, 'gap and live posts');
    await second.stop();
    await run2;

    // The rewind replayed the first five: dropped as duplicates by ingest.
    expect(second.counters.duplicates).toBe(5);
    const stored = await harness.messages();
    expect(stored).toHaveLength(9);
    expect(new Set(stored.map((m) => m.externalId)).size).toBe(9);
    expect(stored.map((m) => m.text).sort()).toEqual(
      ['before restart 1', 'before restart 2', 'before restart 3', 'before restart 4', 'before restart 5', 'during the gap 6', 'during the gap 7',
        'during the gap 8', 'after restart 9'].sort(),
    );
  });

  it('survives hostile frames: invalid JSON, truncated, binary and gigantic frames are dropped and the stream goes on', async () => {
    harness = await createListenHarness({ kind: 'bluesky', config: { baseUrl: fake.url, maxFrameBytes: 64_000, cursorSaveIntervalMs: 0 }, db: harness.db });
    const connector = createJetstreamConnector(harness.context());
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openConnections === 1, 15_000, 'connection');
    const valid = JSON.stringify(post('valid after the junk', startUs + 10));
    fake.sendRaw('{"did":"did:plc:x","time_us":');
    fake.sendRaw(valid.slice(0, valid.length / 2));
    fake.sendRaw('not json at all \u0000');
    fake.sendRaw(Buffer.from([0xff, 0xfe, 0x00]));
    fake.sendRaw(JSON.stringify(post('x'.repeat(100_000), startUs + 11)));
    fake.sendRaw(JSON.stringify({ ...post('wrong shape', startUs + 12), commit: 'nope' }));
    fake.sendRaw(valid);
    await waitFor(() => connector.counters.ingested === 1, 15_000, 'the valid post');
    expect(connector.counters.invalid).toBe(4);
    expect(connector.counters.oversize).toBe(2);
    expect(fake.openConnections).toBe(1);
    await connector.stop();
    await running;
    expect((await harness.messages()).map((m) => m.text)).toEqual(['valid after the junk']);
  });

  it('reconnects after the server drops it, from the saved cursor, and reports the failure', async () => {
    const timers = scaledTimers();
    const ctx = harness.context({ timers });
    const connector = createJetstreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openConnections === 1, 15_000, 'connection');
    fake.publish(post('one', startUs + 1_000));
    await waitFor(() => connector.counters.ingested === 1, 15_000, 'first');
    fake.dropConnections(1011);
    await waitFor(() => fake.subscriptions.length === 2 && fake.openConnections === 1, 15_000, 'reconnect');
    expect(fake.subscriptions[1].get('cursor')).toBe(String(startUs + 1_000 - 5_000_000));
    fake.publish(post('two', startUs + 2_000));
    await waitFor(() => connector.counters.ingested === 2, 15_000, 'second');
    await connector.stop();
    await running;
    expect(timers.requested[0]).toBeGreaterThanOrEqual(500);
    expect(ctx.reports.some((r) => r.health?.state === 'failing' && r.health.reason === 'network')).toBe(true);
  });

  it('reports a 429 at the handshake as a rate limit and waits at least a minute', async () => {
    fake.rejectNext(429, 1);
    const timers = scaledTimers(100_000);
    const ctx = harness.context({ timers });
    const connector = createJetstreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openConnections === 1, 15_000, 'connection after the 429');
    await connector.stop();
    await running;
    expect(ctx.reports.find((r) => r.health?.state === 'failing')?.health).toMatchObject({ state: 'failing', reason: 'rate_limit' });
    expect(timers.requested[0]).toBeGreaterThanOrEqual(60_000);
  });

  it('reports lagging, with how far behind, when events are old', async () => {
    const ctx = harness.context();
    const connector = createJetstreamConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.openConnections === 1, 15_000, 'connection');
    fake.publish(post('an old post', startUs - 120_000_000));
    await waitFor(() => connector.counters.ingested === 1, 15_000, 'old post');
    await connector.stop();
    await running;
    const lagging = ctx.reports.find((r) => r.health?.state === 'lagging')?.health;
    expect(lagging?.state === 'lagging' && lagging.lagSeconds).toBeGreaterThanOrEqual(119);
  });
});
