import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../platform/db/db.ts';
import { startFakeFeedServer } from '../../../../../test/fakes/feeds.fake.ts';
import type { FakeFeedServer } from '../../../../../test/fakes/feeds.fake.ts';
import { createListenHarness, openMigratedMemoryDb, scaledTimers, waitFor } from '../../../../../test/support/listen.harness.ts';
import { readFixture } from '../../../../../test/support/payloads.ts';
import { createFeedConnector, feedConfigSchema, parseFeedCursor, pollFeed } from './feed.client.ts';

let db: Db;
let server: FakeFeedServer;
const blog = readFixture('feeds', 'rss2-blog.xml');

beforeAll(async () => {
  db = await openMigratedMemoryDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  server = await startFakeFeedServer();
});
afterEach(async () => {
  await server.close();
});

const addItem = (xml: Buffer, guid: string, title: string) =>
  xml.toString('utf8').replace('<item>', `<item><title>${title}</title><guid>${guid}</guid><pubDate>Sat, 11 Oct 2025 10:00:00 +0000</pubDate></item><item>`);

describe('feed poller against a local feed host', () => {
  it('ingests new items once, then polls conditionally (ETag → 304) and ingests only what is new', async () => {
    server.set('/blog.rss', { body: blog, etag: '"v1"' });
    const harness = await createListenHarness({ kind: 'rss', config: { url: server.url('/blog.rss'), intervalSeconds: 1 }, db });
    const ctx = harness.context({ timers: scaledTimers(100) });
    const connector = createFeedConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => connector.counters.ingested === 2, 15_000, 'first poll');
    await waitFor(() => connector.counters.notModified >= 1, 15_000, 'a 304');
    expect(server.requests[1]).toMatchObject({ ifNoneMatch: '"v1"', status: 304 });

    server.set('/blog.rss', { body: addItem(blog, 'new-1', 'A new complaint about Acme'), etag: '"v2"' });
    await waitFor(() => connector.counters.ingested === 3, 15_000, 'the new item');
    await connector.stop();
    await running;
    expect(connector.counters.duplicates).toBe(0);
    const stored = await harness.messages();
    expect(stored.map((m) => m.externalId).sort()).toEqual(['gripes-2025-10-acme-x200', 'https://gripes.example.com/2025/10/firmware-21', 'new-1'].sort());
    const cursor = parseFeedCursor(await harness.storedCursor());
    expect(cursor[server.url('/blog.rss')]).toMatchObject({ etag: '"v2"' });
    expect(ctx.reports.at(-2)?.health).toEqual({ state: 'connected' });
  });

  it('uses Last-Modified when there is no ETag, and resumes with its validators after a restart', async () => {
    server.set('/forum.rdf', { body: readFixture('feeds', 'rss1-forum.rdf'), contentType: 'application/rdf+xml', lastModified: 'Wed, 08 Oct 2025 17:12:00 GMT' });
    const harness = await createListenHarness({ kind: 'rss', config: { feeds: [{ url: server.url('/forum.rdf') }] }, db });
    const first = createFeedConnector(harness.context());
    const run1 = first.start(new AbortController().signal);
    await waitFor(() => first.counters.ingested === 1, 15_000, 'first poll');
    await first.stop();
    await run1;

    const second = createFeedConnector(harness.context({ cursor: await harness.storedCursor() }));
    const run2 = second.start(new AbortController().signal);
    await waitFor(() => second.counters.polls === 1 && second.counters.notModified === 1, 15_000, 'conditional poll after restart');
    await second.stop();
    await run2;
    expect(server.requests.at(-1)).toMatchObject({ ifModifiedSince: 'Wed, 08 Oct 2025 17:12:00 GMT', status: 304 });
    expect(await harness.messages()).toHaveLength(1);
  });

  it('polls each feed on its own interval', async () => {
    server.set('/fast.xml', { body: blog, etag: '"f"' });
    server.set('/slow.xml', { body: readFixture('feeds', 'atom-reviews.xml'), contentType: 'application/atom+xml', etag: '"s"' });
    const harness = await createListenHarness({
      kind: 'rss',
      config: { feeds: [{ url: server.url('/fast.xml'), intervalSeconds: 1 }, { url: server.url('/slow.xml'), intervalSeconds: 20 }] },
      db,
    });
    const timers = scaledTimers(100, 1_000);
    const connector = createFeedConnector(harness.context({ timers }));
    const running = connector.start(new AbortController().signal);
    await waitFor(() => server.requests.filter((r) => r.path === '/fast.xml').length >= 6, 15_000, 'fast polls');
    await connector.stop();
    await running;
    expect(server.requests.filter((r) => r.path === '/slow.xml').length).toBeLessThanOrEqual(2);
    expect(timers.requested).toContain(1_000);
    expect(timers.requested).toContain(20_000);
  });

  it('fails one feed on a size limit, a time limit, billion laughs or HTTP errors while the other feeds go on', async () => {
    server.set('/ok.xml', { body: blog });
    server.set('/huge.xml', { body: '<?xml version="1.0"?><rss version="2.0"><channel>', endlessBytes: 50_000_000 });
    server.set('/slow.xml', { body: blog, delayMs: 8_000 });
    server.set('/lol.xml', { body: readFixture('feeds', 'billion-laughs.xml') });
    server.set('/gone.xml', { body: '', status: 500 });
    server.set('/limited.xml', { body: '', status: 429, headers: { 'retry-after': '120' } });
    const urls = ['/ok.xml', '/huge.xml', '/slow.xml', '/lol.xml', '/gone.xml', '/limited.xml'].map((p) => ({ url: server.url(p), intervalSeconds: 60 }));
    const harness = await createListenHarness({ kind: 'rss', config: { feeds: urls, maxBytes: 1_000_000, timeoutMs: 3_000 }, db });
    const timers = scaledTimers(1_000_000);
    const ctx = harness.context({ timers });
    const connector = createFeedConnector(ctx);
    const running = connector.start(new AbortController().signal);
    await waitFor(() => connector.counters.failures >= 5 && connector.counters.ingested === 2, 15_000, 'all feeds tried');
    await connector.stop();
    await running;
    expect((await harness.messages()).map((m) => m.externalId)).toContain('gripes-2025-10-acme-x200');
    const failing = ctx.reports.filter((r) => r.health?.state === 'failing').map((r) => (r.health?.state === 'failing' ? r.health.message : ''));
    // The channel shows the first failing feed and how many others fail with it.
    expect(failing.at(-1)).toMatch(/and [1-4] other feeds/);
    expect(timers.requested).toContain(120_000);
  });

  it.each([
    ['/huge.xml', { body: '<rss>', endlessBytes: 50_000_000 }, { reason: 'protocol', message: /over the 1000000-byte limit/ }],
    ['/slow.xml', { body: blog, delayMs: 5_000 }, { reason: 'network', message: /did not answer within 1 s/ }],
    ['/lol.xml', { body: readFixture('feeds', 'billion-laughs.xml') }, { reason: 'protocol', message: /DTD/ }],
    ['/html.xml', { body: '<html><body>moved</body></html>', contentType: 'text/html' }, { reason: 'protocol', message: /not RSS or Atom/ }],
    ['/auth.xml', { body: '', status: 401 }, { reason: 'auth', message: /401/ }],
    ['/gone.xml', { body: '', status: 503 }, { reason: 'network', message: /503/ }],
  ] as const)('classifies a failing %s', async (path, feed, expected) => {
    server.set(path, { ...feed });
    const harness = await createListenHarness({ kind: 'rss', config: { url: server.url(path) }, db });
    const config = feedConfigSchema.parse({ url: server.url(path), maxBytes: 1_000_000, timeoutMs: 1_000 });
    const counters = { polls: 0, notModified: 0, ingested: 0, duplicates: 0, failures: 0 };
    const error = await pollFeed(harness.context(), config, server.url(path), { seen: [] }, new AbortController().signal, counters).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: expected.reason });
    expect(error instanceof Error ? error.message : '').toMatch(expected.message);
  });
});
