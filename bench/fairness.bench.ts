/**
 * bench:fairness — simulated working days of mixed traffic (phone, email, X, Bluesky, Facebook; authors with 0 to
 * 2 million followers; a realistic severity mix) served through Parley's real code: the ingest pipeline,
 * openCase / applyInboundToCase, takeNextCase and applyOutboundToCase (bench/fairness/simulate.ts), on in-memory
 * PGlite with a simulated clock. docs/BENCHMARKS.md describes the method and the results.
 *
 * Matched designs, so that channels (and reach buckets) are compared on the same contacts:
 * - Replayed days: each day is served five times to the reference team, every contact at the same time with the same
 *   problem and the same work, but through a different channel and from a different reach bucket each time (a Latin
 *   square, so every replay is an ordinary mixed day). A contact's first-response time through X is compared with
 *   the same contact's through the phone. These give the gaps, for Parley's policy and the two baselines.
 * - Head to head (Parley's policy): each contact offered five times at the same instant in one queue, once per
 *   channel, to a team five times larger; only Parley's tie-breaking decides which copy is answered first.
 * Days with different seeds are pooled; a bootstrap over contacts gives 95% intervals and shuffling each contact's
 * labels gives the gap noise alone produces. Last line: one JSON object.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadClassifier } from '../src/features/classification/index.ts';
import { assessSeverity } from '../src/features/cases/index.ts';
import type { PriorityPolicy, Severity } from '../src/features/cases/index.ts';
import type { WorkerReply, WorkerRequest } from './fairness/pass.worker.ts';
import { buildSnapshot } from './fairness/simulate.ts';
import type { PassInput } from './fairness/simulate.ts';
import { analyseGap, describe, firstAnswered, sameAcrossLevels } from './fairness/stats.ts';
import type { GapAnalysis, Matrix } from './fairness/stats.ts';
import {
  channelKinds, generateContacts, headToHeadCopies, isSeverity, levelCount, reachBuckets, referenceAgents, replayCopies,
  severityOrder, texts,
} from './fairness/traffic.ts';
import type { Contact } from './fairness/traffic.ts';

const seed = Number(process.env.BENCH_SEED ?? 20260324);
const days = Number(process.env.BENCH_DAYS ?? 2);
/** The reference team; head to head, it is multiplied by the five copies of each contact. */
const team = Number(process.env.BENCH_AGENTS ?? referenceAgents);
const workerCount = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const replicates = Number(process.env.BENCH_BOOTSTRAP ?? 1000);

const policies: Record<'parley' | 'socialFirst' | 'followersFirst', PriorityPolicy> = {
  parley: { channelPoints: {}, reachPointsPerDecade: 0 },
  socialFirst: { channelPoints: { x: 45, bluesky: 45, facebook: 45, mastodon: 45 }, reachPointsPerDecade: 0 },
  followersFirst: { channelPoints: {}, reachPointsPerDecade: 12 },
};
type PolicyName = keyof typeof policies;
const policyNames = Object.keys(policies).filter((n): n is PolicyName => n in policies);

interface Day {
  seed: number;
  contacts: Contact[];
  /** Index of this day's first contact among all days' contacts. */
  offset: number;
}

interface Job {
  id: number;
  policy: PolicyName;
  day: number;
  /** A replay 0…4, or every copy head to head. */
  replay: number | 'head-to-head';
  input: PassInput;
}

interface PassResult {
  minutes: number[];
  cpuMs: number;
  wallMs: number;
}

