/**
 * bench:fairness — a simulated working day of mixed traffic (phone, email, X, Bluesky, Facebook; authors with 0 to
 * 2 million followers; a realistic severity mix) served by a fixed team of agents, through Parley's real code: every
 * message goes through the ingest pipeline (classification, identity, threading, openCase / applyInboundToCase on an
 * in-memory PGlite database), agents pull work with takeNextCase (the `POST /api/v1/queue/next` code), and their
 * answers go back through the pipeline as outbound messages (applyOutboundToCase). Time is a simulated clock.
 *
 * The same traffic is served three times, once per workspace priority policy: Parley's (need only), "social first"
 * (social channels weighted) and "most followers first" (reach weighted). It reports median and p90 first-response
 * time by channel and by reach bucket, and the largest relative gap (max/min − 1) between any two channels and any two
 * reach buckets at equal severity. Last line: one JSON object.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../src/platform/db/db.ts';
import type { Db } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createUser, createWorkspace } from '../src/features/accounts/index.ts';
import type { Principal } from '../src/features/accounts/index.ts';
import { createChannel } from '../src/features/channels/index.ts';
import type { ChannelKind } from '../src/features/channels/index.ts';
import { loadClassifier } from '../src/features/classification/index.ts';
import { createEventNotifier } from '../src/features/events/index.ts';
import { ingestMessage, inboundMessageSchema } from '../src/features/ingest/index.ts';
import type { IngestDeps } from '../src/features/ingest/index.ts';
import { assessSeverity, putCasePolicy, takeNextCase } from '../src/features/cases/index.ts';
import type { PriorityPolicy, Severity } from '../src/features/cases/index.ts';

const agents = Number(process.env.BENCH_AGENTS ?? 8);
const seed = Number(process.env.BENCH_SEED ?? 20260324);
const dayStart = Date.parse('2026-03-24T08:00:00Z');
const minute = 60_000;
/**
 * Arrivals per hour over the day (08:00–20:00): a morning ramp, a midday peak a little above what 8 agents handle
 * (about 55 contacts an hour at 2 + 3–12 minutes each), so a backlog builds at lunchtime and clears by evening.
 */
const hourlyArrivals = [25, 35, 45, 55, 60, 58, 52, 46, 40, 34, 28, 22];
const severityMix: Record<Severity, number> = { low: 0.3, medium: 0.4, high: 0.22, critical: 0.08 };
const socialKinds = ['x', 'bluesky', 'facebook'] as const;
const channelKinds = ['phone', 'email', ...socialKinds] as const;
type Kind = (typeof channelKinds)[number];
const reachBuckets = ['no profile', '<1k', '1k-10k', '10k-100k', '100k-2M'] as const;
type ReachBucket = (typeof reachBuckets)[number];
const reachRanges: Record<Exclude<ReachBucket, 'no profile'>, [number, number]> = {
  '<1k': [0, 999], '1k-10k': [1_000, 9_999], '10k-100k': [10_000, 99_999], '100k-2M': [100_000, 2_000_000],
};
/** Minimum cases in a group for its median and p90 to enter a gap. */
const minGroup = 20;

const policies: Record<'parley' | 'socialFirst' | 'followersFirst', PriorityPolicy> = {
  parley: { channelPoints: {}, reachPointsPerDecade: 0 },
  socialFirst: { channelPoints: { x: 45, bluesky: 45, facebook: 45, mastodon: 45 }, reachPointsPerDecade: 0 },
  followersFirst: { channelPoints: {}, reachPointsPerDecade: 12 },
};
type PolicyName = keyof typeof policies;

// Texts of each severity, as a contact centre hears them. The classifier decides each one's severity at start-up;
// texts are then drawn per severity so the mix is the intended one whatever the model version.
const texts = [
  'thanks, all good now', 'how do I change my plan?', 'what time does the store open on sunday', 'can I add a second line to my account',
  'love the new app update', 'is there a student discount', 'how do I update my billing address', 'where can I find my invoice',
  'I was charged twice on my bill', 'where is my refund', 'the app keeps crashing when I log in', 'my order arrived damaged',
  'your hold music is terrible and nobody answers', 'the technician never showed up', 'my bill is higher than last month for no reason',
  'My internet has been down since Monday, still no fix!', 'no service for three days and still waiting for an engineer',
  'I have called four times about this overcharge and nobody got back to me', 'cancelling my contract if this outage is not fixed today',
  'no internet for a week, I work from home and I am losing money', 'there is a gas leak smell near your meter, please send someone',
  'my elderly father has no phone line and needs it for medical alerts', 'the charger caught fire, this is dangerous',
  'sparks and smoke coming from the router, is it safe', 'no heating for five days with a newborn at home, this is an emergency',
];

