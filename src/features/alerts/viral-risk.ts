import type { ViralPolicy } from './alert-policy.schema.ts';

// Viral risk of one post (docs/ALERTS.md, "Viral risk"): the audience it is projected to reach within the horizon,
// from the author's reach and the velocity of its engagement, on a 0–100 log scale. Pure; times are epoch ms.

export interface EngagementCounts {
  replies: number;
  reposts: number;
  quotes: number;
  likes: number;
}

/** Engagement counts of a post as observed at one moment. */
export interface EngagementPoint extends EngagementCounts {
  at: number;
}

export interface ViralPostFacts {
  /** The author's followers, where the platform says (null: unknown, e.g. phone or email). */
  followers: number | null;
  /** A complaint or a negative post: the kind whose spread hurts. */
  negative: boolean;
  sentAt: number;
}

export interface ViralAssessment {
  /** 0–100: 25 × log10(effective projected audience / 1,000), so 50 ≈ 100,000 people and 75 ≈ 1,000,000. */
  score: number;
  projectedAudience: number;
  followerAudience: number;
  shareAudience: number;
  /** Weighted engagements per minute (replies, reposts, quotes, likes by their weights). */
  velocityPerMinute: number;
  followers: number;
}

const zero: EngagementCounts = { replies: 0, reposts: 0, quotes: 0, likes: 0 };

function weighted(c: EngagementCounts, w: ViralPolicy['weights']): number {
  return w.replies * c.replies + w.reposts * c.reposts + w.quotes * c.quotes + w.likes * c.likes;
}

/** Risk score from an effective audience (people), on the documented log scale. */
export function scoreOfAudience(audience: number): number {
  if (!(audience > 1000)) return 0;
  return Math.min(100, Math.round(25 * Math.log10(audience / 1000) * 10) / 10);
}

/**
 * The base a velocity is measured from: the newest snapshot at least `velocityWindowSeconds` older than the latest,
 * else the post itself at its sending time with no engagement.
 */
export function velocityBase(post: ViralPostFacts, history: readonly EngagementPoint[], policy: ViralPolicy): EngagementPoint {
  const latest = history.at(-1);
  const origin = { at: post.sentAt, ...zero };
  if (!latest) return origin;
  const cutoff = latest.at - policy.velocityWindowSeconds * 1000;
  for (let i = history.length - 2; i >= 0; i -= 1) if (history[i].at <= cutoff) return history[i];
  return origin;
}

/** Assesses a post from its facts and its engagement snapshots (ascending by time; none is fine: reach only). */
export function assessViralRisk(post: ViralPostFacts, history: readonly EngagementPoint[], policy: ViralPolicy): ViralAssessment {
  const followers = Math.max(0, post.followers ?? 0);
  const latest = history.at(-1);
  let velocity = 0;
  if (latest) {
    const base = velocityBase(post, history, policy);
    const minutes = Math.max(latest.at - base.at, policy.minVelocitySpanSeconds * 1000) / 60_000;
    velocity = Math.max(0, weighted(latest, policy.weights) - weighted(base, policy.weights)) / minutes;
  }
  const followerAudience = policy.followerReachFraction * followers;
  const shareAudience = policy.audiencePerShare * velocity * policy.horizonMinutes;
  const projectedAudience = followerAudience + shareAudience;
  const effective = projectedAudience * (post.negative ? 1 : policy.nonNegativeWeight);
  return {
    score: scoreOfAudience(effective),
    projectedAudience: Math.round(projectedAudience),
    followerAudience: Math.round(followerAudience),
    shareAudience: Math.round(shareAudience),
    velocityPerMinute: Math.round(velocity * 100) / 100,
    followers,
  };
}

export interface ViralPost extends ViralPostFacts {
  id: string;
}

export interface EngagementSnapshot extends EngagementPoint {
  postId: string;
  /** The author's followers as the platform reported them with this snapshot. */
  followers?: number | null;
}

export interface ViralRaised {
  type: 'viral.raised';
  postId: string;
  at: number;
  assessment: ViralAssessment;
}

interface TrackedPost {
  facts: ViralPostFacts;
  history: EngagementPoint[];
  raised: boolean;
}

/**
 * Viral risk over a stream: posts and engagement snapshots go in (in time order), an alert comes out the first time
 * a post's score reaches the threshold — once per post. Posts older than `trackHours` are forgotten.
 */
export class ViralRiskDetector {
  private readonly policy: ViralPolicy;
  private readonly trackMs: number;
  private readonly posts = new Map<string, TrackedPost>();
  private now = -Infinity;
  private lastSweep = -Infinity;

  constructor(policy: ViralPolicy, options: { trackHours?: number } = {}) {
    this.policy = policy;
    this.trackMs = (options.trackHours ?? 48) * 3_600_000;
  }

  observePost(post: ViralPost): ViralRaised | null {
    this.advanceTo(post.sentAt);
    const tracked: TrackedPost = { facts: { followers: post.followers, negative: post.negative, sentAt: post.sentAt }, history: [], raised: false };
    this.posts.set(post.id, tracked);
    return this.judge(post.id, tracked, post.sentAt);
  }

  observeEngagement(snapshot: EngagementSnapshot): ViralRaised | null {
    this.advanceTo(snapshot.at);
    const tracked = this.posts.get(snapshot.postId);
    if (!tracked) return null;
    const last = tracked.history.at(-1);
    if (last && snapshot.at <= last.at) return null;
    if (snapshot.followers !== undefined && snapshot.followers !== null) {
      tracked.facts.followers = Math.max(tracked.facts.followers ?? 0, snapshot.followers);
    }
    tracked.history.push({ at: snapshot.at, replies: snapshot.replies, reposts: snapshot.reposts, quotes: snapshot.quotes, likes: snapshot.likes });
    // Keep one snapshot at or before the velocity window's start (the base), and everything after it.
    const cutoff = snapshot.at - this.policy.velocityWindowSeconds * 1000;
    while (tracked.history.length > 2 && tracked.history[1].at <= cutoff) tracked.history.shift();
    return this.judge(snapshot.postId, tracked, snapshot.at);
  }

  advanceTo(at: number): void {
    if (at > this.now) this.now = at;
    if (this.now - this.lastSweep < 3_600_000) return;
    this.lastSweep = this.now;
    for (const [id, tracked] of this.posts) if (tracked.facts.sentAt < this.now - this.trackMs) this.posts.delete(id);
  }

  private judge(postId: string, tracked: TrackedPost, at: number): ViralRaised | null {
    if (tracked.raised || !this.policy.enabled) return null;
    const assessment = assessViralRisk(tracked.facts, tracked.history, this.policy);
    if (assessment.score < this.policy.threshold) return null;
    tracked.raised = true;
    return { type: 'viral.raised', postId, at, assessment };
  }
}
