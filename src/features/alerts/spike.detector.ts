import { z } from 'zod';
import type { SpikeDimension, SpikePolicy } from './alert-policy.schema.ts';
import { spikeDimensions } from './alert-policy.schema.ts';
import { logPoissonUpperTail } from './poisson.ts';

// Complaint spikes, detected on a stream in simulated or real time (docs/ALERTS.md, "Spikes"). Pure: posts and clock
// ticks go in, spike starts and ends come out; no database, no timers. The state can be saved and restored, so a
// background job can carry it from one run to the next.

/** Sliding windows are counted in slots of this length. */
export const spikeSlotMs = 10_000;
/** How many example posts an alert carries. */
export const spikeExampleCount = 5;
// A series nobody has complained in for this long is forgotten (its baseline is ~0 by then anyway).
const seriesRetentionMs = 7 * 24 * 3_600_000;
// An open spike remembers this many of its latest posts, to recognise another series lifted by the same posts.
const spikePostMemory = 50;

export interface SeriesRef {
  dimension: SpikeDimension;
  key: string;
}

/** One complaint as the detector sees it: when, by whom, and the series (topic, rule, channel) it counts in. */
export interface SpikePost {
  id: string;
  /** Epoch milliseconds. */
  at: number;
  /** The author: one author's burst counts once among a series' latest posts. */
  authorKey?: string | null;
  series: readonly SeriesRef[];
}

export interface SpikeStarted {
  type: 'spike.started';
  spikeId: string;
  dimension: SpikeDimension;
  key: string;
  /** Detector time of the decision (epoch ms). */
  at: number;
  windowSeconds: number;
  windowStart: number;
  count: number;
  expected: number;
  ratio: number;
  pValue: number;
  baselinePerHour: number;
  /** Up to five of the series' latest posts (the ones that made the spike), oldest first. */
  exampleIds: string[];
  /**
   * An open spike of another series that shares at least two of these examples: the same incident seen along
   * another dimension (a topic spike lifts its channels and rules too), for the UI to group.
   */
  relatedSpikeId: string | null;
}

export interface SpikeEnded {
  type: 'spike.ended';
  spikeId: string;
  dimension: SpikeDimension;
  key: string;
  at: number;
  /** `baseline`: the rate came back down; `sustained`: it stayed up past maxSpikeMinutes and became the new baseline. */
  reason: 'baseline' | 'sustained';
  /** Posts counted while the spike was open, and the largest bucket. */
  posts: number;
  peakBucketCount: number;
}

export type SpikeOutput = SpikeStarted | SpikeEnded;

const openSpikeSchema = z.object({
  id: z.string(),
  openedAt: z.number(),
  quiet: z.number().int().min(0),
  /** Complaints in the current run of quiet buckets: the level the baseline resumes from when the spike ends. */
  quietSum: z.number().min(0),
  peak: z.number().min(0),
  posts: z.number().int().min(0),
  /** The spike's latest posts (at most 50). */
  postIds: z.array(z.string()).max(spikePostMemory),
});

const seriesStateSchema = z.object({
  d: z.enum(spikeDimensions),
  k: z.string(),
  firstAt: z.number(),
  lastAt: z.number(),
  head: z.number().int(),
  slots: z.array(z.number().int().min(0)),
  bucketCount: z.number().int().min(0),
  /** Bias-corrected EWMA of complaints per bucket: sum and weight (mean = s / w). */
  s: z.number().min(0),
  w: z.number().min(0).max(1),
  recent: z.array(z.object({ id: z.string(), a: z.string().nullable(), t: z.number() })).max(spikeExampleCount),
  spike: openSpikeSchema.nullable(),
});
type SeriesState = z.infer<typeof seriesStateSchema>;
type OpenSpike = z.infer<typeof openSpikeSchema>;

