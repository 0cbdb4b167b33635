import type { Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { countWeek, phrasesOf, risingPhrases, trendOf } from './phrase.extractor.ts';
import type { WeekCounts } from './phrase.extractor.ts';
import { ratio } from './percentile.ts';
import { bucketLabel } from './report-range.ts';
import { listComplaintPosts } from './voice-of-customer.repository.ts';
import type { ComplaintPost } from './voice-of-customer.repository.ts';

const dayMs = 86_400_000;
const weekMs = 7 * dayMs;
const examplesPerItem = 3;
const excerptLength = 280;
const noTopic = 'none';

export interface VoiceOfCustomerOptions {
  /** Any date (YYYY-MM-DD) of the ISO week to report; default the last complete week. */
  week?: string;
  /** Previous weeks forming the baseline. */
  baselineWeeks: number;
  minSupport: number;
  minLift: number;
  limit: number;
}

export interface ExamplePost {
  messageId: string;
  caseId: string | null;
  channelKind: string;
  sentAt: string;
  text: string;
}

export interface TopicTrend {
  topic: string;
  posts: number;
  /** Share of this week's complaints. */
  share: number | null;
  expected: number;
  lift: number;
  /** Posts per week, oldest baseline week first, this week last. */
  weekly: { weekStart: string; posts: number }[];
  examples: ExamplePost[];
}

export interface RisingPhrase {
  phrase: string;
  posts: number;
  expected: number;
  lift: number;
  examples: ExamplePost[];
}

export interface VoiceOfCustomerReport {
  week: { start: string; end: string };
  generatedAt: string;
  method: { baselineWeeks: number; minSupport: number; minLift: number; maxPhraseWords: number; weights: string; lift: string };
  complaints: number;
  baseline: { weekStart: string; complaints: number }[];
  topics: TopicTrend[];
  risingPhrases: RisingPhrase[];
}

function startOfIsoWeek(at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return new Date(midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * dayMs);
}

/** The Monday (UTC) starting the report week: the week of `week`, or the last complete week before `now`. */
export function resolveReportWeek(week: string | undefined, now: Date): Date {
  if (week === undefined) return new Date(startOfIsoWeek(now).getTime() - weekMs);
  const at = new Date(`${week}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(week) || Number.isNaN(at.getTime()) || !at.toISOString().startsWith(week)) {
    throw new AppError('bad_request', 'week must be a date (YYYY-MM-DD) in the week to report');
  }
  const start = startOfIsoWeek(at);
  if (start.getTime() > now.getTime()) throw new AppError('bad_request', 'week has not started yet');
  return start;
}

function example(post: ComplaintPost): ExamplePost {
  const text = post.text.length > excerptLength ? `${post.text.slice(0, excerptLength - 1)}…` : post.text;
  return { messageId: post.messageId, caseId: post.caseId, channelKind: post.channelKind, sentAt: post.sentAt.toISOString(), text };
}

function topicsOf(post: ComplaintPost): string[] {
  return post.topics.length > 0 ? post.topics : [noTopic];
}

/**
 * Voice of the customer for one week: the complaint topics (posts, share, and lift over the baseline) and the
 * rising phrases, each with example posts. Method (docs/REPORTS.md): phrases are runs of 1–3 words not starting or
 * ending with a function word, counted once per post; an item's baseline rate is its share of the posts of each
 * previous week weighted 1, ½, ¼…; expected = baseline rate × this week's posts; lift = (posts + 1) / (expected + 1).
 */
export async function buildVoiceOfCustomerReport(db: Queryable, workspaceId: string, options: VoiceOfCustomerOptions, now: Date): Promise<VoiceOfCustomerReport> {
  const start = resolveReportWeek(options.week, now);
  const end = new Date(start.getTime() + weekMs);
  const earliest = new Date(start.getTime() - options.baselineWeeks * weekMs);
  const posts = await listComplaintPosts(db, workspaceId, { from: earliest, to: end });

  // weeks[0] is the report week, weeks[k] the k-th week before it.
  const weeks: ComplaintPost[][] = Array.from({ length: options.baselineWeeks + 1 }, () => []);
  for (const post of posts) {
    const k = Math.floor((end.getTime() - 1 - post.sentAt.getTime()) / weekMs);
    if (k >= 0 && k < weeks.length) weeks[k].push(post);
  }
  const phraseSets = new Map(posts.map((p) => [p.messageId, phrasesOf(p.text)]));
  const phraseCounts: WeekCounts[] = weeks.map((w) => countWeek(w, (p) => phraseSets.get(p.messageId) ?? []));
  const topicCounts: WeekCounts[] = weeks.map((w) => countWeek(w, topicsOf));
  const weekStart = (k: number) => bucketLabel(new Date(start.getTime() - k * weekMs));
  const current = weeks[0];

  const topics: TopicTrend[] = [...topicCounts[0].counts.keys()]
    .map((topic) => {
      const trend = trendOf(topic, topicCounts[0], topicCounts.slice(1));
      return {
        topic,
        posts: trend.posts,
        share: ratio(trend.posts, current.length),
        expected: trend.expected,
        lift: trend.lift,
        weekly: topicCounts.map((w, k) => ({ weekStart: weekStart(k), posts: w.counts.get(topic) ?? 0 })).reverse(),
        examples: current.filter((p) => topicsOf(p).includes(topic)).slice(0, examplesPerItem).map(example),
      };
    })
    .sort((a, b) => b.posts - a.posts || b.lift - a.lift || a.topic.localeCompare(b.topic))
    .slice(0, options.limit);

  const rising = risingPhrases(phraseCounts[0], phraseCounts.slice(1), options).map((t) => ({
    phrase: t.item,
    posts: t.posts,
    expected: t.expected,
    lift: t.lift,
    examples: current.filter((p) => phraseSets.get(p.messageId)?.has(t.item)).slice(0, examplesPerItem).map(example),
  }));

  return {
    week: { start: start.toISOString(), end: end.toISOString() },
    generatedAt: now.toISOString(),
    method: {
      baselineWeeks: options.baselineWeeks,
      minSupport: options.minSupport,
      minLift: options.minLift,
      maxPhraseWords: 3,
      weights: 'previous weeks weighted 1, 1/2, 1/4, … (most recent first), weeks without complaints left out',
      lift: '(posts + 1) / (baseline share × posts this week + 1)',
    },
    complaints: current.length,
    baseline: weeks.slice(1).map((w, i) => ({ weekStart: weekStart(i + 1), complaints: w.length })),
    topics,
    risingPhrases: rising,
  };
}
