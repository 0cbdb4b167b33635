/**
 * bench:insights — alert detection on a simulated stream (docs/ALERTS.md, docs/BENCHMARKS.md).
 *
 * About 1,000,000 posts over several simulated days (BENCH_DAYS, default 4): background traffic as a Poisson process
 * following the time of day, 30% complaints spread over 10 topics, 6 rules and 6 channels, authors' followers
 * log-normal (capped at 250k), 3% of posts with engagement snapshots every minute. Planted on top (seeded): complaint
 * spikes on topics, rules and channels, viral posts (engagement from the moment of posting, snapshots every 20 s) and
 * complaints by accounts with millions of followers. Everything runs through Parley's pure detectors — the same
 * SpikeDetector and ViralRiskDetector the background job and ingest use — in simulated time, with the default policy.
 *
 * Scoring: a spike event is detected by the first alert on its own series between its start and its end; a viral or
 * reach event by the alert on its post. A spike alert belongs to a planted event when, with that event's posts taken
 * out of the window that raised it, the rest would not have raised it (a spike on a topic also lifts its channels and
 * rules: those alerts are "collateral", real but not counted); any other alert, and any second alert on an event's own
 * series, is a false alert. Delay: alert time minus the time of
 * the event's first post, in simulated seconds. Last line: one JSON object.
 */
import { defaultAlertPolicy, logPoissonUpperTail, SpikeDetector, spikeSlotMs, ViralRiskDetector } from '../src/features/alerts/index.ts';
import type { SeriesRef, SpikeDimension } from '../src/features/alerts/index.ts';
import { defaultWeights, planEvents, simulateTraffic } from '../test/support/alert-traffic.ts';
import type { PlantedEvent, TrafficOptions } from '../test/support/alert-traffic.ts';

const seed = Number(process.env.BENCH_SEED ?? 20261126);
const days = Number(process.env.BENCH_DAYS ?? 4);
const targetPosts = Number(process.env.BENCH_POSTS ?? 1_000_000);
const start = Date.UTC(2026, 2, 2);
const day = 86_400_000;

const traffic = { postsPerDay: 0, complaintShare: 0.3, weights: defaultWeights };
const spikeMultiplier = Number(process.env.BENCH_SPIKE_MULTIPLIER ?? 6);
const spikeFloorPerMinute = Number(process.env.BENCH_SPIKE_FLOOR ?? 30);
// BENCH_QUIET=1: background only, nothing planted — a control for the false-alert rate.
const perDay = process.env.BENCH_QUIET === '1' ? 0 : 1;
const plan = {
  seed, start, days, spikesPerDay: 6 * perDay, viralPerDay: 3 * perDay, reachPerDay: perDay, marginMs: 2 * 3_600_000, spikeMultiplier, spikeFloorPerMinute,
};
// Size the background so background + planted posts come to about `targetPosts`.
traffic.postsPerDay = targetPosts / days;
let events = planEvents(plan, traffic);
const plantedPosts = events.reduce((sum, e) => sum + (e.kind === 'spike' ? e.extraPerMinute * e.durationMinutes : 1), 0);
traffic.postsPerDay = (targetPosts - plantedPosts) / days;
events = planEvents(plan, traffic);

const options: TrafficOptions = {
  seed, start, days, postsPerDay: traffic.postsPerDay, complaintShare: traffic.complaintShare, seasonality: 0.6, weights: defaultWeights,
  trackedShare: 0.03, snapshotEverySeconds: 60, trackMinutes: 30, events,
};

interface RaisedAlert {
  kind: 'spike' | 'viral';
  at: number;
  dimension?: SpikeDimension;
  key?: string;
  exampleIds: string[];
  /** Spikes: the planted event whose posts made it, found when it was raised (null: background alone did). */
  cause?: string | null;
  /** Spikes: linked by the detector to another open spike made by the same posts. */
  related?: boolean;
  note?: string;
}

// What each series held recently, with the planted event of each post: the ground truth an alert is judged by.
const policy = defaultAlertPolicy.spike;
const recentBySeries = new Map<string, { slot: number; eventId: string | null }[]>();
const keepSlots = Math.max(...policy.windowsSeconds) * 1000 / spikeSlotMs + 1;

