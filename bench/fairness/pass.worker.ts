/**
 * A bench:fairness worker process: opens one in-memory database from the parent's migrated snapshot, then runs the
 * passes the parent sends it (one simulated day under one policy, each in a fresh workspace), one at a time, and
 * answers with the first-response times and the CPU time spent.
 */
import fs from 'node:fs';
import { openDatabase } from '../../src/platform/db/db.ts';
import type { Db } from '../../src/platform/db/db.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { loadClassifier } from '../../src/features/classification/index.ts';
import { runPass } from './simulate.ts';
import type { PassInput } from './simulate.ts';

export type WorkerRequest = { type: 'pass'; id: number; input: PassInput } | { type: 'stop' };
export type WorkerReply =
  | { type: 'pass'; id: number; minutes: number[]; cpuMs: number; wallMs: number }
  | { type: 'failed'; id: number; error: string }
  | { type: 'stopped'; cpuMs: number };

const snapshotPath = process.env.BENCH_FAIRNESS_SNAPSHOT;
if (!snapshotPath) throw new Error('pass.worker.ts runs as a child process of bench/fairness.bench.ts');
const classifier = loadClassifier();
let database: Promise<Db> | null = null;

async function open(path: string): Promise<Db> {
  const db = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([fs.readFileSync(path)]) });
  await migrate(db);
  return db;
}

function send(reply: WorkerReply): void {
  if (!process.send) throw new Error('pass.worker.ts runs as a child process of bench/fairness.bench.ts');
  process.send(reply);
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

process.on('message', (request: WorkerRequest) => {
  if (request.type === 'stop') {
    const closed = database ? database.then((db) => db.close()) : Promise.resolve();
    void closed.finally(() => {
      send({ type: 'stopped', cpuMs: cpuMs(process.cpuUsage()) });
      process.disconnect();
    });
    return;
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  database ??= open(snapshotPath);
  database.then((db) => runPass(db, classifier, request.input)).then(
    (minutes) => send({ type: 'pass', id: request.id, minutes, cpuMs: cpuMs(process.cpuUsage(cpu)), wallMs: performance.now() - started }),
    (error: unknown) => send({ type: 'failed', id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
