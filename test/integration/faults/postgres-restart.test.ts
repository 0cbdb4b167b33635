import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { createContext, startServer } from '../../../src/http/server.ts';
import type { RunningServer } from '../../../src/http/server.ts';
import type { AppContext } from '../../../src/http/app-context.ts';
import { createWorkspace } from '../../../src/features/accounts/index.ts';
import { createChannel } from '../../../src/features/channels/index.ts';
import { inCi, missingPostgresMessage, postgresBinDir, startPrivatePostgres, until } from './fault.harness.ts';
import type { PrivatePostgres } from './fault.harness.ts';

/**
 * Parley's server on a private PostgreSQL cluster that is restarted (`pg_ctl restart -m fast`) while clients offer
 * messages through the ingest API. Every connection the server holds is cut; it must recover by itself, and clients
 * that retry with the same external id must end with each message stored exactly once.
 */

interface Offer {
  ok: boolean;
  status: number;
  retryAfterMs: number;
  body: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!postgresBinDir && !inCi) console.warn(`skipping the PostgreSQL restart test: ${missingPostgresMessage}`);

describe.skipIf(!postgresBinDir && !inCi)('PostgreSQL restarted under load', () => {
  let cluster: PrivatePostgres;
  let ctx: AppContext;
  let server: RunningServer;
  let baseUrl: string;
  let channel: { id: string; token: string; workspaceId: string };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-pg-restart-'));

  beforeAll(async () => {
    cluster = await startPrivatePostgres();
    const url = await cluster.createDatabase('parley');
    const config = loadConfig({
      DATABASE_URL: url, PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', PARLEY_DB_POOL_SIZE: '4',
      PARLEY_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
    });
    ctx = await createContext(config);
    const workspace = await createWorkspace(ctx.db, { slug: 'pg-restart', name: 'PostgreSQL restart' });
    const created = await createChannel(ctx.db, ctx.secretKey, { workspaceId: workspace.id, kind: 'api', name: 'Ingest API' });
    channel = { id: created.channel.id, token: created.token, workspaceId: workspace.id };
    server = await startServer(ctx);
    const address = server.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await ctx?.db.close();
    await cluster?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function offer(externalId: string): Promise<Offer> {
    try {
      const res = await fetch(`${baseUrl}/api/v1/channels/${channel.id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${channel.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          externalId,
          text: `My order ${externalId} never arrived and nobody answers`,
          author: { externalId: `customer-${externalId}`, handle: `c_${externalId}` },
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const retryAfter = Number(res.headers.get('retry-after') ?? '0');
      return { ok: res.status >= 200 && res.status < 300, status: res.status, retryAfterMs: retryAfter * 1000, body: await res.text() };
    } catch (error) {
      return { ok: false, status: 0, retryAfterMs: 0, body: String(error) };
    }
  }

  async function readyStatus(): Promise<number> {
    try {
      return (await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) })).status;
    } catch {
      return 0;
    }
  }

  it('recovers by itself; every acknowledged message is stored once, and retried ones are not duplicated', async () => {
    const accepted = new Map<string, { attempts: number; status: number }>();
    const failures: Offer[] = [];
    let next = 0;
    let phase: 'before' | 'restarting' | 'after' = 'before';
    let acceptedAfterRestart = 0;
    const deadline = Date.now() + 45_000;

    // Each client offers fresh messages one after another, and retries a refused one with the same external id
    // (honouring Retry-After) until it is acknowledged — what a well-behaved integration does.
    const client = async () => {
      while (!(phase === 'after' && acceptedAfterRestart >= 40)) {
        const externalId = `restart-${next}`;
        next += 1;
        for (let attempts = 1; ; attempts += 1) {
          const result = await offer(externalId);
          if (result.ok) {
            accepted.set(externalId, { attempts, status: result.status });
            if (phase === 'after') acceptedAfterRestart += 1;
            break;
          }
          failures.push(result);
          if (Date.now() > deadline) throw new Error(`gave up on ${externalId}: ${result.status} ${result.body}`);
          await sleep(Math.min(Math.max(result.retryAfterMs, 100), 2_000));
        }
        await sleep(10);
      }
    };

    const readiness: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        readiness.push(await readyStatus());
        await sleep(100);
      }
    })();

    const clients = Array.from({ length: 4 }, () => client());
    await until('load to be under way', () => accepted.size >= 30, 20_000);
    phase = 'restarting';
    await cluster.restart();
    phase = 'after';
    await Promise.all(clients);
    // No restart of Parley, no reconnect by hand: the pool replaces the connections the restart cut.
    await until('/readyz to answer ready again', async () => (await readyStatus()) === 200, 15_000);
    watching = false;
    await watcher;

    expect(failures.length, 'the restart should have cut requests in flight').toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.status, failure.body).toBe(503);
      expect(JSON.parse(failure.body)).toMatchObject({ error: { code: 'unavailable' } });
      expect(failure.retryAfterMs).toBeGreaterThan(0);
    }
    expect(readiness.at(-1)).toBe(200);

    const rows = await ctx.db.query<{ external_id: string; n: number }>(
      'SELECT external_id, count(*)::int AS n FROM message WHERE workspace_id = $1 AND channel_id = $2 GROUP BY external_id',
      [channel.workspaceId, channel.id],
    );
    const stored = new Map(rows.map((r) => [r.external_id, Number(r.n)]));
    expect(stored.size).toBe(accepted.size);
    for (const externalId of accepted.keys()) expect(stored.get(externalId), externalId).toBe(1);
    const received = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event WHERE workspace_id = $1 AND type = 'message.received'`,
      [channel.workspaceId],
    );
    expect(Number(received[0].n)).toBe(accepted.size);
    // A retried message answers 201 (its first try never committed) or 200 "duplicate" (it had): never a second row.
    const retried = [...accepted.values()].filter((a) => a.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const a of retried) expect([200, 201]).toContain(a.status);
  }, 90_000);
});
