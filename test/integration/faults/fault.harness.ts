import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../../../src/platform/db/db.ts';
import type { Db } from '../../../src/platform/db/db.ts';
import { migrate } from '../../../src/platform/db/migrate.ts';
import { createTestDatabase, testDatabaseUrl } from '../../support/database.ts';

/**
 * Support for the fault tests: real `parley` child processes (killed with SIGKILL, restarted), and a private
 * throw-away PostgreSQL cluster that a test may restart without disturbing anyone else's database.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

/** The newest PostgreSQL server binaries installed (Debian's layout), or null. */
export const postgresBinDir: string | null = (() => {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(base, v, 'bin', 'initdb')) && fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
})();

export const missingPostgresMessage = 'PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin: apt-get install -y postgresql';

/** CI must run the PostgreSQL fault tests: there a missing PostgreSQL fails them instead of skipping them. */
export const inCi = process.env.CI === 'true';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` system user (or `nobody`). */
function clusterOwner(): { uid: number; gid: number } | null {
  if (os.userInfo().uid !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to own a private cluster');
}

export interface PrivatePostgres {
  port: number;
  /** A connection URL for `database` (default `postgres`), trust authentication as user postgres. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl restart -m fast`: every connection is cut, the server comes back on the same port. */
  restart(): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

/** initdb + pg_ctl start in a temporary directory on a free port; stopped (and removed) by `stop` or at exit. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!postgresBinDir) throw new Error(missingPostgresMessage);
  const bin = postgresBinDir;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const owner = clusterOwner();
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const as = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const port = await freePort();
  const pgCtl = (args: string[]) => run(path.join(bin, 'pg_ctl'), ['-D', dataDir, ...args], { ...as, cwd: dir, timeout: 60_000 });

  await run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    ...as, cwd: dir, timeout: 120_000,
  });
  const settings = [
    `-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, '-c max_connections=60', '-c shared_buffers=16MB',
    '-c fsync=off', '-c synchronous_commit=on',
  ].join(' ');
  await pgCtl(['-l', logFile, '-w', '-t', '60', '-o', settings, 'start']);
  const stopAtExit = () => void spawnSync(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], { ...as, cwd: dir });
  process.once('exit', stopAtExit);

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async restart() {
      // -l again: without it the new server writes to pg_ctl's stdout, which this process would wait on.
      await pgCtl(['-l', logFile, '-m', 'fast', '-w', '-t', '60', 'restart']);
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async stop() {
      process.removeListener('exit', stopAtExit);
      await pgCtl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SharedDatabase {
  db: Db;
  url: string;
  close(): Promise<void>;
}

/**
 * A migrated PostgreSQL database that child processes can open too (an embedded PGlite directory belongs to one
 * process): the CI server's when PARLEY_TEST_DATABASE_URL is set, otherwise a private cluster. Null when neither
 * is available.
 */
export async function createSharedDatabase(): Promise<SharedDatabase | null> {
  if (testDatabaseUrl) {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('expected a PostgreSQL test database');
    return { db: database.db, url: database.url, close: () => database.drop() };
  }
  if (!postgresBinDir) return null;
  const cluster = await startPrivatePostgres();
  const url = await cluster.createDatabase('parley');
  const db = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 5 });
  await migrate(db);
  return {
    db,
    url,
    async close() {
      await db.close();
      await cluster.stop();
    },
  };
}

/** Multi-process tests need PostgreSQL: the CI server, or server binaries to start a private one. */
export const canShareDatabase = testDatabaseUrl !== undefined || postgresBinDir !== null;

export interface ParleyProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far (JSON log lines and the CLI's own lines). */
  output(): string;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  /** Resolves once `text` appears in the output; rejects if the process ends first or after `timeoutMs`. */
  waitForOutput(text: string | RegExp, timeoutMs: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/** Starts `node bin/parley.js …args` with `env` on top of this process's environment. */
export function spawnParley(args: string[], env: Record<string, string>): ParleyProcess {
  const child = spawn(process.execPath, [path.join(root, 'bin/parley.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
  const matches = (text: string | RegExp) => (typeof text === 'string' ? output.includes(text) : text.test(output));
  return {
    child,
    output: () => output,
    exited,
    async waitForOutput(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let ended = false;
      void exited.then(() => {
        ended = true;
      });
      while (!matches(text)) {
        if (ended) throw new Error(`parley ${args.join(' ')} exited before printing ${String(text)}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`parley ${args.join(' ')} did not print ${String(text)} within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `check` every 50 ms until it holds, failing with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