function mulberry32(a: number): () => number {
  let s = a >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Arrival {
  at: number;
  severityClass: Severity;
  text: string;
  kind: Kind;
  bucket: ReachBucket;
  followers: number | null;
  followUpAfter: number | null;
  handlingMinutes: number;
}

/**
 * One day of traffic. Arrival times are a non-homogeneous Poisson process per severity. Within each severity's
 * stream, channels and reach buckets are assigned in a fixed rotation (phone, email, X, Bluesky, Facebook, with the
 * social reach buckets rotating too), so every channel and bucket meets the same busy and quiet hours: a controlled
 * experiment, in which a gap measures what the policy does with channel and reach, not the luck of the draw.
 */
function generateTraffic(bySeverity: Record<Severity, string[]>): Arrival[] {
  const random = mulberry32(seed);
  const social = ['<1k', '1k-10k', '10k-100k', '100k-2M'] as const;
  const block: { kind: Kind; bucket: ReachBucket }[] = [];
  for (let round = 0; round < 4; round += 1) {
    block.push({ kind: 'phone', bucket: 'no profile' }, { kind: 'email', bucket: 'no profile' });
    socialKinds.forEach((kind, i) => block.push({ kind, bucket: social[(round + i) % social.length] }));
  }
  const arrivals: Arrival[] = [];
  for (const severityClass of Object.keys(severityMix).filter(isSeverity)) {
    let next = 0;
    for (const [hour, perHour] of hourlyArrivals.entries()) {
      const rate = (perHour * severityMix[severityClass]) / 60;
      let t = hour * 60 - Math.log(1 - random()) / rate;
      while (t < (hour + 1) * 60) {
        const slot = block[next % block.length];
        next += 1;
        const [lo, hi] = slot.bucket === 'no profile' ? [0, 0] : reachRanges[slot.bucket];
        const followers = slot.bucket === 'no profile' ? null : Math.round(Math.exp(Math.log(lo + 1) + random() * (Math.log(hi + 1) - Math.log(lo + 1))) - 1);
        const pool = bySeverity[severityClass];
        arrivals.push({
          at: dayStart + Math.round(t * minute),
          severityClass,
          text: pool[Math.floor(random() * pool.length)],
          kind: slot.kind,
          bucket: slot.bucket,
          followers,
          // One customer in five writes again if nobody has answered within 40 minutes.
          followUpAfter: random() < 0.2 ? 40 * minute : null,
          handlingMinutes: handlingMinutes(severityClass, random),
        });
        t += -Math.log(1 - random()) / rate;
      }
    }
  }
  return arrivals.sort((a, b) => a.at - b.at);
}

function isSeverity(value: string): value is Severity {
  return value === 'low' || value === 'medium' || value === 'high' || value === 'critical';
}

/** Minutes from picking a case up to sending the first answer. */
const composeMinutes = 2;

/** Handling time in minutes: 3 to 12, longer for more severe problems (the same for every channel). */
function handlingMinutes(severity: Severity, random: () => number): number {
  const base = { low: 3, medium: 5, high: 7, critical: 9 }[severity];
  return base + random() * 3;
}

type SimEvent =
  | { at: number; type: 'arrival'; index: number }
  | { at: number; type: 'follow-up'; index: number }
  | { at: number; type: 'agent-free'; agent: number }
  | { at: number; type: 'reply'; agent: number; caseId: string; index: number };

class EventQueue {
  private items: SimEvent[] = [];
  push(event: SimEvent): void {
    // Binary insertion keeps the queue ordered by time; ties keep insertion order.
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].at <= event.at) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, event);
  }
  shift(): SimEvent | undefined {
    return this.items.shift();
  }
  get length(): number {
    return this.items.length;
  }
}

interface Served {
  kind: Kind;
  bucket: ReachBucket;
  severity: Severity;
  firstResponseMinutes: number;
}