/** Runs the jobs on `count` worker processes; returns each job's result and the workers' total CPU time. */
async function runJobs(jobs: Job[], snapshotPath: string, count: number): Promise<{ results: Map<number, PassResult>; cpuMs: number }> {
  const results = new Map<number, PassResult>();
  let workersCpuMs = 0;
  const queue = [...jobs];
  const workerPath = path.join(import.meta.dirname, 'fairness', 'pass.worker.ts');
  const children: ChildProcess[] = [];
  try {
    await Promise.all(Array.from({ length: Math.min(count, jobs.length) }, () => new Promise<void>((resolve, reject) => {
      const child = fork(workerPath, { serialization: 'advanced', env: { ...process.env, BENCH_FAIRNESS_SNAPSHOT: snapshotPath } });
      children.push(child);
      const request = (r: WorkerRequest) => child.send(r);
      const next = () => {
        const job = queue.shift();
        request(job ? { type: 'pass', id: job.id, input: job.input } : { type: 'stop' });
      };
      child.on('message', (reply: WorkerReply) => {
        switch (reply.type) {
          case 'pass':
            results.set(reply.id, { minutes: reply.minutes, cpuMs: reply.cpuMs, wallMs: reply.wallMs });
            next();
            break;
          case 'failed':
            reject(new Error(`pass ${reply.id} failed: ${reply.error}`));
            break;
          case 'stopped':
            workersCpuMs += reply.cpuMs;
            resolve();
            break;
          default: {
            const unreachable: never = reply;
            reject(new Error(`unknown reply ${JSON.stringify(unreachable)}`));
          }
        }
      });
      child.on('exit', (code) => {
        if (code !== 0) reject(new Error(`a worker exited with ${code}`));
      });
      next();
    })));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
  return { results, cpuMs: workersCpuMs };
}

function emptyMatrix(levels: readonly string[], severity: Severity[]): Matrix {
  return { levels, severity, minutes: new Float64Array(severity.length * levels.length).fill(Number.NaN) };
}

function table(title: string, matrix: Matrix): string {
  const cell = (v: [number, number] | null) => (v ? `${v[0].toFixed(1)}/${v[1].toFixed(1)}` : '—').padStart(12);
  const lines = [`  ${title.padEnd(11)}     n ${['all', ...severityOrder].map((s) => s.padStart(12)).join('')}   (median/p90, minutes)`];
  for (const row of describe(matrix)) {
    lines.push(`  ${row.level.padEnd(11)} ${String(row.n).padStart(5)} ${cell(row.all)}${severityOrder.map((s) => cell(row.bySeverity.get(s) ?? null)).join('')}`);
  }
  return lines.join('\n');
}

function gapLines(name: string, f: GapAnalysis): string {
  return [
    `  largest ${name} gap at equal severity: ${percent(f.point.gap)} — ${f.point.where}`,
    `    95% bootstrap interval ${percent(f.ci[0])}–${percent(f.ci[1])}; per day ${f.parts.map(percent).join(', ')}; noise floor (labels shuffled within contacts, 95th percentile) ${percent(f.noiseFloor)}`,
  ].join('\n');
}

/** Chi-square test of equal shares (4 degrees of freedom, where the survival function is e^(−x/2)·(1 + x/2)). */
function equalSharesP(share: number[], n: number): number {
  const expected = n / share.length;
  const x = share.reduce((sum, s) => sum + (s * n - expected) ** 2 / expected, 0);
  if (share.length !== 5) throw new Error('the closed form is for five levels');
  return Math.exp(-x / 2) * (1 + x / 2);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loads: number[] = [os.loadavg()[0]];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]), 5_000);
  const classifier = loadClassifier();
  const bySeverity: Record<Severity, string[]> = { low: [], medium: [], high: [], critical: [] };
  for (const text of texts) bySeverity[assessSeverity(classifier.classify(text))].push(text);
  for (const severity of Object.keys(bySeverity).filter(isSeverity)) {
    if (bySeverity[severity].length === 0) throw new Error(`no sample text classifies as ${severity}`);
  }
  const allDays: Day[] = [];
  for (let d = 0, offset = 0; d < days; d += 1) {
    const contacts = generateContacts(seed + d, bySeverity);
    allDays.push({ seed: seed + d, contacts, offset });
    offset += contacts.length;
  }
  const contactCount = allDays.reduce((n, d) => n + d.contacts.length, 0);
  console.log(`bench:fairness — ${days} day(s) 08:00–20:00 (seeds ${seed}…${seed + days - 1}), ${contactCount} contacts`);
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PGlite in memory, ${workerCount} worker process(es)`);
  for (const day of allDays) {
    const mix = Object.fromEntries(severityOrder.map((s) => [s, day.contacts.filter((c) => c.severity === s).length]));
    console.log(`  day ${day.seed}: ${day.contacts.length} contacts ${JSON.stringify(mix)}`);
  }

  const snapshotPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-fairness-')), 'migrated.tar.gz');
  fs.writeFileSync(snapshotPath, Buffer.from(await (await buildSnapshot()).arrayBuffer()));
  const jobs: Job[] = [];
  const add = (policy: PolicyName, day: number, replay: Job['replay']) => {
    const { contacts, seed: daySeed } = allDays[day];
    const h2h = replay === 'head-to-head';
    const copies = h2h ? headToHeadCopies(contacts) : replayCopies(contacts, replay);
    jobs.push({ id: jobs.length, policy, day, replay, input: { policy: policies[policy], contacts, copies, agents: h2h ? team * levelCount : team, seed: daySeed } });
  };
  // The long head-to-head passes first, so the short replays fill in around them.
  allDays.forEach((_, d) => add('parley', d, 'head-to-head'));
  allDays.forEach((_, d) => policyNames.forEach((policy) => Array.from({ length: levelCount }, (_, u) => add(policy, d, u))));
  console.log(`${jobs.length} passes: ${days * policyNames.length * levelCount} replays of ${team} agents, ${days} head to head with ${team * levelCount} agents`);
  const passesStarted = performance.now();
  const { results, cpuMs: workersCpuMs } = await runJobs(jobs, snapshotPath, workerCount).finally(() =>
    fs.rmSync(path.dirname(snapshotPath), { recursive: true, force: true }),
  );
  const passesSeconds = (performance.now() - passesStarted) / 1000;
  const resultOf = (job: Job) => {
    const result = results.get(job.id);
    if (!result) throw new Error(`no result for pass ${job.id}`);
    return result;
  };
  const passCpu = (filter: (j: Job) => boolean) => jobs.filter(filter).reduce((s, j) => s + resultOf(j).cpuMs / 1000, 0);

  const analysisStarted = performance.now();
  const severity = allDays.flatMap((day) => day.contacts.map((c) => c.severity));
  const dayContacts = allDays.map((day) => day.contacts.map((_, i) => day.offset + i));
  const summary: Record<string, Record<string, unknown>> = {};
  let goal = true;
  console.log(`\nReplayed days — each contact once through every channel and once from every reach bucket (${days * levelCount} replays per policy, ${team} agents)`);
  for (const [p, policy] of policyNames.entries()) {
    const byChannel = emptyMatrix(channelKinds, severity);
    const byReach = emptyMatrix(reachBuckets, severity);
    for (const job of jobs.filter((j) => j.policy === policy && j.replay !== 'head-to-head')) {
      const { minutes } = resultOf(job);
      const day = allDays[job.day];
      job.input.copies.forEach((copy, i) => {
        const contact = day.offset + copy.contact;
        byChannel.minutes[contact * levelCount + channelKinds.indexOf(copy.kind)] = minutes[i];
        byReach.minutes[contact * levelCount + reachBuckets.indexOf(copy.bucket)] = minutes[i];
      });
    }
    if (byChannel.minutes.some(Number.isNaN) || byReach.minutes.some(Number.isNaN)) throw new Error(`${policy}: a contact is missing a channel or a reach bucket`);
    const channel = analyseGap(byChannel, dayContacts, replicates, seed + 2 * p);
    const reach = analyseGap(byReach, dayContacts, replicates, seed + 2 * p + 1);
    summary[policy] = {
      maxChannelGap: round(channel.point.gap), maxReachGap: round(reach.point.gap),
      maxChannelGapCI95: channel.ci.map(round), maxReachGapCI95: reach.ci.map(round),
      channelNoiseFloor: round(channel.noiseFloor), reachNoiseFloor: round(reach.noiseFloor),
    };
    if (policy === 'parley') goal = channel.point.gap <= 0.1 && reach.point.gap <= 0.1;
    const same = sameAcrossLevels(byChannel);
    console.log(`\n${policy} (${passCpu((j) => j.policy === policy && j.replay !== 'head-to-head').toFixed(1)} s CPU) — first response`);
    console.log(table('channel', byChannel));
    console.log(table('reach', byReach));
    console.log(`  contacts answered at the same moment in all five replays: ${same.same} of ${contactCount} (largest spread ${same.largestSpread.toFixed(2)} min)`);
    console.log(gapLines('channel', channel));
    console.log(gapLines('reach', reach));
  }

  const h2hJobs = jobs.filter((j) => j.replay === 'head-to-head');
  const h2hChannel = emptyMatrix(channelKinds, severity);
  const h2hReach = emptyMatrix(reachBuckets, severity);
  for (const job of h2hJobs) {
    const { minutes } = resultOf(job);
    const day = allDays[job.day];
    job.input.copies.forEach((copy, i) => {
      const contact = day.offset + copy.contact;
      h2hChannel.minutes[contact * levelCount + channelKinds.indexOf(copy.kind)] = minutes[i];
      h2hReach.minutes[contact * levelCount + reachBuckets.indexOf(copy.bucket)] = minutes[i];
    });
  }
  const h2h = { channel: analyseGap(h2hChannel, dayContacts, replicates, seed + 101), reach: analyseGap(h2hReach, dayContacts, replicates, seed + 102) };
  console.log(`\nHead to head — Parley's policy, five copies of each contact at the same instant in one queue, ${team * levelCount} agents (${passCpu((j) => j.replay === 'head-to-head').toFixed(1)} s CPU)`);
  console.log(table('channel', h2hChannel));
  console.log(table('reach', h2hReach));
  console.log(gapLines('channel', h2h.channel));
  console.log(gapLines('reach', h2h.reach));
  const firstP: Record<string, number> = {};
  for (const [name, matrix] of [['channel', h2hChannel], ['reach', h2hReach]] as const) {
    const first = firstAnswered(matrix);
    firstP[name] = equalSharesP(first.share, first.contacts);
    console.log(`  answered first among a contact's copies (${first.contacts} contacts with one copy answered before the others): ${matrix.levels.map((l, i) => `${l} ${percent(first.share[i])}`).join(', ')} — equal shares p = ${firstP[name].toFixed(3)}`);
  }
  summary.parley.headToHead = {
    maxChannelGap: round(h2h.channel.point.gap), maxReachGap: round(h2h.reach.point.gap),
    channelNoiseFloor: round(h2h.channel.noiseFloor), reachNoiseFloor: round(h2h.reach.noiseFloor),
    answeredFirstEqualSharesP: { channel: round(firstP.channel), reach: round(firstP.reach) },
  };

  const analysisSeconds = (performance.now() - analysisStarted) / 1000;
  clearInterval(sampler);
  loads.push(os.loadavg()[0]);
  const parentCpu = process.cpuUsage();
  const cpuSeconds = ((parentCpu.user + parentCpu.system) / 1000 + workersCpuMs) / 1000;
  const wallSeconds = (performance.now() - started) / 1000;
  console.log(`\nrun: ${wallSeconds.toFixed(1)} s wall (passes ${passesSeconds.toFixed(1)} s, statistics ${analysisSeconds.toFixed(1)} s), ${cpuSeconds.toFixed(1)} s CPU (passes ${passCpu(() => true).toFixed(1)} s); load average (1 min) during the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}, mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1)}, on ${os.cpus().length} cores`);
  console.log(`goal (every gap ≤ 10% under Parley's policy): ${goal ? 'met' : 'NOT met'}`);
  console.log(JSON.stringify({ bench: 'fairness', parley: summary.parley, socialFirst: summary.socialFirst, followersFirst: summary.followersFirst }));
}

await main();
