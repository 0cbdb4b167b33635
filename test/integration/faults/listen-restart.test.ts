import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecretKey } from '../../../src/platform/crypto.ts';
import { createWorkspace } from '../../../src/features/accounts/index.ts';
import { createChannel } from '../../../src/features/channels/index.ts';
import { startFakeJetstream } from '../../fakes/bluesky.fake.ts';
import type { FakeJetstream } from '../../fakes/bluesky.fake.ts';
import { canShareDatabase, createSharedDatabase, inCi, missingPostgresMessage, spawnParley, until } from './fault.harness.ts';
import type { ParleyProcess, SharedDatabase } from './fault.harness.ts';

/**
 * A real `parley listen` process killed with SIGKILL while a Bluesky Jetstream (the local fake) streams posts, more
 * posts arriving while nobody listens, then a new `parley listen`: it takes the channel over once the dead process's
 * lease runs out and resumes from the stored cursor — no post missing, none stored twice.
 */

const secretKeyHex = crypto.randomBytes(32).toString('hex');
const total = 40;

if (!canShareDatabase && !inCi) console.warn(`skipping the parley listen restart test: ${missingPostgresMessage}`);

describe.skipIf(!canShareDatabase && !inCi)('parley listen killed and started again', () => {
  let shared: SharedDatabase;
  let jetstream: FakeJetstream;
  const listeners: ParleyProcess[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-listen-restart-'));

  beforeAll(async () => {
    const database = await createSharedDatabase();
    if (!database) throw new Error(missingPostgresMessage);
    shared = database;
    jetstream = await startFakeJetstream();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(listeners.map((l) => l.kill('SIGKILL')));
    await jetstream?.close();
    await shared?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const listen = () => {
    const child = spawnParley(['listen', '--scan-interval', '500', '--lease-ttl', '3000'], {
      DATABASE_URL: shared.url, PARLEY_SECRET_KEY: secretKeyHex, PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn', PARLEY_DB_POOL_SIZE: '4',
    });
    listeners.push(child);
    return child;
  };

  it('resumes from its cursor after a SIGKILL: no gap, no duplicate', async () => {
    const workspace = await createWorkspace(shared.db, { slug: `listen-restart-${crypto.randomBytes(3).toString('hex')}`, name: 'Listen restart' });
    const { channel } = await createChannel(shared.db, loadSecretKey(secretKeyHex, dataDir), {
      workspaceId: workspace.id, kind: 'bluesky', name: 'Bluesky', owned: true,
      // No rewind: the resume point is exactly the stored cursor, so a cursor saved too early would show as a gap.
      config: { baseUrl: jetstream.url, rewindSeconds: 0, cursorSaveIntervalMs: 0, stallTimeoutMs: 60_000 },
    });
    const stored = async () => {
      const rows = await shared.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message WHERE workspace_id = $1 AND channel_id = $2', [workspace.id, channel.id]);
      return Number(rows[0].n);
    };
    // Event times run ahead of the clock, so the listener never reports lag; one second apart.
    const startUs = Date.now() * 1000;
    const events = Array.from({ length: total }, (_, i) => {
      const rkey = `3lz${String(i).padStart(10, '0')}`;
      const timeUs = startUs + (i + 1) * 1_000_000;
      return {
        did: `did:plc:customer${String(i % 7).padStart(18, '0')}`, time_us: timeUs, kind: 'commit',
        commit: { rev: rkey, operation: 'create', collection: 'app.bsky.feed.post', rkey, cid: `bafy${rkey}`,
          record: { $type: 'app.bsky.feed.post', text: `post ${i}: my Acme router keeps dropping`, langs: ['en'], createdAt: new Date(timeUs / 1000).toISOString() } },
      };
    });

    const first = listen();
    await until('the first listener to subscribe', () => jetstream.openConnections === 1, 60_000);
    expect(jetstream.subscriptions[0].get('cursor')).toBeNull();

    // Posts keep coming; the kill lands in the middle of the stream.
    let published = 0;
    const publishing = (async () => {
      for (const event of events) {
        jetstream.publish(event);
        published += 1;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    await until('some posts to be stored', async () => (await stored()) >= 8, 30_000);
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    // Let statements the dead process had already sent finish, so the cursor read below is its last word.
    await until('the dead listener\'s statements to finish', async () => {
      const rows = await shared.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      return Number(rows[0].n) === 0;
    }, 10_000);
    const storedAtKill = await stored();
    const cursorRows = await shared.db.query<{ sync_cursor: string | null }>('SELECT sync_cursor FROM channel WHERE workspace_id = $1 AND id = $2', [workspace.id, channel.id]);
    const cursorAtKill = cursorRows[0].sync_cursor;
    expect(cursorAtKill).not.toBeNull();
    await publishing;
    expect(published).toBe(total);
    expect(storedAtKill).toBeLessThan(total);

    const second = listen();
    await until('every post to be stored', async () => (await stored()) === total, 60_000);
    expect(jetstream.subscriptions).toHaveLength(2);
    expect(jetstream.subscriptions[1].get('cursor')).toBe(cursorAtKill);
    const lease = await shared.db.query<{ holder: string }>('SELECT holder FROM channel_lease WHERE workspace_id = $1 AND channel_id = $2', [workspace.id, channel.id]);
    expect(lease[0].holder).toContain(`:${second.child.pid}:`);

    // Still streaming live after the take-over.
    const live = { ...events[0], time_us: startUs + (total + 1) * 1_000_000, commit: { ...events[0].commit, rkey: '3lzlive0000001', rev: '3lzlive0000001', cid: 'bafylive' } };
    jetstream.publish(live);
    await until('the live post to be stored', async () => (await stored()) === total + 1, 15_000);

    const rows = await shared.db.query<{ external_id: string; n: number }>(
      'SELECT external_id, count(*)::int AS n FROM message WHERE workspace_id = $1 AND channel_id = $2 GROUP BY external_id',
      [workspace.id, channel.id],
    );
    expect(rows).toHaveLength(total + 1);
    for (const [i, event] of events.entries()) {
      expect(rows.find((r) => r.external_id === `at://${event.did}/app.bsky.feed.post/${event.commit.rkey}`), `post ${i}`).toMatchObject({ n: 1 });
    }
    const received = await shared.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event WHERE workspace_id = $1 AND type = 'message.received'`, [workspace.id]);
    expect(Number(received[0].n)).toBe(total + 1);

    expect(await second.kill('SIGTERM')).toBe(0);
    const released = await shared.db.query('SELECT holder FROM channel_lease WHERE workspace_id = $1 AND channel_id = $2', [workspace.id, channel.id]);
    expect(released).toHaveLength(0);
  }, 150_000);
});