async function runPolicy(db: Db, name: PolicyName, arrivals: Arrival[], deps: Omit<IngestDeps, 'db' | 'clock'>): Promise<Served[]> {
  const clock = fixedClock(new Date(dayStart));
  const ingestDeps: IngestDeps = { ...deps, db, clock };
  const workspace = await createWorkspace(db, { slug: `fairness-${name}-${randomBytes(3).toString('hex')}`, name: `Fairness ${name}` });
  const admin = await createUser(db, { workspaceId: workspace.id, email: `admin@${name}.example`, name: 'Admin', role: 'admin', password: 'bench-password-123' });
  const adminPrincipal: Principal = { workspaceId: workspace.id, userId: admin.id, role: 'admin', via: 'token' };
  await putCasePolicy(db, adminPrincipal, 'priority', policies[name]);
  const principals: Principal[] = [];
  for (let i = 0; i < agents; i += 1) {
    const user = await createUser(db, { workspaceId: workspace.id, email: `agent${i}@${name}.example`, name: `Agent ${i}`, role: 'agent', password: 'bench-password-123' });
    principals.push({ workspaceId: workspace.id, userId: user.id, role: 'agent', via: 'token' });
  }
  const channels = new Map<Kind, { workspaceId: string; id: string; kind: string; owned: boolean }>();
  for (const kind of channelKinds) {
    const kindOf: ChannelKind = kind;
    const { channel } = await createChannel(db, randomBytes(32), { workspaceId: workspace.id, kind: kindOf, name: kind, owned: true });
    channels.set(kind, { workspaceId: workspace.id, id: channel.id, kind, owned: true });
  }
  const channelOf = (kind: Kind) => {
    const channel = channels.get(kind);
    if (!channel) throw new Error(`no ${kind} channel`);
    return channel;
  };

  const events = new EventQueue();
  arrivals.forEach((a, index) => {
    events.push({ at: a.at, type: 'arrival', index });
    if (a.followUpAfter !== null) events.push({ at: a.at + a.followUpAfter, type: 'follow-up', index });
  });
  const idle = new Set<number>();
  for (let i = 0; i < agents; i += 1) events.push({ at: dayStart, type: 'agent-free', agent: i });
  const answered = new Set<number>();
  const caseIndex = new Map<string, number>();
  const served: Served[] = [];

  const takeWork = async (agent: number, at: number) => {
    const taken = await takeNextCase(db, principals[agent], new Date(at));
    if (!taken) {
      idle.add(agent);
      return;
    }
    const index = caseIndex.get(taken.id);
    if (index === undefined) throw new Error('took a case the simulation did not open');
    // The agent answers first, then works the case (checks, fixes, notes) until they are free again.
    events.push({ at: at + composeMinutes * minute, type: 'reply', agent, caseId: taken.id, index });
    events.push({ at: at + (composeMinutes + arrivals[index].handlingMinutes) * minute, type: 'agent-free', agent });
  };

  while (events.length > 0) {
    const event = events.shift();
    if (!event) break;
    clock.set(new Date(event.at));
    switch (event.type) {
      case 'arrival':
      case 'follow-up': {
        const a = arrivals[event.index];
        if (event.type === 'follow-up' && answered.has(event.index)) break;
        const message = inboundMessageSchema.parse({
          externalId: `${event.type}-${event.index}`,
          text: event.type === 'arrival' ? a.text : 'still waiting for an answer on this, please help',
          sentAt: new Date(event.at).toISOString(),
          author: { externalId: `customer-${event.index}`, followerCount: a.followers ?? undefined },
        });
        const outcome = await ingestMessage(ingestDeps, channelOf(a.kind), message);
        if (outcome.caseId && event.type === 'arrival') caseIndex.set(outcome.caseId, event.index);
        // Idle agents pick up new work at once.
        for (const agent of [...idle]) {
          idle.delete(agent);
          await takeWork(agent, event.at);
        }
        break;
      }
      case 'agent-free':
        await takeWork(event.agent, event.at);
        break;
      case 'reply': {
        const a = arrivals[event.index];
        await ingestMessage(ingestDeps, channelOf(a.kind), inboundMessageSchema.parse({
          externalId: `reply-${event.index}`,
          direction: 'outbound',
          text: 'Sorry about this — it is fixed now and I have credited your account.',
          replyToExternalId: `arrival-${event.index}`,
          sentAt: new Date(event.at).toISOString(),
          author: { externalId: 'brand' },
          senderName: `Agent ${event.agent}`,
        }));
        answered.add(event.index);
        break;
      }
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  const rows = await db.query<{ id: string; first_message_at: Date; first_responded_at: Date | null }>(
    `SELECT id, first_message_at, first_responded_at FROM cases WHERE workspace_id = $1`,
    [workspace.id],
  );
  for (const row of rows) {
    const index = caseIndex.get(row.id);
    if (index === undefined || !row.first_responded_at) continue;
    const a = arrivals[index];
    // "Equal severity" compares customers with the same problem: the severity Parley classified on arrival (a case's
    // stored severity can rise with a follow-up, and only cases kept waiting follow up, which would bias the groups).
    served.push({ kind: a.kind, bucket: a.bucket, severity: a.severityClass, firstResponseMinutes: (row.first_responded_at.getTime() - row.first_message_at.getTime()) / minute });
  }
  if (served.length !== arrivals.length) throw new Error(`${name}: ${arrivals.length - served.length} cases never got a first response`);
  return served;
}

function quantile(sorted: number[], q: number): number {
  // Nearest rank.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

interface GroupStats {
  n: number;
  median: number;
  p90: number;
}

function statsOf(values: number[]): GroupStats {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

function groupBy<K extends string>(served: Served[], key: (s: Served) => K): Map<K, GroupStats> {
  const groups = new Map<K, number[]>();
  for (const s of served) groups.set(key(s), [...(groups.get(key(s)) ?? []), s.firstResponseMinutes]);
  return new Map([...groups].map(([k, v]) => [k, statsOf(v)]));
}

/** Largest max/min − 1 over median and p90 among groups at one severity, then over severities. */
function maxGap(served: Served[], key: (s: Served) => string): { gap: number; where: string } {
  let worst = { gap: 0, where: 'none' };
  for (const severity of Object.keys(severityMix).filter(isSeverity)) {
    const groups = [...groupBy(served.filter((s) => s.severity === severity), key)].filter(([, g]) => g.n >= minGroup);
    if (groups.length < 2) continue;
    for (const stat of ['median', 'p90'] as const) {
      const values = groups.map(([k, g]) => [k, g[stat]] as const).sort((a, b) => a[1] - b[1]);
      const [low, high] = [values[0], values[values.length - 1]];
      const gap = high[1] / Math.max(low[1], 0.5) - 1;
      if (gap > worst.gap) worst = { gap, where: `${severity} ${stat}: ${high[0]} ${high[1].toFixed(1)} min vs ${low[0]} ${low[1].toFixed(1)} min` };
    }
  }
  return worst;
}

function table(title: string, stats: Map<string, GroupStats>, order: readonly string[]): string {
  const lines = [`  ${title.padEnd(14)}     n   median      p90`];
  for (const key of order) {
    const g = stats.get(key);
    if (g) lines.push(`  ${key.padEnd(14)} ${String(g.n).padStart(5)} ${g.median.toFixed(1).padStart(8)} ${g.p90.toFixed(1).padStart(8)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const classifier = loadClassifier();
  const bySeverity: Record<Severity, string[]> = { low: [], medium: [], high: [], critical: [] };
  for (const text of texts) bySeverity[assessSeverity(classifier.classify(text))].push(text);
  for (const severity of Object.keys(bySeverity).filter(isSeverity)) {
    if (bySeverity[severity].length === 0) throw new Error(`no sample text classifies as ${severity}`);
  }
  const arrivals = generateTraffic(bySeverity);
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  const deps = { classifier, matcher: { match: () => ({ pass: true, matchedRuleIds: [] }) }, notifier: createEventNotifier(), threadWindowHours: 72 };
  console.log(`bench:fairness — ${arrivals.length} contacts 08:00–20:00, ${agents} agents, seed ${seed}`);
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} ×${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PGlite in memory`);
  const mix = Object.fromEntries(Object.entries(bySeverity).map(([k]) => [k, arrivals.filter((a) => a.severityClass === k).length]));
  console.log(`severity mix: ${JSON.stringify(mix)}`);

  const summary: Record<string, { maxChannelGap: number; maxReachGap: number }> = {};
  for (const name of Object.keys(policies).filter((n): n is PolicyName => n in policies)) {
    const t0 = Date.now();
    const served = await runPolicy(db, name, arrivals, deps);
    const channelGap = maxGap(served, (s) => s.kind);
    const reachGap = maxGap(served, (s) => s.bucket);
    summary[name] = { maxChannelGap: round(channelGap.gap), maxReachGap: round(reachGap.gap) };
    console.log(`\n${name} (${((Date.now() - t0) / 1000).toFixed(1)} s) — first response, minutes`);
    console.log(table('channel', groupBy(served, (s) => s.kind), channelKinds));
    console.log(table('reach', groupBy(served, (s) => s.bucket), reachBuckets));
    console.log(table('severity', groupBy(served, (s) => s.severity), ['critical', 'high', 'medium', 'low']));
    console.log(`  largest channel gap at equal severity: ${(channelGap.gap * 100).toFixed(1)}% (${channelGap.where})`);
    console.log(`  largest reach gap at equal severity:   ${(reachGap.gap * 100).toFixed(1)}% (${reachGap.where})`);
  }
  await db.close();
  const goal = summary.parley.maxChannelGap <= 0.1 && summary.parley.maxReachGap <= 0.1;
  console.log(`\ngoal (every gap ≤ 10% under Parley's policy): ${goal ? 'met' : 'NOT met'}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify({ bench: 'fairness', parley: summary.parley, socialFirst: summary.socialFirst, followersFirst: summary.followersFirst }));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

await main();