/** What a detector carries between runs; validated when read back from storage. */
export const spikeDetectorStateSchema = z.object({
  version: z.literal(1),
  now: z.number().nullable(),
  bucket: z.number().int().nullable(),
  bucketMs: z.number().int().positive(),
  series: z.array(seriesStateSchema),
});
export type SpikeDetectorState = z.infer<typeof spikeDetectorStateSchema>;

function seriesId(dimension: SpikeDimension, key: string): string {
  return `${dimension}\u0000${key}`;
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

/**
 * Complaint volume per series against the series' own recent baseline.
 *
 * - Baseline: a bias-corrected EWMA of complaints per bucket (half-life `halfLifeMinutes`), updated when a bucket
 *   closes and frozen while the series is in a spike.
 * - Test: on every complaint, each sliding window (`windowsSeconds`) is compared with what the baseline expects in it:
 *   a spike starts when the count is at least `minCount`, at least `minRatio` times the expectation, and its Poisson
 *   tail probability is at most `maxPValue` — after `warmupMinutes` of watching the series.
 * - One alert per spike: while open, the series raises nothing more. It ends after `closeAfterQuietBuckets` closed
 *   buckets back at the baseline: at most `quietRatio` times the expected count, or consistent with it (tail
 *   probability above `quietPValue`).
 */
export class SpikeDetector {
  private readonly policy: SpikePolicy;
  private readonly bucketMs: number;
  private readonly alpha: number;
  private readonly ringSlots: number;
  private readonly windows: { seconds: number; slots: number }[];
  private readonly dimensions: ReadonlySet<SpikeDimension>;
  private readonly logMaxP: number;
  private readonly logQuietP: number;
  private readonly floorPerBucket: number;
  private readonly series = new Map<string, SeriesState>();
  private now: number | null = null;
  private bucket: number | null = null;
  /** Posts too late to count (older than maxLatenessSeconds when they arrived). */
  droppedLate = 0;

  constructor(policy: SpikePolicy, state?: SpikeDetectorState | null) {
    this.policy = policy;
    this.bucketMs = policy.bucketMinutes * 60_000;
    this.alpha = 1 - 2 ** (-policy.bucketMinutes / policy.halfLifeMinutes);
    this.windows = [...policy.windowsSeconds].sort((a, b) => a - b).map((seconds) => ({ seconds, slots: (seconds * 1000) / spikeSlotMs }));
    const span = Math.max(policy.maxLatenessSeconds, ...policy.windowsSeconds) * 1000;
    this.ringSlots = Math.ceil(span / spikeSlotMs) + 1;
    this.dimensions = new Set(policy.dimensions);
    this.logMaxP = Math.log(policy.maxPValue);
    this.logQuietP = Math.log(policy.quietPValue);
    this.floorPerBucket = (policy.baselineFloorPerHour * this.bucketMs) / 3_600_000;
    if (state) this.restore(state);
  }

  /** Moves the clock forward (never back), closing the buckets it passes; returns the spikes that ended. */
  advanceTo(at: number): SpikeOutput[] {
    if (this.now !== null && at <= this.now) return [];
    this.now = at;
    const bucket = Math.floor(at / this.bucketMs);
    if (this.bucket === null) {
      this.bucket = bucket;
      return [];
    }
    if (bucket <= this.bucket) return [];
    const out = this.closeBuckets(bucket - this.bucket, bucket * this.bucketMs);
    this.bucket = bucket;
    return out;
  }

  /** Counts one complaint (moving the clock to its time if it is newer); returns the spike it starts, if any. */
  observe(post: SpikePost): SpikeOutput[] {
    const out = this.now === null || post.at > this.now ? this.advanceTo(post.at) : [];
    const now = this.now ?? post.at;
    if (post.at < now - this.policy.maxLatenessSeconds * 1000) {
      this.droppedLate += 1;
      return out;
    }
    const slot = Math.floor(post.at / spikeSlotMs);
    const nowSlot = Math.floor(now / spikeSlotMs);
    const inOpenBucket = Math.floor(post.at / this.bucketMs) === this.bucket;
    const author = post.authorKey ?? null;
    for (const ref of post.series) {
      if (!this.dimensions.has(ref.dimension)) continue;
      const s = this.seriesOf(ref, now, nowSlot);
      if (author !== null && s.recent.some((r) => r.a === author)) continue;
      this.rollTo(s, nowSlot);
      if (nowSlot - slot < this.ringSlots) s.slots[mod(slot, this.ringSlots)] += 1;
      if (inOpenBucket) s.bucketCount += 1;
      s.recent.push({ id: post.id, a: author, t: post.at });
      if (s.recent.length > spikeExampleCount) s.recent.shift();
      if (post.at > s.lastAt) s.lastAt = post.at;
      if (s.spike) {
        s.spike.posts += 1;
        s.spike.postIds.push(post.id);
        if (s.spike.postIds.length > spikePostMemory) s.spike.postIds.shift();
        continue;
      }
      const started = this.test(s, now);
      if (started) out.push(started);
    }
    return out;
  }

  toState(): SpikeDetectorState {
    return {
      version: 1,
      now: this.now,
      bucket: this.bucket,
      bucketMs: this.bucketMs,
      series: [...this.series.values()].map((s) => ({
        ...s, slots: [...s.slots], recent: s.recent.map((r) => ({ ...r })), spike: s.spike ? { ...s.spike, postIds: [...s.spike.postIds] } : null,
      })),
    };
  }

  private test(s: SeriesState, now: number): SpikeStarted | null {
    if (now - s.firstAt < this.policy.warmupMinutes * 60_000 || s.w <= 0) return null;
    const perBucket = Math.max(s.s / s.w, this.floorPerBucket);
    for (const window of this.windows) {
      const count = this.windowCount(s, window.slots);
      if (count < this.policy.minCount) continue;
      const expected = (perBucket * window.seconds * 1000) / this.bucketMs;
      if (count < this.policy.minRatio * expected) continue;
      const logP = logPoissonUpperTail(count, expected);
      if (logP > this.logMaxP) continue;
      const spikeId = `${s.d}:${s.k}:${now}`;
      const exampleIds = s.recent.map((r) => r.id);
      const relatedSpikeId = this.relatedSpike(exampleIds);
      s.spike = { id: spikeId, openedAt: now, quiet: 0, quietSum: 0, peak: s.bucketCount, posts: count, postIds: [...exampleIds] };
      return {
        type: 'spike.started',
        spikeId,
        dimension: s.d,
        key: s.k,
        at: now,
        windowSeconds: window.seconds,
        windowStart: now - window.seconds * 1000,
        count,
        expected,
        ratio: count / expected,
        pValue: Math.exp(logP),
        baselinePerHour: (perBucket * 3_600_000) / this.bucketMs,
        exampleIds,
        relatedSpikeId,
      };
    }
    return null;
  }

  private relatedSpike(exampleIds: readonly string[]): string | null {
    let best: { id: string; shared: number } | null = null;
    for (const other of this.series.values()) {
      if (!other.spike) continue;
      const shared = exampleIds.filter((id) => other.spike?.postIds.includes(id)).length;
      if (shared >= 2 && (!best || shared > best.shared)) best = { id: other.spike.id, shared };
    }
    return best?.id ?? null;
  }

  private closeBuckets(closed: number, closedAt: number): SpikeOutput[] {
    const out: SpikeOutput[] = [];
    const a = this.alpha;
    for (const [id, s] of this.series) {
      const x = s.bucketCount;
      s.bucketCount = 0;
      if (s.spike) {
        const spike = s.spike;
        spike.peak = Math.max(spike.peak, x);
        const quiet = this.isQuiet(s, x);
        spike.quiet = quiet ? spike.quiet + closed : closed - 1;
        spike.quietSum = quiet ? spike.quietSum + x : 0;
        if (spike.quiet >= this.policy.closeAfterQuietBuckets) {
          // The baseline was frozen while the time of day moved on: it resumes from the buckets that ended the spike.
          const level = spike.quietSum / spike.quiet;
          out.push(this.ended(s, spike, closedAt, 'baseline'));
          s.s = level * s.w;
        } else if (closedAt - spike.openedAt >= this.policy.maxSpikeMinutes * 60_000) {
          out.push(this.ended(s, spike, closedAt, 'sustained'));
          // The raised level is the new normal: the baseline starts again from the last bucket.
          s.s = x;
          s.w = 1;
        }
        continue;
      }
      s.s = (1 - a) * s.s + a * x;
      s.w = (1 - a) * s.w + a;
      if (closed > 1) {
        const decay = (1 - a) ** (closed - 1);
        s.s *= decay;
        s.w = s.w * decay + (1 - decay);
      }
      if (closedAt - s.lastAt > seriesRetentionMs) this.series.delete(id);
    }
    return out;
  }

  private isQuiet(s: SeriesState, count: number): boolean {
    const expected = Math.max(s.s / Math.max(s.w, 1e-9), this.floorPerBucket);
    return count <= this.policy.quietRatio * expected || logPoissonUpperTail(count, expected) > this.logQuietP;
  }

  private ended(s: SeriesState, spike: OpenSpike, at: number, reason: SpikeEnded['reason']): SpikeEnded {
    s.spike = null;
    return { type: 'spike.ended', spikeId: spike.id, dimension: s.d, key: s.k, at, reason, posts: spike.posts, peakBucketCount: spike.peak };
  }

  private seriesOf(ref: SeriesRef, now: number, nowSlot: number): SeriesState {
    const id = seriesId(ref.dimension, ref.key);
    let s = this.series.get(id);
    if (!s) {
      s = {
        d: ref.dimension, k: ref.key, firstAt: now, lastAt: now, head: nowSlot, slots: new Array<number>(this.ringSlots).fill(0),
        bucketCount: 0, s: 0, w: 0, recent: [], spike: null,
      };
      this.series.set(id, s);
    }
    return s;
  }

  /** Moves a series' ring to `slot`, emptying the slots it passes. */
  private rollTo(s: SeriesState, slot: number): void {
    if (slot <= s.head) return;
    const steps = Math.min(slot - s.head, this.ringSlots);
    for (let j = 1; j <= steps; j += 1) s.slots[mod(s.head + j, this.ringSlots)] = 0;
    s.head = slot;
  }

  private windowCount(s: SeriesState, slots: number): number {
    let count = 0;
    for (let i = 0; i < slots; i += 1) count += s.slots[mod(s.head - i, this.ringSlots)];
    return count;
  }

  private restore(state: SpikeDetectorState): void {
    this.now = state.now;
    this.bucket = state.now === null ? null : Math.floor(state.now / this.bucketMs);
    const sameBuckets = state.bucketMs === this.bucketMs;
    for (const saved of state.series) {
      const slots = new Array<number>(this.ringSlots).fill(0);
      // Slots are placed by absolute index, so a ring of another length (a changed policy) keeps what still fits.
      for (let i = 0; i < Math.min(saved.slots.length, this.ringSlots); i += 1) {
        slots[mod(saved.head - i, this.ringSlots)] = saved.slots[mod(saved.head - i, saved.slots.length)];
      }
      // A baseline is complaints per bucket: rescaled when the bucket length changed.
      const scale = sameBuckets ? 1 : this.bucketMs / state.bucketMs;
      this.series.set(seriesId(saved.d, saved.k), {
        ...saved,
        slots,
        s: saved.s * scale,
        bucketCount: sameBuckets ? saved.bucketCount : 0,
        recent: saved.recent.map((r) => ({ ...r })),
        spike: saved.spike ? { ...saved.spike, postIds: [...saved.spike.postIds] } : null,
      });
    }
  }
}
