/**
 * bench:load — Parley under a mixed load, every part a separate process on loopback against one PostgreSQL:
 * `parley serve` and two `parley work` processes; two inbound processes offering together BENCH_LOAD_RATE (1,000)
 * messages/s for BENCH_LOAD_SECONDS (60) across the API channel and the X, Facebook and Twilio webhooks (signed as
 * the platforms sign); one process of 50 agents reading the queue and cases, taking the next case, answering and
 * resolving. X replies go through the outbox to a local fake X API (test/fakes/x-api.fake.ts) in this process.
 *
 * Afterwards it waits for the outbox to drain and checks: every message that got a 2xx is in the database (lost),
 * no reply reached X twice (duplicateReplies: repeated POST /2/tweets of one text — the fake, like X, refuses the
 * second, so the attempt is what is counted). Last line: one JSON object.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApiToken } from '../src/features/accounts/index.ts';
import { startFakeXApi } from '../test/fakes/x-api.fake.ts';
import { mergeSamples, percentile } from './load/recorder.ts';
import type { Samples } from './load/recorder.ts';

const adminUrl = process.env.PARLEY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rate = Number(process.env.BENCH_LOAD_RATE ?? 1_000);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const agentCount = Number(process.env.BENCH_LOAD_AGENTS ?? 50);
const offerProcesses = 2;
const port = 3881;
const base = `http://127.0.0.1:${port}`;
const root = path.resolve(import.meta.dirname, '..');
const password = 'bench-password-123';
const firstTweetId = 1800000000000000000n;

const dbName = `parley_load_${Date.now()}`;
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-load-'));
const env: Record<string, string> = {
  DATABASE_URL: dbUrl.toString(),
  PARLEY_DATA_DIR: dataDir,
  PARLEY_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
  PARLEY_DB_POOL_SIZE: '20',
  PARLEY_LOG_LEVEL: 'warn',
  PORT: String(port),
  HOST: '127.0.0.1',
};
const children: ChildProcess[] = [];

function parley(args: string[]): void {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/parley.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`parley ${args.join(' ')} failed: ${result.stderr}`);
}

function startParley(command: 'serve' | 'work'): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'bin/parley.js'), command], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

/** Runs a bench/load/*.ts worker in its own process and returns the JSON line it prints. */
function runWorker<T>(script: string, config: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/load', script)], {
      env: { ...process.env, BENCH_LOAD_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T) : reject(new Error(`${script} exited with ${code}`))));
  });
}

async function waitReady(): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not start');
}

async function adminSession(): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@load.example', password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { data } = (await login.json()) as { data: { csrfToken: string } };
  return { 'content-type': 'application/json', cookie, 'x-csrf-token': data.csrfToken };
}

async function api<T>(headers: Record<string, string>, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}

interface EndpointSummary {
  count: number;
  ok: number;
  failures: Record<string, number>;
  firstError?: string;
  p50Ms: number;
  p99Ms: number;
}

