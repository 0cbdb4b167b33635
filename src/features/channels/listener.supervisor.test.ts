import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/db.ts';
import { createLogger } from '../../platform/logger.ts';
import { systemClock } from '../../platform/clock.ts';
import { createWorkspace } from '../accounts/index.ts';
import { createBaselineClassifier } from '../classification/index.ts';
import { createPassThroughMatcher } from '../listening/index.ts';
import { createEventNotifier } from '../events/index.ts';
import { startFakeFeedServer } from '../../../test/fakes/feeds.fake.ts';
import type { FakeFeedServer } from '../../../test/fakes/feeds.fake.ts';
import { openMigratedMemoryDb, scaledTimers, waitFor } from '../../../test/support/listen.harness.ts';
import { readFixture } from '../../../test/support/payloads.ts';
import { createChannel, listChannels } from './index.ts';
import { createListenerSupervisor } from './listener.supervisor.ts';
import type { ListenerSupervisorOptions } from './listener.supervisor.ts';
import { findChannelLeaseHolder } from './channel-lease.repository.ts';

let db: Db;
let server: FakeFeedServer;
const secretKey = crypto.randomBytes(32);

beforeAll(async () => {
  db = await openMigratedMemoryDb();
  server = await startFakeFeedServer();
  server.set('/blog.rss', { body: readFixture('feeds', 'rss2-blog.xml'), etag: '"1"' });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

function options(holderId: string): ListenerSupervisorOptions {
  return {
    db, secretKey, holderId, logger: createLogger('silent'), timers: scaledTimers(100), scanIntervalMs: 60_000, leaseTtlMs: 60_000, healthRefreshMs: 0,
    ingest: { db, classifier: createBaselineClassifier(), matcher: createPassThroughMatcher(), clock: systemClock, notifier: createEventNotifier(), threadWindowHours: 72 },
  };
}

describe('listener supervisor', () => {
  it('runs one connector per listening channel, one leader across processes, and a failing channel does not stop the others', async () => {
    const ws = await createWorkspace(db, { slug: 'sup-a', name: 'Supervisor A' });
    const { channel: feed } = await createChannel(db, secretKey, {
      workspaceId: ws.id, kind: 'rss', name: 'Blog', owned: false, config: { url: server.url('/blog.rss'), intervalSeconds: 60 },
    });
    const { channel: broken } = await createChannel(db, secretKey, { workspaceId: ws.id, kind: 'bluesky', name: 'Broken', owned: false, config: { baseUrl: 'ftp://nope' } });
    const { channel: disabled } = await createChannel(db, secretKey, {
      workspaceId: ws.id, kind: 'rss', name: 'Off', owned: false, config: { url: server.url('/blog.rss'), enabled: false },
    });
    await createChannel(db, secretKey, { workspaceId: ws.id, kind: 'x', name: 'X webhooks', owned: true, config: { mode: 'webhook' } });
    // Phone channels receive by webhook: no listener. (Email is listened to since the IMAP driver landed.)
    await createChannel(db, secretKey, { workspaceId: ws.id, kind: 'phone', name: 'Support line', owned: true });

    const first = createListenerSupervisor(options('process-1'));
    const second = createListenerSupervisor(options('process-2'));
    await first.start();
    await second.start();
    expect(first.running().sort()).toEqual([`${ws.id}:${feed.id}`, `${ws.id}:${broken.id}`].sort());
    expect(second.running()).toEqual([]);
    expect(await findChannelLeaseHolder(db, ws.id, feed.id)).toBe('process-1');
    expect(await findChannelLeaseHolder(db, ws.id, disabled.id)).toBeNull();

    await waitFor(async () => (await listChannels(db, ws.id)).find((c) => c.id === feed.id)?.health === 'connected', 15_000, 'feed connected');
    const channels = await listChannels(db, ws.id);
    expect(channels.find((c) => c.id === feed.id)).toMatchObject({ health: 'connected', failureCount: 0 });
    expect(channels.find((c) => c.id === feed.id)?.lastSuccessAt).not.toBeNull();
    const failing = channels.find((c) => c.id === broken.id);
    expect(failing).toMatchObject({ health: 'failing', failureCount: 1 });
    expect(failing?.healthReason).toMatch(/^config: invalid Bluesky channel settings/);
    const messages = await db.query('SELECT external_id FROM message WHERE workspace_id = $1 AND channel_id = $2', [ws.id, feed.id]);
    expect(messages).toHaveLength(2);

    // The first process goes away: the second takes the channels over at its next scan.
    await first.stop();
    expect(await findChannelLeaseHolder(db, ws.id, feed.id)).toBeNull();
    expect((await listChannels(db, ws.id)).find((c) => c.id === feed.id)?.health).toBe('idle');
    await second.scan();
    expect(second.running()).toContain(`${ws.id}:${feed.id}`);

    // Disabling a channel stops its listener at the next scan.
    await db.query(`UPDATE channel SET config = config || '{"enabled": false}'::jsonb WHERE workspace_id = $1 AND id = $2`, [ws.id, feed.id]);
    await second.scan();
    expect(second.running()).not.toContain(`${ws.id}:${feed.id}`);
    await second.stop();
    expect(second.running()).toEqual([]);
  });

  it('takes over a channel whose holder stopped renewing its lease', async () => {
    const ws = await createWorkspace(db, { slug: 'sup-b', name: 'Supervisor B' });
    const { channel } = await createChannel(db, secretKey, { workspaceId: ws.id, kind: 'rss', name: 'Blog', owned: false, config: { url: server.url('/blog.rss') } });
    await db.query(`INSERT INTO channel_lease (workspace_id, channel_id, holder, expires_at) VALUES ($1, $2, 'crashed', now() - interval '1 second')`, [ws.id, channel.id]);
    const supervisor = createListenerSupervisor(options('process-3'));
    await supervisor.scan();
    expect(supervisor.running()).toContain(`${ws.id}:${channel.id}`);
    expect(await findChannelLeaseHolder(db, ws.id, channel.id)).toBe('process-3');
    await supervisor.stop();
  });
});
