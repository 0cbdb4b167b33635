import type { SpikeDimension } from '../../src/features/alerts/index.ts';

/**
 * Seeded synthetic social traffic for the alerting tests and `bench:insights`: background posts arrive as a Poisson
 * process whose rate follows the time of day (a sinusoid, lowest at midnight), each post with a channel, maybe a
 * complaint with a topic, the monitoring rules it matched, and its author's followers; a few posts get engagement
 * snapshots. Planted events are added on top, and every post and snapshot they produce names its event, so the
 * right answer is known.
 */

export interface SeriesWeights {
  /** Topic of a complaint: one per complaint, by weight. */
  topics: Record<string, number>;
  /** Rules: each matches a complaint independently with its probability. */
  rules: Record<string, number>;
  /** Channel of a post, by weight. */
  channels: Record<string, number>;
}

export type PlantedEvent =
  | { kind: 'spike'; id: string; dimension: SpikeDimension; key: string; start: number; durationMinutes: number; extraPerMinute: number }
  | { kind: 'viral'; id: string; start: number; followers: number; repostsPerMinute: number; durationMinutes: number }
  | { kind: 'reach'; id: string; start: number; followers: number };

export interface TrafficOptions {
  seed: number;
  /** Epoch ms of the first simulated second (midnight of the first day is the quietest moment). */
  start: number;
  days: number;
  /** Background posts per day (the daily mean; the rate swings with the time of day). */
  postsPerDay: number;
  complaintShare: number;
  /** Amplitude of the daily swing: rate × (1 ± seasonality). */
  seasonality: number;
  weights: SeriesWeights;
  /** Share of background posts whose engagement is observed, and how. */
  trackedShare: number;
  snapshotEverySeconds: number;
  trackMinutes: number;
  events: PlantedEvent[];
}

export interface SimPost {
  id: string;
  at: number;
  authorKey: string;
  channel: string;
  topic: string | null;
  rules: string[];
  complaint: boolean;
  negative: boolean;
  followers: number;
  eventId: string | null;
}

export interface SimSnapshot {
  postId: string;
  at: number;
  replies: number;
  reposts: number;
  quotes: number;
  likes: number;
  eventId: string | null;
}

export type SimItem = { type: 'post'; post: SimPost } | { type: 'engagement'; snapshot: SimSnapshot };

const day = 86_400_000;
const minute = 60_000;

export const defaultWeights: SeriesWeights = {
  topics: {
    billing: 0.25, outage: 0.18, delivery: 0.14, 'product-defect': 0.1, 'account-access': 0.09, cancellation: 0.07,
    coverage: 0.06, 'staff-conduct': 0.05, policy: 0.04, refunds: 0.02,
  },
  rules: { brand: 0.6, 'product-router': 0.2, 'product-app': 0.12, 'outage-watch': 0.08, 'billing-watch': 0.05, 'ceo-mentions': 0.02 },
  channels: { x: 0.35, bluesky: 0.2, mastodon: 0.12, facebook: 0.15, email: 0.1, forum: 0.08 },
};

export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k += 1;
    p *= rand();
  }
  return k;
}

function picker(weights: Record<string, number>): (rand: () => number) => string {
  const entries = Object.entries(weights);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return (rand) => {
    let u = rand() * total;
    for (const [name, w] of entries) {
      u -= w;
      if (u < 0) return name;
    }
    return entries[entries.length - 1][0];
  };
}

/** The daily-mean rate of complaints in one series, per minute. */
export function seriesMeanPerMinute(options: Pick<TrafficOptions, 'postsPerDay' | 'complaintShare' | 'weights'>, dimension: SpikeDimension, key: string): number {
  const complaintsPerMinute = (options.postsPerDay * options.complaintShare) / 1440;
  const w = options.weights;
  const share = (table: Record<string, number>) => (table[key] ?? 0) / Object.values(table).reduce((s, v) => s + v, 0);
  switch (dimension) {
    case 'topic':
      return complaintsPerMinute * share(w.topics);
    case 'channel':
      return complaintsPerMinute * share(w.channels);
    case 'rule':
      return complaintsPerMinute * (w.rules[key] ?? 0);
    default: {
      const unknown: never = dimension;
      throw new Error(`unknown dimension ${String(unknown)}`);
    }
  }
}

