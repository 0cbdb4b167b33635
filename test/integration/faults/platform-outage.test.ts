import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/platform/clock.ts';
import { ingestDepsOf } from '../../../src/http/app-context.ts';
import { createListenerSupervisor } from '../../../src/features/channels/index.ts';
import type { ChannelView, ListenerSupervisor, Timers } from '../../../src/features/channels/index.ts';
import { createChannel } from '../../../src/features/channels/index.ts';
import { bearer, createTestApp, createWorkspaceWithUsers } from '../../support/app.ts';
import type { TestApp } from '../../support/app.ts';
import { readFixture } from '../../support/payloads.ts';
import { startFakeJetstream } from '../../fakes/bluesky.fake.ts';
import type { FakeJetstream } from '../../fakes/bluesky.fake.ts';
import { startFakeFeedServer } from '../../fakes/feeds.fake.ts';
import type { FakeFeedServer } from '../../fakes/feeds.fake.ts';
import { until } from './fault.harness.ts';

/**
 * A platform that answers 429 and 5xx for half an hour and more. Time is simulated: the listeners' sleeps (their
 * back-off) move a fake clock instead of waiting, and the outage is scheduled on that clock. While each wait runs,
 * the channels API is read as an operator would: it must say the channel is failing, why, and when it tries again.
 */

const minute = 60_000;
const clock = fixedClock(new Date('2026-03-04T09:00:00Z'));
const start = clock.now().getTime();
const elapsed = () => clock.now().getTime() - start;

interface Wait {
  ms: number;
  /** Simulated minutes into the outage when the wait began. */
  atMinute: number;
  channel: ChannelView;
}

/**
 * Sleeps that advance the fake clock at once, after recording what the channels API says. Once the scenario is over
 * (`until` minutes), a sleep lasts until the listener stops, so a recovered poller does not spin through simulated
 * hours.
 */
