import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { createContext } from '../../../src/http/server.ts';
import { buildApp } from '../../../src/http/app.ts';
import type { AppContext } from '../../../src/http/app-context.ts';
import { createApiToken, createUser, createWorkspace } from '../../../src/features/accounts/index.ts';
import { messageOf } from '../../support/app.ts';
import { createSendChannel, createdReply, ingestOne, postReply } from '../../support/replies.ts';
import { startFakeXApi } from '../../fakes/x-api.fake.ts';
import type { FakeXApi } from '../../fakes/x-api.fake.ts';
import { canShareDatabase, createSharedDatabase, inCi, missingPostgresMessage, spawnParley, until } from './fault.harness.ts';
import type { ParleyProcess, SharedDatabase } from './fault.harness.ts';

/**
 * `kill -9` of a real `parley work` process while it is delivering replies, then a second `parley work`: every reply
 * ends sent exactly once (or "unknown" for an agent to confirm), never twice. X is a local fake behind a proxy that
 * makes it slow in three ways at once, so the kill finds replies in every state a crash can leave them in:
 *
 *   answered    the platform posted it and Parley heard back (sent before the kill)
 *   unanswered  the platform posted it, the answer never came back (Parley must find it, not post it again)
 *   unsent      the request never reached the platform (Parley must post it once)
 *   unclaimed   still in the outbox (the next worker sends it)
 */

const replies = 15;
const batch = 10; // the outbox worker's claim size
const answered = 3;
const unanswered = 4;
const accessToken = `x-user-token-${crypto.randomBytes(8).toString('hex')}`;
const secretKey = crypto.randomBytes(32).toString('hex');

interface SlowProxy {
  url: string;
  /** POST /2/tweets requests that reached the proxy. */
  readonly posts: number;
  /** Held requests get no answer until their connection closes; after `passThrough()` every request is forwarded. */
  passThrough(): void;
  close(): Promise<void>;
}

