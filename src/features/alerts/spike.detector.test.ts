import { describe, expect, it } from 'vitest';
import { quietTraffic, seriesMeanPerMinute, simulateTraffic } from '../../../test/support/alert-traffic.ts';
import type { PlantedEvent, TrafficOptions } from '../../../test/support/alert-traffic.ts';
import { spikePolicySchema } from './alert-policy.schema.ts';
import type { SpikePolicy } from './alert-policy.schema.ts';
import { SpikeDetector, spikeDetectorStateSchema } from './spike.detector.ts';
import type { SeriesRef, SpikeOutput, SpikePost, SpikeStarted } from './spike.detector.ts';

const minute = 60_000;
const hour = 60 * minute;
const t0 = Date.UTC(2026, 2, 2, 0, 0, 0);
const defaults: SpikePolicy = spikePolicySchema.parse({});
const billing: SeriesRef[] = [{ dimension: 'topic', key: 'billing' }];

let serial = 0;
/** Evenly spaced posts from distinct authors: a series with an exactly known rate. */
function evenly(from: number, to: number, perMinute: number, series: SeriesRef[] = billing, tag = 'bg'): SpikePost[] {
  const posts: SpikePost[] = [];
  const step = minute / perMinute;
  for (let at = from; at < to; at += step) {
    serial += 1;
    posts.push({ id: `${tag}-${serial}`, at: Math.round(at), authorKey: `author-${serial}`, series });
  }
  return posts;
}

function run(detector: SpikeDetector, posts: SpikePost[], until: number): SpikeOutput[] {
  const out: SpikeOutput[] = [];
  for (const post of [...posts].sort((a, b) => a.at - b.at)) out.push(...detector.observe(post));
  out.push(...detector.advanceTo(until));
  return out;
}

const starts = (out: SpikeOutput[]) => out.filter((o): o is SpikeStarted => o.type === 'spike.started');

