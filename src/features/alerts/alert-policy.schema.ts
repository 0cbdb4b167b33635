import { z } from 'zod';

/** The dimensions complaint volume is watched along. */
export const spikeDimensions = ['topic', 'rule', 'channel'] as const;
export type SpikeDimension = (typeof spikeDimensions)[number];

/** What can speak for or against engaging with a post (docs/ALERTS.md). */
export const engagementReasons = [
  'addressed_to_brand',
  'customer_problem',
  'question',
  'joke',
  'spam',
  'troll',
  'not_about_brand',
  'answered_by_other',
] as const;
export type EngagementReason = (typeof engagementReasons)[number];

export const engagementActions = ['engage', 'monitor', 'ignore'] as const;
export type EngagementAction = (typeof engagementActions)[number];

const weight = z.number().min(-10).max(10);

export const viralPolicySchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Alert when a post's risk score (0–100) reaches this. 50 ≈ 100,000 people projected in the horizon. */
    threshold: z.number().min(0).max(100).default(50),
    /** Share of the author's followers who see the post within the horizon. */
    followerReachFraction: z.number().min(0).max(1).default(0.1),
    /** People reached by one (weighted) share: a repost shows the post to the reposter's followers. */
    audiencePerShare: z.number().min(0).max(1_000_000).default(200),
    /** How far ahead the current velocity is projected. */
    horizonMinutes: z.number().int().min(1).max(1440).default(60),
    /** Weight of each kind of engagement in the share velocity. */
    weights: z
      .object({
        replies: z.number().min(0).max(10).default(0.5),
        reposts: z.number().min(0).max(10).default(1),
        quotes: z.number().min(0).max(10).default(1),
        likes: z.number().min(0).max(10).default(0.1),
      })
      .strict()
      .prefault({}),
    /** Velocity is measured against the newest snapshot at least this much older than the latest. */
    velocityWindowSeconds: z.number().int().min(10).max(3600).default(120),
    /** Shortest span a velocity is divided by, so a burst seen over a few seconds is not extrapolated. */
    minVelocitySpanSeconds: z.number().int().min(1).max(3600).default(60),
    /** Audience weight of a post that is neither a complaint nor negative (praise going viral is no risk). */
    nonNegativeWeight: z.number().min(0).max(1).default(0.3),
  })
  .strict();
export type ViralPolicy = z.infer<typeof viralPolicySchema>;

export const spikePolicySchema = z
  .object({
    enabled: z.boolean().default(true),
    dimensions: z.array(z.enum(spikeDimensions)).max(3).default([...spikeDimensions]),
    /** Length of the buckets the baseline learns from and the end of a spike is judged on. */
    bucketMinutes: z.number().int().min(1).max(60).default(5),
    /** Sliding windows tested on every complaint, shortest first (multiples of 10 s). */
    windowsSeconds: z
      .array(z.number().int().min(10).max(3600).refine((s) => s % 10 === 0, 'a window is a multiple of 10 seconds'))
      .min(1)
      .max(4)
      .default([60, 300]),
    /** Half-life of the EWMA baseline: shorter follows the time of day faster, longer is steadier. */
    halfLifeMinutes: z.number().min(5).max(24 * 60).default(30),
    /** A series alerts only after watching this long (its baseline needs history). */
    warmupMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
    /** Fewest complaints in a window that can be a spike. */
    minCount: z.number().int().min(1).max(10_000).default(8),
    /** Fewest times the expected count that can be a spike. */
    minRatio: z.number().min(1).max(100).default(2.5),
    /** Poisson tail probability below which a window is a spike. */
    maxPValue: z.number().gt(0).max(0.05).default(1e-6),
    /** A closed bucket with a tail probability above this is back at baseline… */
    quietPValue: z.number().gt(0).max(0.5).default(0.01),
    /** …and so is one holding at most this many times the expected count (the baseline is frozen during a spike,
     *  and the time of day moves on: without this a spike at dawn would never end). */
    quietRatio: z.number().min(1).max(100).default(1.5),
    /** Consecutive buckets back at baseline that end a spike. */
    closeAfterQuietBuckets: z.number().int().min(1).max(100).default(2),
    /** A spike lasting longer is a new level: it ends and the baseline restarts from it. */
    maxSpikeMinutes: z.number().int().min(10).max(7 * 24 * 60).default(240),
    /** Posts whose time is older than this when they reach the detector are not counted (backfills, slow feeds). */
    maxLatenessSeconds: z.number().int().min(10).max(3600).default(300),
    /** The baseline never goes below this many complaints per hour, so a silent series is not infinitely sensitive. */
    baselineFloorPerHour: z.number().min(0).max(100_000).default(1),
  })
  .strict();
export type SpikePolicy = z.infer<typeof spikePolicySchema>;

export const engagementPolicySchema = z
  .object({
    /** Weight of each reason; 0 means the reason does not count. Positive speaks for engaging, negative against. */
    weights: z
      .object({
        addressed_to_brand: weight.default(1),
        customer_problem: weight.default(2),
        question: weight.default(1.5),
        joke: weight.default(-1.5),
        spam: weight.default(-5),
        troll: weight.default(-3),
        not_about_brand: weight.default(-3),
        answered_by_other: weight.default(-2),
      })
      .strict()
      .prefault({}),
    /** Engage when the weights of the reasons found add up to at least this. */
    engageAt: z.number().min(-50).max(50).default(1),
    /** Ignore when they add up to at most this; anything between is "monitor". */
    ignoreAt: z.number().min(-50).max(50).default(-1),
    /** The brand's handles: a post that mentions one is addressed to the brand. */
    brandHandles: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  })
  .strict()
  .refine((p) => p.ignoreAt < p.engageAt, { message: 'ignoreAt must be below engageAt', path: ['ignoreAt'] });
export type EngagementPolicy = z.infer<typeof engagementPolicySchema>;

/** A workspace's alerting and engagement policy; every part and field has a default. */
export const alertPolicySchema = z
  .object({
    viral: viralPolicySchema.prefault({}),
    spike: spikePolicySchema.prefault({}),
    engagement: engagementPolicySchema.prefault({}),
  })
  .strict();
export type AlertPolicy = z.infer<typeof alertPolicySchema>;
export type AlertPolicyInput = z.input<typeof alertPolicySchema>;

export const defaultAlertPolicy: AlertPolicy = alertPolicySchema.parse({});