function summarize(samples: Samples): Record<string, EndpointSummary> {
  const out: Record<string, EndpointSummary> = {};
  for (const [endpoint, s] of Object.entries(samples)) {
    const sorted = s.latenciesMs.slice().sort((a, b) => a - b);
    out[endpoint] = { count: sorted.length, ok: s.ok, failures: s.failures, firstError: s.firstError, p50Ms: Math.round(percentile(sorted, 50)), p99Ms: Math.round(percentile(sorted, 99)) };
  }
  return out;
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const db = new pg.Client({ connectionString: dbUrl.toString() });
const fakeX = await startFakeXApi({ token: 'x-user-token' });

try {
  parley(['user', 'create', '--workspace', 'load', '--email', 'admin@load.example', '--password', password, '--role', 'admin', '--name', 'Load admin']);
  startParley('serve');
  await waitReady();
  startParley('work');
  startParley('work');
  await db.connect();

  const headers = await adminSession();
  const session = await api<{ workspace: { id: string } }>(headers, 'GET', '/api/v1/session');
  const workspaceId = session.workspace.id;
  const secrets = { consumerSecret: crypto.randomBytes(16).toString('hex'), appSecret: crypto.randomBytes(16).toString('hex'), authToken: crypto.randomBytes(16).toString('hex') };
  type Created = { channel: { id: string }; token: string };
  const apiChannel = await api<Created>(headers, 'POST', '/api/v1/channels', { kind: 'api', name: 'API', owned: true });
  const xChannel = await api<Created>(headers, 'POST', '/api/v1/channels', {
    kind: 'x', name: 'X', owned: true, config: { mode: 'webhook', baseUrl: fakeX.baseUrl }, credentials: { consumerSecret: secrets.consumerSecret, accessToken: 'x-user-token' },
  });
  const fbChannel = await api<Created>(headers, 'POST', '/api/v1/channels', { kind: 'facebook', name: 'Facebook', owned: true, config: { mode: 'webhook' }, credentials: { appSecret: secrets.appSecret } });
  const phoneChannel = await api<Created>(headers, 'POST', '/api/v1/channels', {
    kind: 'phone', name: 'Phone', owned: true, config: { publicUrl: base }, credentials: { authToken: secrets.authToken },
  });

  const queryable = { query: async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows };
  const tokens: string[] = [];
  for (let i = 0; i < agentCount; i += 1) {
    const user = await api<{ id: string }>(headers, 'POST', '/api/v1/users', { email: `agent${i}@load.example`, name: `Agent ${i}`, role: 'agent', password });
    tokens.push((await createApiToken(queryable, workspaceId, user.id, 'bench:load')).token);
  }

  // The fake X only accepts replies to posts it knows: register every tweet id the inbound processes will use.
  const perProcess = Math.round((rate / offerProcesses) * seconds);
  for (let w = 0; w < offerProcesses; w += 1) {
    for (let seq = 1; seq < perProcess; seq += 4) fakeX.addTweet((firstTweetId + BigInt(w) * 10_000_000n + BigInt(seq)).toString(), `x_customer_${w}${seq % 2_000}`);
  }

  console.error(`load: ${rate} msgs/s for ${seconds} s from ${offerProcesses} processes, ${agentCount} agents; serve + 2 work on PostgreSQL; load average ${os.loadavg()[0].toFixed(2)}`);
  const started = Date.now();
  const offers = Array.from({ length: offerProcesses }, (_, w) =>
    runWorker<{ offered: number; delayedByInFlightCap: number; seconds: number; samples: Samples }>('offer.ts', {
      base, worker: w, rate: rate / offerProcesses, seconds, maxInFlight: 500,
      acceptedFile: path.join(dataDir, `accepted-${w}.tsv`),
      api: { id: apiChannel.channel.id, token: apiChannel.token },
      x: { id: xChannel.channel.id, consumerSecret: secrets.consumerSecret, firstTweetId: (firstTweetId + BigInt(w) * 10_000_000n).toString() },
      facebook: { id: fbChannel.channel.id, appSecret: secrets.appSecret, pageId: '1234567890321' },
      phone: { id: phoneChannel.channel.id, authToken: secrets.authToken },
    }),
  );
  const agents = runWorker<{ repliesQueued: number; casesTaken: number; samples: Samples }>('agents.ts', { base, tokens, seconds, thinkMs: [500, 2_500] });
  const offerResults = await Promise.all(offers);
  const agentResult = await agents;
  const loadSeconds = (Date.now() - started) / 1000;

  // Drain: the outbox has work until no reply is queued or sending (at most two minutes).
  const drainStarted = Date.now();
  let pendingReplies = -1;
  while (Date.now() - drainStarted < 120_000) {
    const rows = await db.query<{ n: string }>(`SELECT count(*) AS n FROM reply WHERE workspace_id = $1 AND status IN ('queued', 'sending')`, [workspaceId]);
    pendingReplies = Number(rows.rows[0].n);
    if (pendingReplies === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const byStatus = Object.fromEntries(
    (await db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM reply WHERE workspace_id = $1 GROUP BY status`, [workspaceId])).rows.map((r) => [r.status, Number(r.n)]),
  );

  // Lost: accepted (2xx) but not stored.
  const channelOf: Record<string, string> = { api: apiChannel.channel.id, x: xChannel.channel.id, facebook: fbChannel.channel.id, phone: phoneChannel.channel.id };
  const stored = new Set(
    (await db.query<{ channel_id: string; external_id: string }>(`SELECT channel_id, external_id FROM message WHERE workspace_id = $1 AND direction = 'inbound'`, [workspaceId])).rows.map(
      (r) => `${r.channel_id}\t${r.external_id}`,
    ),
  );
  let accepted = 0;
  let lost = 0;
  for (let w = 0; w < offerProcesses; w += 1) {
    const lines = fs.readFileSync(path.join(dataDir, `accepted-${w}.tsv`), 'utf8').split('\n').filter((l) => l.length > 0);
    for (const line of lines) {
      const [kind, externalId] = line.split('\t');
      accepted += 1;
      if (!stored.has(`${channelOf[kind]}\t${externalId}`)) lost += 1;
    }
  }

  const posts = new Map<string, number>();
  for (const r of fakeX.requests) {
    if (r.method === 'POST' && r.path === '/2/tweets' && typeof r.body.text === 'string') posts.set(r.body.text, (posts.get(r.body.text) ?? 0) + 1);
  }
  const duplicateReplies = [...posts.values()].reduce((sum, n) => sum + n - 1, 0);
  const inbound = mergeSamples(offerResults.map((r) => r.samples));
  const all = summarize(mergeSamples([inbound, agentResult.samples]));
  const offered = offerResults.reduce((s, r) => s + r.offered, 0);
  const errors = Object.values(all).reduce((s, e) => s + Object.values(e.failures).reduce((a, b) => a + b, 0), 0);

  console.error(`offered ${offered} inbound messages in ${offerResults.map((r) => r.seconds.toFixed(1)).join(' / ')} s (${offerResults.map((r) => r.delayedByInFlightCap).join(' / ')} held back by the in-flight cap); accepted ${accepted}; lost ${lost}`);
  console.error(`agents took ${agentResult.casesTaken} cases and queued ${agentResult.repliesQueued} replies; replies by status after ${((Date.now() - drainStarted) / 1000).toFixed(0)} s of draining: ${JSON.stringify(byStatus)}; X posts ${fakeX.tweets.length}, duplicate attempts ${duplicateReplies}`);
  for (const [endpoint, e] of Object.entries(all)) {
    console.error(`  ${endpoint.padEnd(42)} n=${String(e.count).padStart(6)} ok=${String(e.ok).padStart(6)} p50 ${String(e.p50Ms).padStart(5)} ms  p99 ${String(e.p99Ms).padStart(5)} ms  ${Object.keys(e.failures).length > 0 ? `failures ${JSON.stringify(e.failures)}${e.firstError ? ` (first: ${e.firstError})` : ''}` : ''}`);
  }
  console.error(`machine: ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, node ${process.version}, load average after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; run ${loadSeconds.toFixed(0)} s`);
  console.log(JSON.stringify({
    bench: 'load',
    offered,
    accepted,
    errors,
    lost,
    duplicateReplies,
    repliesQueued: agentResult.repliesQueued,
    repliesSent: fakeX.tweets.length,
    p50Ms: Object.fromEntries(Object.entries(all).map(([k, e]) => [k, e.p50Ms])),
    p99Ms: Object.fromEntries(Object.entries(all).map(([k, e]) => [k, e.p99Ms])),
  }));
  if (lost > 0 || duplicateReplies > 0) process.exitCode = 1;
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await db.end().catch(() => undefined);
  await fakeX.close();
  const cleanup = new pg.Client({ connectionString: adminUrl });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await cleanup.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