function remember(series: readonly SeriesRef[], at: number, eventId: string | null): void {
  const slot = Math.floor(at / spikeSlotMs);
  for (const ref of series) {
    const id = `${ref.dimension}:${ref.key}`;
    const list = recentBySeries.get(id) ?? [];
    list.push({ slot, eventId });
    while (list.length > 0 && list[0].slot <= slot - keepSlots) list.shift();
    recentBySeries.set(id, list);
  }
}

/**
 * The counterfactual: take the planted posts out of the window that raised the alert. If what is left would still
 * have raised it, background traffic did (a false alert); otherwise the event with the most posts in it did.
 */
function causeOf(id: string, at: number, windowSeconds: number, count: number, expected: number): string | null {
  const nowSlot = Math.floor(at / spikeSlotMs);
  const slots = (windowSeconds * 1000) / spikeSlotMs;
  const perEvent = new Map<string, number>();
  for (const post of recentBySeries.get(id) ?? []) {
    if (post.eventId && post.slot > nowSlot - slots) perEvent.set(post.eventId, (perEvent.get(post.eventId) ?? 0) + 1);
  }
  const planted = [...perEvent.values()].reduce((sum, n) => sum + n, 0);
  const background = count - planted;
  const backgroundAlone = background >= policy.minCount && background >= policy.minRatio * expected
    && logPoissonUpperTail(background, expected) <= Math.log(policy.maxPValue);
  if (backgroundAlone || planted === 0) return null;
  return [...perEvent.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

const spikes = new SpikeDetector(policy);
const viral = new ViralRiskDetector(defaultAlertPolicy.viral);
const alerts: RaisedAlert[] = [];
const eventOfPost = new Map<string, string>();
const firstPostAt = new Map<string, number>();
let posts = 0;
let complaints = 0;
let snapshots = 0;

const began = performance.now();
const cpuBegan = process.cpuUsage();
for (const item of simulateTraffic(options)) {
  if (item.type === 'engagement') {
    snapshots += 1;
    const s = item.snapshot;
    spikes.advanceTo(s.at);
    const raised = viral.observeEngagement({ postId: s.postId, at: s.at, replies: s.replies, reposts: s.reposts, quotes: s.quotes, likes: s.likes });
    if (raised) alerts.push({ kind: 'viral', at: raised.at, exampleIds: [raised.postId] });
    continue;
  }
  const post = item.post;
  posts += 1;
  if (post.eventId) {
    eventOfPost.set(post.id, post.eventId);
    if (!firstPostAt.has(post.eventId)) firstPostAt.set(post.eventId, post.at);
  }
  const raised = viral.observePost({ id: post.id, sentAt: post.at, followers: post.followers, negative: post.negative });
  if (raised) alerts.push({ kind: 'viral', at: raised.at, exampleIds: [raised.postId] });
  if (!post.complaint) {
    spikes.advanceTo(post.at);
    continue;
  }
  complaints += 1;
  const series: SeriesRef[] = [{ dimension: 'channel', key: post.channel }, ...post.rules.map((key) => ({ dimension: 'rule' as const, key }))];
  if (post.topic) series.push({ dimension: 'topic', key: post.topic });
  remember(series, post.at, post.eventId);
  for (const output of spikes.observe({ id: post.id, at: post.at, authorKey: post.authorKey, series })) {
    if (output.type !== 'spike.started') continue;
    alerts.push({
      kind: 'spike', at: output.at, dimension: output.dimension, key: output.key, exampleIds: output.exampleIds,
      cause: causeOf(`${output.dimension}:${output.key}`, output.at, output.windowSeconds, output.count, output.expected),
      related: output.relatedSpikeId !== null,
      note: `${output.count} in ${output.windowSeconds} s, expected ${output.expected.toFixed(1)}`,
    });
  }
}
spikes.advanceTo(start + days * day);
const wallSeconds = (performance.now() - began) / 1000;
const cpu = process.cpuUsage(cpuBegan);

// Scoring.
function eventOf(alert: RaisedAlert): string | null {
  return alert.kind === 'viral' ? eventOfPost.get(alert.exampleIds[0]) ?? null : alert.cause ?? null;
}

function endOf(e: PlantedEvent): number {
  switch (e.kind) {
    case 'spike':
      return e.start + e.durationMinutes * 60_000;
    case 'viral':
      return e.start + e.durationMinutes * 60_000;
    case 'reach':
      return e.start + 60_000;
    default: {
      const unknown: never = e;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

const byId = new Map(events.map((e) => [e.id, e]));
const detectedAt = new Map<string, number>();
let falseAlerts = 0;
let collateral = 0;
let collateralLinked = 0;
let duplicates = 0;
const falseDetail: string[] = [];
for (const alert of [...alerts].sort((a, b) => a.at - b.at)) {
  const eventId = eventOf(alert);
  const event = eventId ? byId.get(eventId) : undefined;
  if (!event || !eventId) {
    falseAlerts += 1;
    if (falseDetail.length < 10) falseDetail.push(`${alert.kind} ${alert.dimension ?? ''}:${alert.key ?? ''} at ${new Date(alert.at).toISOString()} ${alert.note ?? ''}`);
    continue;
  }
  const own = event.kind !== 'spike' || (alert.dimension === event.dimension && alert.key === event.key);
  if (!own) {
    collateral += 1;
    if (alert.related) collateralLinked += 1;
    continue;
  }
  if (detectedAt.has(eventId)) {
    duplicates += 1;
    falseAlerts += 1;
    continue;
  }
  if (alert.at >= event.start && alert.at <= endOf(event)) detectedAt.set(eventId, alert.at);
  else {
    falseAlerts += 1;
    if (falseDetail.length < 10) falseDetail.push(`late ${alert.kind} for ${eventId}`);
  }
}

const delays = events.flatMap((e) => {
  const at = detectedAt.get(e.id);
  const first = firstPostAt.get(e.id);
  return at === undefined || first === undefined ? [] : [(at - first) / 1000];
}).sort((a, b) => a - b);
const quantile = (values: number[], q: number) => (values.length === 0 ? NaN : values[Math.min(values.length - 1, Math.floor(q * values.length))]);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

const kinds = ['spike', 'viral', 'reach'] as const;
console.log(`planted spikes: +${spikeMultiplier}× the series' daily-mean rate, at least ${spikeFloorPerMinute}/min (BENCH_SPIKE_MULTIPLIER, BENCH_SPIKE_FLOOR)`);
console.log(`insights bench: seed ${seed}, ${days} simulated days, ${posts.toLocaleString('en')} posts (${complaints.toLocaleString('en')} complaints), ${snapshots.toLocaleString('en')} engagement snapshots`);
console.log(`detectors ran in ${round(wallSeconds, 2)} s wall, ${round((cpu.user + cpu.system) / 1e6, 2)} s CPU (stream generation included); late posts dropped: ${spikes.droppedLate}`);
for (const kind of kinds) {
  const ofKind = events.filter((e) => e.kind === kind);
  const found = ofKind.filter((e) => detectedAt.has(e.id));
  const kindDelays = found.map((e) => ((detectedAt.get(e.id) ?? 0) - (firstPostAt.get(e.id) ?? 0)) / 1000).sort((a, b) => a - b);
  console.log(`  ${kind.padEnd(6)} planted ${String(ofKind.length).padStart(3)}  detected ${String(found.length).padStart(3)}  delay p50 ${round(quantile(kindDelays, 0.5))} s  max ${round(kindDelays.at(-1) ?? NaN)} s`);
  for (const e of found) {
    const delay = ((detectedAt.get(e.id) ?? 0) - (firstPostAt.get(e.id) ?? 0)) / 1000;
    if (delay > 60 && e.kind === 'spike') console.log(`    slow ${e.id} ${e.dimension}:${e.key} +${round(e.extraPerMinute)}/min: ${round(delay)} s`);
  }
  for (const missed of ofKind.filter((e) => !detectedAt.has(e.id))) {
    console.log(`    missed ${missed.id} ${missed.kind === 'spike' ? `${missed.dimension}:${missed.key} +${round(missed.extraPerMinute)}/min for ${missed.durationMinutes} min` : ''} at ${new Date(missed.start).toISOString()}`);
  }
}
console.log(`alerts ${alerts.length}: ${detectedAt.size} detections, ${collateral} collateral (other series lifted by an event; ${collateralLinked} of them linked to an open spike of the same posts (relatedSpikeId)), ${duplicates} duplicates, ${falseAlerts} false in total`);
for (const line of falseDetail) console.log(`  false: ${line}`);

const result = {
  bench: 'insights',
  recall: round(detectedAt.size / events.length, 4),
  falseAlertsPerDay: round(falseAlerts / days, 2),
  p50DelayS: round(quantile(delays, 0.5)),
  maxDelayS: round(delays.at(-1) ?? NaN),
};
console.log(JSON.stringify(result));
