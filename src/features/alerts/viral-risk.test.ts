import { describe, expect, it } from 'vitest';
import { quietTraffic, simulateTraffic } from '../../../test/support/alert-traffic.ts';
import type { PlantedEvent } from '../../../test/support/alert-traffic.ts';
import { viralPolicySchema } from './alert-policy.schema.ts';
import { assessViralRisk, scoreOfAudience, velocityBase, ViralRiskDetector } from './viral-risk.ts';
import type { EngagementPoint, ViralRaised } from './viral-risk.ts';

const policy = viralPolicySchema.parse({});
const t0 = Date.UTC(2026, 2, 2, 12, 0, 0);
const point = (seconds: number, reposts: number, extra: Partial<EngagementPoint> = {}): EngagementPoint => ({
  at: t0 + seconds * 1000, replies: 0, reposts, quotes: 0, likes: 0, ...extra,
});

describe('scoreOfAudience', () => {
  it.each([
    [0, 0],
    [999, 0],
    [1_000, 0],
    [10_000, 25],
    [100_000, 50],
    [1_000_000, 75],
    [10_000_000, 100],
    [1e9, 100],
  ])('%d people → %d', (audience, score) => {
    expect(scoreOfAudience(audience)).toBeCloseTo(score, 5);
  });
});

describe('assessViralRisk', () => {
  it.each([
    ['reach alone: 1.5M followers, a complaint', { followers: 1_500_000, negative: true }, [], 150_000, 0, 54.4],
    ['reach alone: the same post when it is praise', { followers: 1_500_000, negative: false }, [], 150_000, 0, 41.3],
    ['unknown followers, no engagement', { followers: null, negative: true }, [], 0, 0, 0],
    // 60 reposts one minute after posting: 60/min × 200 people × 60 min
    ['60 reposts in the first minute', { followers: 500, negative: true }, [point(60, 60)], 50, 720_000, 71.4],
    // a burst seen 10 s after posting is divided by the 60 s minimum span, not extrapolated from 10 s
    ['a burst seen after 10 s', { followers: 500, negative: true }, [point(10, 10)], 50, 120_000, 52],
  ] as const)('%s', (_name, facts, history, followerAudience, shareAudience, score) => {
    const a = assessViralRisk({ ...facts, sentAt: t0 }, history, policy);
    expect(a.followerAudience).toBe(followerAudience);
    expect(a.shareAudience).toBe(shareAudience);
    expect(a.score).toBeCloseTo(score, 1);
  });

  it('measures velocity against the newest snapshot at least the window old, with weights', () => {
    const history = [point(0, 0), point(60, 5), point(200, 40, { replies: 20, likes: 100 }), point(300, 100, { replies: 20, likes: 100 })];
    expect(velocityBase({ followers: 0, negative: true, sentAt: t0 }, history, policy).at).toBe(t0 + 60_000);
    const a = assessViralRisk({ followers: 0, negative: true, sentAt: t0 }, history, policy);
    // (100 + 0.5·20 + 0.1·100) − 5 = 115 weighted engagements over 4 minutes
    expect(a.velocityPerMinute).toBeCloseTo(115 / 4, 2);
  });

  it('never turns falling counts (deleted reposts) into negative velocity', () => {
    const a = assessViralRisk({ followers: 10, negative: true, sentAt: t0 }, [point(0, 50), point(300, 10)], policy);
    expect(a.velocityPerMinute).toBe(0);
  });
});

describe('ViralRiskDetector', () => {
  it('raises once per post, the first time the score reaches the threshold', () => {
    const detector = new ViralRiskDetector(policy);
    expect(detector.observePost({ id: 'p', sentAt: t0, followers: 2_000, negative: true })).toBeNull();
    expect(detector.observeEngagement({ postId: 'p', ...point(60, 3) })).toBeNull();
    const raised = detector.observeEngagement({ postId: 'p', ...point(120, 40) });
    expect(raised).toMatchObject({ type: 'viral.raised', postId: 'p', at: t0 + 120_000 });
    expect(raised?.assessment.score).toBeGreaterThanOrEqual(policy.threshold);
    expect(detector.observeEngagement({ postId: 'p', ...point(180, 400) })).toBeNull();
    expect(detector.observeEngagement({ postId: 'unknown', ...point(180, 400) })).toBeNull();
  });

  it('raises on reach alone at posting time, and not when the policy is off or the threshold higher', () => {
    const post = { id: 'star', sentAt: t0, followers: 3_000_000, negative: true };
    expect(new ViralRiskDetector(policy).observePost(post)?.assessment.score).toBeCloseTo(61.9, 1);
    expect(new ViralRiskDetector({ ...policy, enabled: false }).observePost(post)).toBeNull();
    expect(new ViralRiskDetector({ ...policy, threshold: 70 }).observePost(post)).toBeNull();
  });

  it('ignores a snapshot older than the one it already has', () => {
    const detector = new ViralRiskDetector(policy);
    detector.observePost({ id: 'p', sentAt: t0, followers: 100, negative: true });
    detector.observeEngagement({ postId: 'p', ...point(120, 1) });
    expect(detector.observeEngagement({ postId: 'p', ...point(60, 1000) })).toBeNull();
  });

  function runStream(events: PlantedEvent[]): { raised: ViralRaised[]; eventOfPost: Map<string, string> } {
    const detector = new ViralRiskDetector(policy);
    const raised: ViralRaised[] = [];
    const eventOfPost = new Map<string, string>();
    for (const item of simulateTraffic(quietTraffic({ seed: 9, days: 1, postsPerDay: 60_000, trackedShare: 0.05, events }))) {
      if (item.type === 'post') {
        const p = item.post;
        if (p.eventId) eventOfPost.set(p.id, p.eventId);
        const r = detector.observePost({ id: p.id, sentAt: p.at, followers: p.followers, negative: p.negative });
        if (r) raised.push(r);
      } else {
        const r = detector.observeEngagement(item.snapshot);
        if (r) raised.push(r);
      }
    }
    return { raised, eventOfPost };
  }

  it('raises nothing on ordinary traffic (a day of 60,000 posts, about 3,000 of them followed with engagement snapshots)', () => {
    expect(runStream([]).raised).toEqual([]);
  }, 60_000);

  it('finds planted viral posts and big-reach complaints within a minute of posting, and nothing else', () => {
    const start = quietTraffic({ seed: 9 }).start;
    const events: PlantedEvent[] = [
      { kind: 'viral', id: 'v1', start: start + 9 * 3_600_000, followers: 3_000, repostsPerMinute: 40, durationMinutes: 30 },
      { kind: 'viral', id: 'v2', start: start + 15 * 3_600_000, followers: 800, repostsPerMinute: 120, durationMinutes: 30 },
      { kind: 'reach', id: 'r1', start: start + 20 * 3_600_000, followers: 2_000_000 },
    ];
    const { raised, eventOfPost } = runStream(events);
    expect(raised.map((r) => eventOfPost.get(r.postId))).toEqual(['v1', 'v2', 'r1']);
    for (const r of raised) {
      const event = events.find((e) => e.id === eventOfPost.get(r.postId));
      expect(r.at - (event?.start ?? 0)).toBeLessThanOrEqual(60_000);
    }
  }, 60_000);
});