export interface EventPlan {
  seed: number;
  start: number;
  days: number;
  spikesPerDay: number;
  viralPerDay: number;
  reachPerDay: number;
  /** No event in the first hours (the detectors' warm-up) or the last. */
  marginMs: number;
  /** A spike adds this many times its series' daily-mean rate… */
  spikeMultiplier: number;
  /** …and at least this many complaints a minute. */
  spikeFloorPerMinute: number;
}

/**
 * Planted events: spikes on random topics, rules and channels (abrupt onset; extra rate `spikeMultiplier` × the
 * series' daily mean, at least `spikeFloorPerMinute`; 20–60 minutes; no two within 2 hours of each other), viral posts (engagement from the
 * moment of posting) and complaints by accounts with millions of followers.
 */
export function planEvents(plan: EventPlan, traffic: Pick<TrafficOptions, 'postsPerDay' | 'complaintShare' | 'weights'>): PlantedEvent[] {
  const rand = mulberry32(plan.seed ^ 0x5eed);
  const events: PlantedEvent[] = [];
  const from = plan.start + plan.marginMs;
  const span = plan.days * day - 2 * plan.marginMs;
  const dims: { dimension: SpikeDimension; keys: string[] }[] = [
    { dimension: 'topic', keys: Object.keys(traffic.weights.topics) },
    { dimension: 'rule', keys: Object.keys(traffic.weights.rules) },
    { dimension: 'channel', keys: Object.keys(traffic.weights.channels) },
  ];
  const spikes = Math.round(plan.spikesPerDay * plan.days);
  for (let i = 0; i < spikes; i += 1) {
    const { dimension, keys } = dims[i % dims.length];
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const key = keys[Math.floor(rand() * keys.length)];
      const start = from + Math.floor(rand() * span);
      // Spikes never overlap, so each has one right answer (a spike on a topic lifts channels and rules too).
      const clash = events.some((e) => e.kind === 'spike' && Math.abs(e.start - start) < 2 * 3_600_000);
      if (clash) continue;
      const extraPerMinute = Math.max(plan.spikeMultiplier * seriesMeanPerMinute(traffic, dimension, key), plan.spikeFloorPerMinute);
      events.push({ kind: 'spike', id: `spike-${i}`, dimension, key, start, durationMinutes: 20 + Math.floor(rand() * 41), extraPerMinute });
      break;
    }
  }
  for (let i = 0; i < Math.round(plan.viralPerDay * plan.days); i += 1) {
    events.push({
      kind: 'viral', id: `viral-${i}`, start: from + Math.floor(rand() * span),
      followers: Math.round(1_000 * Math.exp(rand() * Math.log(20))), repostsPerMinute: 30 + Math.floor(rand() * 121), durationMinutes: 30,
    });
  }
  for (let i = 0; i < Math.round(plan.reachPerDay * plan.days); i += 1) {
    events.push({ kind: 'reach', id: `reach-${i}`, start: from + Math.floor(rand() * span), followers: 1_500_000 + Math.floor(rand() * 4_500_000) });
  }
  return events.sort((a, b) => a.start - b.start);
}

interface Tracker {
  postId: string;
  eventId: string | null;
  next: number;
  until: number;
  everyMs: number;
  perMinute: { replies: number; reposts: number; quotes: number; likes: number };
  counts: { replies: number; reposts: number; quotes: number; likes: number };
}

class TrackerHeap {
  private readonly items: Tracker[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Tracker | undefined {
    return this.items[0];
  }
  push(item: Tracker): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].next <= a[i].next) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): Tracker | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].next < a[m].next) m = l;
        if (r < a.length && a[r].next < a[m].next) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** The traffic, in time order. */