describe('SpikeDetector on hand-made streams', () => {
  it('raises one alert for a planted burst, within a minute, with the burst as examples, and ends it when the rate is back', () => {
    const burstAt = t0 + 2 * hour;
    const burst = evenly(burstAt, burstAt + 20 * minute, 30, billing, 'burst');
    const posts = [...evenly(t0, t0 + 4 * hour, 2), ...burst];
    const out = run(new SpikeDetector(defaults), posts, t0 + 4 * hour);

    const started = starts(out);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ dimension: 'topic', key: 'billing', relatedSpikeId: null });
    expect(started[0].at - burstAt).toBeLessThanOrEqual(60_000);
    expect(started[0].exampleIds).toHaveLength(5);
    expect(started[0].exampleIds.filter((id) => id.startsWith('burst')).length).toBeGreaterThanOrEqual(4);
    expect(started[0].pValue).toBeLessThanOrEqual(defaults.maxPValue);
    expect(started[0].count).toBeGreaterThanOrEqual(defaults.minCount);

    const ended = out.filter((o) => o.type === 'spike.ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ spikeId: started[0].spikeId, reason: 'baseline' });
    const burstEnd = burstAt + 20 * minute;
    expect(ended[0].at).toBeGreaterThan(burstEnd);
    expect(ended[0].at - burstEnd).toBeLessThanOrEqual((defaults.closeAfterQuietBuckets + 1) * defaults.bucketMinutes * minute);
  });

  it('deduplicates while a spike lasts, and raises again for a later spike', () => {
    const posts = [
      ...evenly(t0, t0 + 6 * hour, 2),
      ...evenly(t0 + 2 * hour, t0 + 2 * hour + 45 * minute, 25, billing, 'first'),
      ...evenly(t0 + 4 * hour, t0 + 4 * hour + 10 * minute, 40, billing, 'second'),
    ];
    const started = starts(run(new SpikeDetector(defaults), posts, t0 + 6 * hour));
    expect(started.map((s) => s.exampleIds[0].split('-')[0])).toEqual(['first', 'second']);
    expect(new Set(started.map((s) => s.spikeId)).size).toBe(2);
  });

  it('stays silent during warm-up', () => {
    const posts = [...evenly(t0, t0 + 2 * hour, 2), ...evenly(t0 + 30 * minute, t0 + 40 * minute, 40, billing, 'early')];
    expect(starts(run(new SpikeDetector(defaults), posts, t0 + 2 * hour))).toEqual([]);
    expect(starts(run(new SpikeDetector({ ...defaults, warmupMinutes: 0 }), [...evenly(t0, t0 + 10 * minute, 2), ...evenly(t0 + 5 * minute, t0 + 6 * minute, 40)], t0 + hour))).toHaveLength(1);
  });

  it('needs minCount complaints, however quiet the series was', () => {
    const quiet = evenly(t0, t0 + 2 * hour, 1 / 30);
    const at = t0 + 2 * hour;
    const seven = Array.from({ length: 7 }, (_, i) => ({ id: `few-${i}`, at: at + i * 3000, authorKey: `few-${i}`, series: billing }));
    expect(starts(run(new SpikeDetector(defaults), [...quiet, ...seven], at + minute))).toEqual([]);
    const eight = [...seven, { id: 'few-7', at: at + 21_000, authorKey: 'few-7', series: billing }];
    const started = starts(run(new SpikeDetector(defaults), [...quiet, ...eight], at + minute));
    expect(started).toHaveLength(1);
    expect(started[0].count).toBe(8);
  });

  it('counts one author once among a series’ latest posts', () => {
    const at = t0 + 2 * hour;
    const rant = Array.from({ length: 40 }, (_, i) => ({ id: `rant-${i}`, at: at + i * 1500, authorKey: 'angry', series: billing }));
    expect(starts(run(new SpikeDetector(defaults), [...evenly(t0, t0 + 3 * hour, 2), ...rant], t0 + 3 * hour))).toEqual([]);
  });

  it('drops posts that arrive later than maxLatenessSeconds', () => {
    const detector = new SpikeDetector(defaults);
    detector.advanceTo(t0 + 2 * hour);
    const late = Array.from({ length: 30 }, (_, i) => ({ id: `late-${i}`, at: t0 + hour + i * 1000, authorKey: `late-${i}`, series: billing }));
    expect(late.flatMap((p) => detector.observe(p))).toEqual([]);
    expect(detector.droppedLate).toBe(30);
  });

  it('ends a spike that became the new level as sustained, and learns that level', () => {
    const shift = t0 + 2 * hour;
    const posts = [...evenly(t0, t0 + 10 * hour, 2), ...evenly(shift, t0 + 10 * hour, 20, billing, 'level')];
    const out = run(new SpikeDetector(defaults), posts, t0 + 10 * hour);
    expect(starts(out)).toHaveLength(1);
    const ended = out.filter((o) => o.type === 'spike.ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ reason: 'sustained' });
    expect(ended[0].at - shift).toBeGreaterThanOrEqual(defaults.maxSpikeMinutes * minute);
  });

  it('watches only the dimensions the policy names', () => {
    const channel: SeriesRef[] = [{ dimension: 'channel', key: 'x' }];
    const posts = [...evenly(t0, t0 + 3 * hour, 2, channel), ...evenly(t0 + 2 * hour, t0 + 2 * hour + 10 * minute, 40, channel, 'burst')];
    expect(starts(run(new SpikeDetector({ ...defaults, dimensions: ['topic'] }), posts, t0 + 3 * hour))).toEqual([]);
    expect(starts(run(new SpikeDetector(defaults), posts, t0 + 3 * hour))).toHaveLength(1);
  });

  it('links a series lifted by the same posts to the spike already open', () => {
    const both: SeriesRef[] = [{ dimension: 'topic', key: 'billing' }, { dimension: 'channel', key: 'x' }];
    const posts = [
      ...evenly(t0, t0 + 3 * hour, 2, billing),
      ...evenly(t0, t0 + 3 * hour, 6, [{ dimension: 'channel', key: 'x' }]),
      ...evenly(t0 + 2 * hour, t0 + 2 * hour + 10 * minute, 40, both, 'burst'),
    ];
    const started = starts(run(new SpikeDetector(defaults), posts, t0 + 3 * hour));
    expect(started.map((s) => s.dimension)).toEqual(['topic', 'channel']);
    expect(started[0].relatedSpikeId).toBeNull();
    expect(started[1].relatedSpikeId).toBe(started[0].spikeId);
  });

  it('carries its state through JSON: a restored detector decides exactly as one that never stopped', () => {
    const posts = [
      ...evenly(t0, t0 + 5 * hour, 3),
      ...evenly(t0 + 2 * hour, t0 + 2 * hour + 15 * minute, 30, billing, 'a'),
      ...evenly(t0 + 3 * hour + 57 * minute, t0 + 4 * hour + 20 * minute, 30, billing, 'b'),
    ].sort((x, y) => x.at - y.at);
    const whole = run(new SpikeDetector(defaults), posts, t0 + 5 * hour);

    const cut = t0 + 4 * hour;
    const first = new SpikeDetector(defaults);
    const before = run(first, posts.filter((p) => p.at < cut), cut);
    const saved = spikeDetectorStateSchema.parse(JSON.parse(JSON.stringify(first.toState())));
    const after = run(new SpikeDetector(defaults, saved), posts.filter((p) => p.at >= cut), t0 + 5 * hour);
    expect([...before, ...after]).toEqual(whole);
    expect(starts(whole)).toHaveLength(2);
  });
});

