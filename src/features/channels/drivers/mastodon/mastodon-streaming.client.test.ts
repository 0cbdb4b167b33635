import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../platform/db/db.ts';
import { startFakeMastodon } from '../../../../../test/fakes/mastodon.fake.ts';
import type { FakeMastodon } from '../../../../../test/fakes/mastodon.fake.ts';
import { createListenHarness, openMigratedMemoryDb, scaledTimers, waitFor } from '../../../../../test/support/listen.harness.ts';
import { createMastodonConnector, parseMastodonCursor } from './mastodon-streaming.client.ts';

let db: Db;
let fake: FakeMastodon;
let next = 113000000000000100n;
const id = () => (next += 1n).toString();

beforeAll(async () => {
  db = await openMigratedMemoryDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  fake = await startFakeMastodon({ token: 'mastodon-token' });
});
afterEach(async () => {
  await fake.close();
});

async function harnessFor(config: Record<string, unknown> = {}) {
  return createListenHarness({
    kind: 'mastodon', db, credentials: { accessToken: 'mastodon-token' },
    config: { baseUrl: fake.baseUrl, streams: [{ stream: 'public' }, { stream: 'hashtag', tag: 'acme' }], stallTimeoutMs: 10_000, ownHandles: ['AcmeSupport'], ...config },
  });
}

describe('Mastodon listener against a local instance', () => {
  it('subscribes to each stream, ingests updates once (public and hashtag overlap), skips boosts by itself and its own account', async () => {
    const harness = await harnessFor();
    const ctx = harness.context();
    const connector = createMastodonConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.subscriptions.length === 2, 15_000, 'subscriptions');
    expect(fake.subscriptions).toEqual([{ stream: 'public' }, { stream: 'hashtag', tag: 'acme' }]);
    const first = fake.publish({ id: id(), content: '<p>My <a href="#">#acme</a> modem is dead</p>', tags: ['acme'] });
    fake.publish({ id: id(), content: '<p>sorry!</p>', acct: 'AcmeSupport', accountId: '99' });
    fake.publish({ id: id(), content: '', acct: 'booster', accountId: '77', reblogOf: first });
    await waitFor(() => connector.counters.frames === 4, 15_000, 'frames');
    await waitFor(() => connector.counters.ingested + connector.counters.duplicates + connector.counters.skipped === 4, 15_000, 'handled');
    await connector.stop();
    await running;
    const stored = await harness.messages();
    expect(stored.map((m) => m.text)).toEqual(['My #acme modem is dead']);
    expect(connector.counters.duplicates).toBe(2); // the hashtag copy and the boost
    const cursor = parseMastodonCursor(await harness.storedCursor());
    expect(cursor.public).toBe(next.toString());
  });

  it('backfills the gap through the REST timeline (min_id, paginated) after reconnecting, with no duplicate', async () => {
    const harness = await harnessFor({ streams: [{ stream: 'public' }] });
    // The reconnect waits long enough (~190 ms) for the test to post the missed statuses first.
    const timers = scaledTimers(4, 500);
    const ctx = harness.context({ timers });
    const connector = createMastodonConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.subscriptions.length === 1, 15_000, 'subscription');
    fake.publish({ id: id(), content: '<p>before the gap</p>' });
    await waitFor(() => connector.counters.ingested === 1, 15_000, 'first');

    fake.dropConnections(1011);
    await waitFor(() => fake.openConnections === 0, 15_000, 'disconnect');
    // 45 statuses posted while disconnected: more than one page of 40.
    const missed = Array.from({ length: 45 }, (_, i) => fake.record({ id: id(), content: `<p>missed ${i}</p>` }));
    await waitFor(() => connector.counters.backfilled === 45, 15_000, 'backfill');
    fake.publish({ id: id(), content: '<p>live again</p>' });
    await waitFor(() => connector.counters.ingested === 47, 15_000, 'live after backfill');
    await connector.stop();
    await running;

    const stored = await harness.messages();
    expect(ctx.reports.filter((r) => r.health?.state === 'failing')).toHaveLength(1);
    expect(stored).toHaveLength(47);
    expect(new Set(stored.map((m) => m.externalId)).size).toBe(47);
    expect(stored.map((m) => m.text).slice(1, 46)).toEqual(missed.map((_, i) => `missed ${i}`));
    expect(fake.timelineRequests.map((u) => u.searchParams.get('min_id'))).toEqual([String(stored[0].externalId), String(missed[39].id)]);
  });

  it('resumes from the persisted ids after a restart', async () => {
    const harness = await harnessFor({ streams: [{ stream: 'hashtag', tag: 'acme' }] });
    const first = createMastodonConnector(harness.context());
    const run1 = first.start(new AbortController().signal);
    await waitFor(() => fake.subscriptions.length === 1, 15_000, 'subscription');
    fake.publish({ id: id(), content: '<p>one #acme</p>', tags: ['acme'] });
    await waitFor(() => first.counters.ingested === 1, 15_000, 'one');
    await first.stop();
    await run1;
    fake.record({ id: id(), content: '<p>two #acme</p>', tags: ['acme'] });
    fake.record({ id: id(), content: '<p>not tagged</p>' });
    const second = createMastodonConnector(harness.context({ cursor: await harness.storedCursor() }));
    const run2 = second.start(new AbortController().signal);
    await waitFor(() => second.counters.backfilled === 1, 15_000, 'backfill');
    await second.stop();
    await run2;
    expect((await harness.messages()).map((m) => m.text)).toEqual(['one #acme', 'two #acme']);
    expect(fake.timelineRequests[0].pathname).toBe('/api/v1/timelines/tag/acme');
  });

  it('drops hostile frames and keeps streaming; reports auth failures', async () => {
    const harness = await harnessFor({ maxFrameBytes: 16_000 });
    const connector = createMastodonConnector(harness.context());
    const running = connector.start(new AbortController().signal);
    await waitFor(() => fake.subscriptions.length === 2, 15_000, 'subscriptions');
    fake.sendRaw('{"stream":["public"],"event":"update","payload":"{\\"id\\":');
    fake.sendRaw('garbage');
    fake.sendRaw(JSON.stringify({ stream: ['public'], event: 'update', payload: 'x'.repeat(20_000) }));
    fake.sendRaw(Buffer.from([0, 1, 2]));
    fake.publish({ id: id(), content: '<p>still here</p>' });
    await waitFor(() => connector.counters.ingested === 1, 15_000, 'the good one');
    expect(connector.counters).toMatchObject({ invalid: 2, oversize: 2 });
    await connector.stop();
    await running;

    const denied = await createListenHarness({ kind: 'mastodon', db, credentials: { accessToken: 'wrong' }, config: { baseUrl: fake.baseUrl } });
    const timers = scaledTimers(100_000);
    const ctx = denied.context({ timers });
    const refused = createMastodonConnector(ctx);
    const run2 = refused.start(new AbortController().signal);
    await waitFor(() => timers.requested.length >= 1, 15_000, 'a failure');
    await refused.stop();
    await run2;
    expect(ctx.reports.find((r) => r.health?.state === 'failing')?.health).toMatchObject({ reason: 'auth' });
  });
});