export function* simulateTraffic(options: TrafficOptions): Generator<SimItem> {
  const rand = mulberry32(options.seed);
  const pickTopic = picker(options.weights.topics);
  const pickChannel = picker(options.weights.channels);
  const ruleEntries = Object.entries(options.weights.rules);
  const end = options.start + options.days * day;
  const perSecond = options.postsPerDay / 86_400;
  const heap = new TrackerHeap();
  const spikes = options.events.filter((e) => e.kind === 'spike');
  const singles = options.events.filter((e) => e.kind !== 'spike').sort((a, b) => a.start - b.start);
  let nextSingle = 0;
  let serial = 0;

  const rulesOf = (): string[] => ruleEntries.filter(([, p]) => rand() < p).map(([name]) => name);
  const background = (at: number): SimPost => {
    const complaint = rand() < options.complaintShare;
    const followers = Math.min(250_000, Math.round(Math.exp(Math.log(150) + 1.6 * normal(rand))));
    serial += 1;
    return {
      id: `p${serial}`, at, authorKey: `a${Math.floor(rand() * 200_000)}`, channel: pickChannel(rand),
      topic: complaint && rand() < 0.9 ? pickTopic(rand) : null, rules: complaint ? rulesOf() : [], complaint,
      negative: complaint || rand() < 0.15, followers, eventId: null,
    };
  };
  const track = (post: SimPost, everyMs: number, minutes: number, repostsPerMinute: number) => {
    heap.push({
      postId: post.id, eventId: post.eventId, next: post.at + everyMs, until: post.at + minutes * minute, everyMs,
      perMinute: { replies: repostsPerMinute * 0.6, reposts: repostsPerMinute, quotes: repostsPerMinute * 0.2, likes: repostsPerMinute * 8 },
      counts: { replies: 0, reposts: 0, quotes: 0, likes: 0 },
    });
  };

  for (let second = options.start; second < end; second += 1000) {
    const items: SimItem[] = [];
    const phase = (2 * Math.PI * (second - options.start)) / day;
    const season = 1 - options.seasonality * Math.cos(phase);
    for (let n = poisson(rand, perSecond * season); n > 0; n -= 1) {
      const post = background(second + Math.floor(rand() * 1000));
      items.push({ type: 'post', post });
      if (rand() < options.trackedShare) {
        const reposts = Math.min(0.8, 0.03 * Math.exp(1.5 * normal(rand)));
        track(post, options.snapshotEverySeconds * 1000, options.trackMinutes, reposts);
      }
    }
    for (const e of spikes) {
      if (second < e.start || second >= e.start + e.durationMinutes * minute) continue;
      for (let n = poisson(rand, e.extraPerMinute / 60); n > 0; n -= 1) {
        const post = background(Math.max(e.start, second + Math.floor(rand() * 1000)));
        post.complaint = true;
        post.negative = true;
        post.eventId = e.id;
        post.authorKey = `${e.id}:${serial}`;
        post.topic = e.dimension === 'topic' ? e.key : pickTopic(rand);
        post.rules = rulesOf();
        if (e.dimension === 'rule' && !post.rules.includes(e.key)) post.rules.push(e.key);
        if (e.dimension === 'channel') post.channel = e.key;
        items.push({ type: 'post', post });
      }
    }
    while (nextSingle < singles.length && singles[nextSingle].start < second + 1000) {
      const e = singles[nextSingle];
      nextSingle += 1;
      const post = background(Math.max(second, e.start));
      post.complaint = true;
      post.negative = true;
      post.topic = pickTopic(rand);
      post.rules = rulesOf();
      post.eventId = e.id;
      post.followers = e.followers;
      items.push({ type: 'post', post });
      if (e.kind === 'viral') track(post, 20_000, e.durationMinutes, e.repostsPerMinute);
    }
    for (let t = heap.peek(); t && t.next < second + 1000; t = heap.peek()) {
      heap.pop();
      const minutes = t.everyMs / minute;
      t.counts.replies += poisson(rand, t.perMinute.replies * minutes);
      t.counts.reposts += poisson(rand, t.perMinute.reposts * minutes);
      t.counts.quotes += poisson(rand, t.perMinute.quotes * minutes);
      t.counts.likes += poisson(rand, t.perMinute.likes * minutes);
      items.push({ type: 'engagement', snapshot: { postId: t.postId, at: t.next, ...t.counts, eventId: t.eventId } });
      t.next += t.everyMs;
      if (t.next <= t.until) heap.push(t);
    }
    items.sort((a, b) => timeOf(a) - timeOf(b));
    yield* items;
  }
}

function timeOf(item: SimItem): number {
  return item.type === 'post' ? item.post.at : item.snapshot.at;
}

/** Quiet-traffic defaults: background only, nothing planted. */
export function quietTraffic(overrides: Partial<TrafficOptions> & { seed: number }): TrafficOptions {
  return {
    start: Date.UTC(2026, 2, 2),
    days: 1,
    postsPerDay: 40_000,
    complaintShare: 0.3,
    seasonality: 0.6,
    weights: defaultWeights,
    trackedShare: 0.03,
    snapshotEverySeconds: 60,
    trackMinutes: 30,
    events: [],
    ...overrides,
  };
}