function seriesOf(post: { channel: string; rules: string[]; topic: string | null }): SeriesRef[] {
  const series: SeriesRef[] = [{ dimension: 'channel', key: post.channel }, ...post.rules.map((key) => ({ dimension: 'rule' as const, key }))];
  if (post.topic) series.push({ dimension: 'topic', key: post.topic });
  return series;
}

function runTraffic(options: TrafficOptions): { outputs: SpikeOutput[]; eventPosts: Map<string, string>; firstEventPost: Map<string, number> } {
  const detector = new SpikeDetector(defaults);
  const outputs: SpikeOutput[] = [];
  const eventPosts = new Map<string, string>();
  const firstEventPost = new Map<string, number>();
  for (const item of simulateTraffic({ ...options, trackedShare: 0 })) {
    if (item.type !== 'post' || !item.post.complaint) continue;
    const post = item.post;
    if (post.eventId) {
      eventPosts.set(post.id, post.eventId);
      if (!firstEventPost.has(post.eventId)) firstEventPost.set(post.eventId, post.at);
    }
    outputs.push(...detector.observe({ id: post.id, at: post.at, authorKey: post.authorKey, series: seriesOf(post) }));
  }
  outputs.push(...detector.advanceTo(options.start + options.days * 86_400_000));
  return { outputs, eventPosts, firstEventPost };
}

describe('SpikeDetector on simulated traffic', () => {
  it.each([
    ['2 days, 40k posts a day, seed 1', quietTraffic({ seed: 1, days: 2 })],
    ['2 days, 40k posts a day, seed 2', quietTraffic({ seed: 2, days: 2 })],
    ['1 day, 200k posts a day, seed 3', quietTraffic({ seed: 3, days: 1, postsPerDay: 200_000 })],
    ['3 days, 8k posts a day, seed 4', quietTraffic({ seed: 4, days: 3, postsPerDay: 8_000 })],
  ])('raises nothing on quiet traffic with daily seasonality (%s)', (_name, options) => {
    const { outputs } = runTraffic(options);
    expect(starts(outputs)).toEqual([]);
  }, 60_000);

  it('finds a planted spike within a minute, once, and every other alert it raises is the same posts', () => {
    const base = quietTraffic({ seed: 5, days: 1, postsPerDay: 60_000 });
    const spike: PlantedEvent = {
      kind: 'spike', id: 'delivery-spike', dimension: 'topic', key: 'delivery', start: base.start + 10.5 * hour, durationMinutes: 30,
      extraPerMinute: Math.max(6 * seriesMeanPerMinute(base, 'topic', 'delivery'), 30),
    };
    const { outputs, eventPosts, firstEventPost } = runTraffic({ ...base, events: [spike] });
    const started = starts(outputs);
    const own = started.filter((s) => s.dimension === 'topic' && s.key === 'delivery');
    expect(own).toHaveLength(1);
    expect(own[0].at - (firstEventPost.get(spike.id) ?? 0)).toBeLessThanOrEqual(60_000);
    expect(own[0].exampleIds.filter((id) => eventPosts.has(id)).length).toBeGreaterThanOrEqual(3);
    for (const other of started) {
      expect(other.exampleIds.filter((id) => eventPosts.has(id)).length, `${other.dimension}:${other.key}`).toBeGreaterThanOrEqual(1);
      expect(other.at).toBeGreaterThanOrEqual(spike.start);
      expect(other.at).toBeLessThanOrEqual(spike.start + spike.durationMinutes * minute);
    }
    const ended = outputs.filter((o) => o.type === 'spike.ended' && o.spikeId === own[0].spikeId);
    expect(ended).toHaveLength(1);
    expect(ended[0].at).toBeGreaterThan(spike.start + spike.durationMinutes * minute);
  }, 60_000);
});