/** In front of the fake X: the first posts are answered, the next are carried out but unanswered, the rest held back. */
async function startSlowProxy(target: string): Promise<SlowProxy> {
  let posts = 0;
  let passing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const isPost = req.method === 'POST' && (req.url ?? '').startsWith('/2/tweets');
        const n = isPost ? posts++ : -1;
        if (isPost && !passing && n >= answered + unanswered) return; // unsent: held, never forwarded
        const headers: Record<string, string> = {};
        for (const name of ['authorization', 'content-type']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const answer = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        const body = await answer.text();
        if (isPost && !passing && n >= answered) return; // unanswered: posted on X, the answer is held
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get posts() {
      return posts;
    },
    passThrough() {
      passing = true;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (!canShareDatabase && !inCi) console.warn(`skipping the parley work kill test: ${missingPostgresMessage}`);

describe.skipIf(!canShareDatabase && !inCi)('parley work killed with SIGKILL mid-delivery', () => {
  let shared: SharedDatabase;
  let ctx: AppContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let x: FakeXApi;
  let proxy: SlowProxy;
  const workers: ParleyProcess[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-work-kill-'));

  beforeAll(async () => {
    const database = await createSharedDatabase();
    if (!database) throw new Error(missingPostgresMessage);
    shared = database;
    ctx = await createContext(loadConfig({ PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'silent', PARLEY_SECRET_KEY: secretKey }), { db: shared.db });
    app = await buildApp(ctx);
    await app.ready();
    x = await startFakeXApi({ token: accessToken });
    proxy = await startSlowProxy(x.baseUrl);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await proxy?.close();
    await x?.close();
    await app?.close();
    await shared?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const workEnv = () => ({
    DATABASE_URL: shared.url, PARLEY_SECRET_KEY: secretKey, PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'debug', PARLEY_DB_POOL_SIZE: '4',
  });

  async function statuses(workspaceId: string): Promise<Map<string, { status: string; externalId: string | null; text: string }>> {
    const rows = await shared.db.query<{ id: string; status: string; external_id: string | null; text: string }>(
      'SELECT id, status, external_id, text FROM reply WHERE workspace_id = $1',
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.id, { status: r.status, externalId: r.external_id, text: r.text }]));
  }

  const count = (all: Map<string, { status: string }>, status: string) => [...all.values()].filter((r) => r.status === status).length;

  it('leaves every reply sent exactly once or unknown, never twice, and never logs the credentials', async () => {
    const workspace = await createWorkspace(ctx.db, { slug: `work-kill-${crypto.randomBytes(3).toString('hex')}`, name: 'Work kill' });
    const agent = await createUser(ctx.db, { workspaceId: workspace.id, email: 'agent@work-kill.example', name: 'Agent', role: 'agent', password: 'agent-password-long' });
    const { token } = await createApiToken(ctx.db, workspace.id, agent.id, 'test');
    const channel = await createSendChannel(ctx, workspace.id, 'x', { baseUrl: proxy.url }, { accessToken });
    for (let i = 0; i < replies; i += 1) {
      const tweetId = String(1970000000000000000n + BigInt(i));
      x.addTweet(tweetId, `customer${i}`);
      const stored = await ingestOne(app, channel, messageOf({ externalId: tweetId, author: { externalId: String(990000 + i), handle: `customer${i}` } }));
      const reply = await createdReply(await postReply(app, token, stored.caseId, { text: `Sorry about that, case ${i} is with our engineers now.` }));
      expect(reply.status).toBe('queued');
    }

    const first = spawnParley(['work', '--send-timeout', '5000'], workEnv());
    workers.push(first);
    await first.waitForOutput('Parley work is running', 60_000);
    // The kill lands while the worker waits on the platform: a whole batch claimed, the answered ones recorded.
    await until('a batch of posts in flight', () => proxy.posts >= batch, 30_000);
    await until('the answered replies to be recorded', async () => count(await statuses(workspace.id), 'sent') === answered, 10_000);
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    const atKill = await statuses(workspace.id);
    expect({ sent: count(atKill, 'sent'), sending: count(atKill, 'sending'), queued: count(atKill, 'queued') }).toEqual({
      sent: answered, sending: batch - answered, queued: replies - batch,
    });
    await until('the unanswered posts to reach X', () => x.tweets.length === answered + unanswered, 10_000);

    proxy.passThrough();
    // A row another worker left `sending` is reconciled once stale; 35 s is the least a 5 s send timeout allows.
    const second = spawnParley(['work', '--send-timeout', '5000', '--stale-after', '35000'], workEnv());
    workers.push(second);
    let last = '';
    await until(
      'every reply to settle',
      async () => {
        const now = [...(await statuses(workspace.id)).values()];
        last = now.map((r) => r.status).sort().join(',');
        return now.every((r) => ['sent', 'unknown', 'failed'].includes(r.status));
      },
      90_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; statuses ${last}; second worker said:\n${second.output().slice(-4_000)}`);
    });
    await second.kill('SIGTERM');

    const settled = await statuses(workspace.id);
    const postsReachingX = x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
    for (const [replyId, reply] of settled) {
      expect(['sent', 'unknown'], `reply ${replyId}: ${reply.status}`).toContain(reply.status);
      const posted = postsReachingX.filter((r) => r.body.text === reply.text);
      const onX = x.tweets.filter((t) => t.text === reply.text);
      expect(posted.length, `posts of "${reply.text}" that reached X`).toBeLessThanOrEqual(1);
      if (reply.status === 'sent') {
        expect(onX).toHaveLength(1);
        expect(reply.externalId).toBe(onX[0].id);
      }
    }
    expect(x.tweets).toHaveLength(count(settled, 'sent'));
    const reconciled = await shared.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event WHERE workspace_id = $1 AND type = 'reply.sent' AND data->>'via' = 'reconciled'`,
      [workspace.id],
    );
    expect(Number(reconciled[0].n) + count(settled, 'unknown')).toBe(unanswered);

    for (const worker of workers) {
      expect(worker.output()).not.toContain(accessToken);
      expect(worker.output()).not.toContain(secretKey);
    }
    expect(first.output() + second.output()).toMatch(/"msg":"reply delivery settled"/);
  }, 150_000);
});