function simulatedTimers(read: () => Promise<ChannelView>, untilMs: number, beforeNextAttempt: () => void): Timers & { waits: Wait[] } {
  const waits: Wait[] = [];
  return {
    waits,
    async sleep(ms, signal) {
      if (elapsed() >= untilMs) {
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
        return;
      }
      waits.push({ ms, atMinute: elapsed() / minute, channel: await read() });
      clock.advance(ms);
      beforeNextAttempt();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** Counts TCP connections on their way to `port`: a refused WebSocket upgrade is still an attempt. */
async function startConnectionCounter(port: number): Promise<{ port: number; readonly connections: number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections += 1;
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let t: TestApp;
let admin: string;
let workspaceId: string;

beforeAll(async () => {
  t = await createTestApp({ clock });
  const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['admin']);
  admin = users[0].token;
  workspaceId = workspace.id;
});
afterAll(async () => {
  await t.close();
});

async function channelView(channelId: string): Promise<ChannelView> {
  const res = await t.app.inject({ url: '/api/v1/channels', headers: bearer(admin) });
  expect(res.statusCode).toBe(200);
  const body: { data: ChannelView[] } = res.json();
  const found = body.data.find((c) => c.id === channelId);
  if (!found) throw new Error(`channel ${channelId} is not listed`);
  return found;
}

/** A supervisor listens to every enabled channel of the installation: each test switches its channel off after. */
async function disable(channelId: string): Promise<void> {
  await t.ctx.db.query(`UPDATE channel SET config = config || '{"enabled": false}'::jsonb WHERE workspace_id = $1 AND id = $2`, [workspaceId, channelId]);
}

function supervise(timers: Timers): ListenerSupervisor {
  return createListenerSupervisor({
    db: t.ctx.db, secretKey: t.ctx.secretKey, ingest: ingestDepsOf(t.ctx), logger: t.ctx.logger, clock, timers, random: () => 0.5,
    holderId: `outage-${Math.random().toString(36).slice(2)}`, scanIntervalMs: 60 * minute, leaseTtlMs: 120 * minute, healthRefreshMs: 0,
  });
}

/** Through the outage the waits never shrink, and the back-off grows from its first wait. */
function expectGrowingBackoff(waits: Wait[]): void {
  for (let i = 1; i < waits.length; i += 1) expect(waits[i].ms, `wait ${i} after ${waits[i - 1].ms} ms`).toBeGreaterThanOrEqual(waits[i - 1].ms);
  if (waits.length > 1) expect(waits.at(-1)?.ms ?? 0).toBeGreaterThan(waits[0].ms);
}

/** The API, read during each wait, says failing, why, and exactly when the next attempt comes. */
function expectExplainedWaits(waits: Wait[], reason: RegExp, failuresBefore: number): void {
  let failures = failuresBefore;
  for (const wait of waits) {
    failures += 1;
    expect(wait.channel).toMatchObject({ health: 'failing', failureCount: failures });
    expect(wait.channel.healthReason).toMatch(reason);
    const startedAt = start + wait.atMinute * minute;
    expect(wait.channel.nextAttemptAt).toBe(new Date(startedAt + wait.ms).toISOString());
  }
}

describe('a platform answering 429 and 5xx for minutes', () => {
  let jetstream: FakeJetstream;
  let feeds: FakeFeedServer;
  beforeAll(async () => {
    jetstream = await startFakeJetstream();
    feeds = await startFakeFeedServer();
  });
  afterAll(async () => {
    await jetstream.close();
    await feeds.close();
  });

  it('a stream (Jetstream): 5 minutes of 503 then 20 of 429 — growing back-off, few attempts, the reason and retry time shown', async () => {
    clock.set(new Date(start));
    const counter = await startConnectionCounter(Number(new URL(jetstream.url).port));
    const { channel } = await createChannel(t.ctx.db, t.ctx.secretKey, {
      workspaceId, kind: 'bluesky', name: 'Jetstream outage', owned: true,
      config: { baseUrl: `ws://127.0.0.1:${counter.port}`, stallTimeoutMs: 60_000 },
    });
    // What the platform answers the next attempt, by simulated time.
    const nextAnswer = () => {
      if (elapsed() < 5 * minute) jetstream.rejectNext(503, 1);
      else if (elapsed() < 25 * minute) jetstream.rejectNext(429, 1);
      else jetstream.rejectNext(503, 0);
    };
    const timers = simulatedTimers(() => channelView(channel.id), 25 * minute, nextAnswer);
    nextAnswer();
    const supervisor = supervise(timers);
    await supervisor.start();
    try {
      await until('the stream to be accepted again', () => jetstream.openConnections === 1, 30_000);
      const waits = timers.waits;
      const unavailable = waits.filter((w) => w.atMinute < 5);
      const limited = waits.filter((w) => w.atMinute >= 5);
      expect(unavailable.length).toBeGreaterThan(3);
      expect(limited.length).toBeGreaterThan(0);
      expect(elapsed()).toBeGreaterThanOrEqual(25 * minute);

      // No tight loop: one connection per wait plus the one that worked, over more than 25 simulated minutes.
      expect(counter.connections).toBe(waits.length + 1);
      expect(counter.connections).toBeLessThan(25);
      // Jetstream's answers carried Retry-After: 1; no wait was shorter, and the 429s wait at least a minute.
      for (const wait of waits) expect(wait.ms).toBeGreaterThanOrEqual(1_000);
      for (const wait of limited) expect(wait.ms).toBeGreaterThanOrEqual(minute);
      expectGrowingBackoff(waits);
      expectExplainedWaits(unavailable, /^network: Jetstream answered HTTP 503/, 0);
      expectExplainedWaits(limited, /^rate_limit: Jetstream rate limit reached \(HTTP 429\)/, unavailable.length);

      // Back: the first post clears the failure and the wait.
      const timeUs = clock.now().getTime() * 1000;
      jetstream.publish({
        did: 'did:plc:customer000000000000001', time_us: timeUs, kind: 'commit',
        commit: { rev: '3lzoutage00001', operation: 'create', collection: 'app.bsky.feed.post', rkey: '3lzoutage00001', cid: 'bafyoutage',
          record: { $type: 'app.bsky.feed.post', text: 'is Acme down again?', langs: ['en'], createdAt: new Date(timeUs / 1000).toISOString() } },
      });
      await until('the channel to be connected', async () => (await channelView(channel.id)).health === 'connected', 15_000);
      expect(await channelView(channel.id)).toMatchObject({ health: 'connected', healthReason: null, nextAttemptAt: null, failureCount: 0 });
    } finally {
      await supervisor.stop();
      await counter.close();
      await disable(channel.id);
    }
  });

  it('a poller (RSS): 20 minutes of 503 then 40 of 429 with Retry-After — waits honour the interval and the platform', async () => {
    clock.set(new Date(start));
    const path = '/outage.rss';
    const { channel } = await createChannel(t.ctx.db, t.ctx.secretKey, {
      workspaceId, kind: 'rss', name: 'Status blog', owned: false, config: { url: feeds.url(path), intervalSeconds: 300 },
    });
    const nextAnswer = () => {
      if (elapsed() < 20 * minute) feeds.set(path, { status: 503, body: 'down for maintenance', headers: { 'retry-after': '120' } });
      else if (elapsed() < 60 * minute) feeds.set(path, { status: 429, body: 'slow down', headers: { 'retry-after': '600' } });
      else feeds.set(path, { body: readFixture('feeds', 'rss2-blog.xml'), etag: '"1"' });
    };
    const timers = simulatedTimers(() => channelView(channel.id), 60 * minute, nextAnswer);
    nextAnswer();
    const supervisor = supervise(timers);
    await supervisor.start();
    try {
      await until('the feed to be read again', async () => (await channelView(channel.id)).health === 'connected', 30_000);
      const waits = timers.waits;
      const unavailable = waits.filter((w) => w.atMinute < 20);
      const limited = waits.filter((w) => w.atMinute >= 20);
      const polls = feeds.requests.filter((r) => r.path === path);
      expect(polls.filter((r) => r.status === 503)).toHaveLength(unavailable.length);
      expect(polls.filter((r) => r.status === 429)).toHaveLength(limited.length);
      // An hour of failures: a handful of requests, never faster than the feed's interval or what the platform asked.
      expect(polls.length).toBeLessThan(20);
      for (const wait of unavailable) expect(wait.ms).toBeGreaterThanOrEqual(300_000);
      for (const wait of limited) expect(wait.ms).toBeGreaterThanOrEqual(600_000);
      expectGrowingBackoff(waits);
      expectExplainedWaits(unavailable, /^network: .*HTTP 503/, 0);
      expectExplainedWaits(limited, /^rate_limit: .*HTTP 429/, unavailable.length);

      const messages = await t.ctx.db.query('SELECT external_id FROM message WHERE workspace_id = $1 AND channel_id = $2', [workspaceId, channel.id]);
      expect(messages).toHaveLength(2);
      expect(await channelView(channel.id)).toMatchObject({ health: 'connected', nextAttemptAt: null, failureCount: 0 });
    } finally {
      await supervisor.stop();
      await disable(channel.id);
    }
  });
});
