/**
 * bench:ingest — messages sent over HTTP by autocannon (this process) into a Parley server (a child process running
 * `parley serve`), on PostgreSQL and on PGlite. Reports sustained messages/s accepted and turned into cases, and
 * p50/p99 latency at a fixed offered load of 500 messages/s. A 201 is only sent after the message, its case and its
 * event are committed, so the response time is the time until the case is visible in the queue; the bench checks
 * that claim on a sample by reading the cases back through the queue API.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const adminUrl = process.env.PARLEY_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const throughputSeconds = Number(process.env.BENCH_SECONDS ?? 15);
const fixedRate = 500;
const password = 'bench-password-123';
const root = path.resolve(import.meta.dirname, '..');

interface Target {
  name: 'pg' | 'pglite';
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function postgresTarget(): Promise<Target> {
  const name = `parley_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  return {
    name: 'pg',
    env: { DATABASE_URL: url.toString(), PARLEY_DATA_DIR: dataDir, PARLEY_DB_POOL_SIZE: '20' },
    async cleanup() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function pgliteTarget(): Target {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  return { name: 'pglite', env: { PARLEY_DATA_DIR: dataDir }, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

function parley(args: string[], env: Record<string, string>): void {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/parley.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`parley ${args.join(' ')} failed: ${result.stderr}`);
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin/parley.js'), 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 120; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error('server did not start');
}

async function setUpChannel(base: string): Promise<{ channelId: string; channelToken: string; apiToken: string }> {
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { data } = (await login.json()) as { data: { csrfToken: string } };
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': data.csrfToken };
  const channel = await fetch(`${base}/api/v1/channels`, { method: 'POST', headers, body: JSON.stringify({ kind: 'x', name: 'bench' }) });
  const created = (await channel.json()) as { data: { channel: { id: string }; token: string } };
  const token = await fetch(`${base}/api/v1/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench' }) });
  const api = (await token.json()) as { data: { token: string } };
  return { channelId: created.data.channel.id, channelToken: created.data.token, apiToken: api.data.token };
}

const complaints = [
  'no signal at all since this morning, is there an outage?',
  'charged twice for my plan this month, please refund',
  'third dropped call today, this is ridiculous',
  'how do I move my contract to a new address?',
  'thanks for fixing my router so quickly!',
  'still waiting for the engineer, day four without internet',
];

interface RunResult {
  sent: number;
  created: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function run(base: string, channelId: string, token: string, opts: { seconds: number; rate?: number; connections: number; prefix: string }): Promise<RunResult> {
  let seq = 0;
  let created = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${base}/api/v1/channels/${channelId}/messages`,
        connections: opts.connections,
        duration: opts.seconds,
        overallRate: opts.rate,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            setupRequest: (request) => {
              seq += 1;
              const customer = seq % 5000;
              request.body = JSON.stringify({
                externalId: `${opts.prefix}-${seq}`,
                text: `@brand ${complaints[seq % complaints.length]}`,
                author: { externalId: `cust-${customer}`, handle: `customer_${customer}` },
              });
              return request;
            },
            onResponse: (status, body) => {
              if (status === 201 && body.includes('"caseId":"')) created += 1;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          sent: result.requests.total,
          created,
          seconds: result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors,
          non2xx: result.non2xx,
        });
      },
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

/** Reads every open case back through the queue API and checks the count matches what the server said it created. */
async function casesVisible(base: string, apiToken: string): Promise<number> {
  let cursor: string | null = null;
  let total = 0;
  do {
    const res = await fetch(`${base}/api/v1/queue?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${apiToken}` } });
    const page = (await res.json()) as { data: unknown[]; nextCursor: string | null };
    total += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}

async function measure(target: Target, port: number) {
  parley(['user', 'create', '--workspace', 'bench', '--email', 'bench@example.com', '--password', password, '--role', 'admin'], target.env);
  const server = await startServer(target.env, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    const { channelId, channelToken, apiToken } = await setUpChannel(base);
    await run(base, channelId, channelToken, { seconds: 3, connections: 16, prefix: 'warmup' });
    const sustained = await run(base, channelId, channelToken, { seconds: throughputSeconds, connections: 32, prefix: 'max' });
    const paced = await run(base, channelId, channelToken, { seconds: 10, rate: fixedRate, connections: 32, prefix: 'paced' });
    const visible = await casesVisible(base, apiToken);
    console.error(
      `${target.name}: sustained ${Math.round(sustained.created / sustained.seconds)}/s (sent ${sustained.sent}, non-2xx ${sustained.non2xx}, errors ${sustained.errors}); ` +
        `at ${fixedRate}/s p50 ${paced.p50} ms p99 ${paced.p99} ms (non-2xx ${paced.non2xx}); open cases visible in the queue: ${visible}`,
    );
    return {
      msgsPerSec: Math.round(sustained.created / sustained.seconds),
      p50Ms: paced.p50,
      p99Ms: paced.p99,
      pacedMsgsPerSec: Math.round(paced.created / paced.seconds),
      openCasesInQueue: visible,
      failed: sustained.non2xx + sustained.errors + paced.non2xx + paced.errors,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await target.cleanup();
  }
}

const pgResult = await measure(await postgresTarget(), 3871);
const pgliteResult = await measure(pgliteTarget(), 3872);
console.log(
  JSON.stringify({
    bench: 'ingest',
    machine: { cpus: os.cpus().length, node: process.version },
    pg: pgResult,
    pglite: pgliteResult,
  }),
);
