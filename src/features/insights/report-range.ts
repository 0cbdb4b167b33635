import { AppError } from '../../platform/errors.ts';
import { resolvePeriod } from './equity.report.ts';

export const reportBuckets = ['day', 'week'] as const;
export type ReportBucket = (typeof reportBuckets)[number];

const dayMs = 86_400_000;
const bucketMs: Record<ReportBucket, number> = { day: dayMs, week: 7 * dayMs };

/** The longest period a report may cover, per bucket size: a year of days, two years of weeks. */
export const maxReportDays: Record<ReportBucket, number> = { day: 366, week: 731 };

/**
 * A report's period cut into buckets. Buckets are UTC days, or ISO weeks starting Monday 00:00 UTC; the first and
 * last may be cut short by the period, which is always [from, to).
 */
export interface ReportRange {
  from: Date;
  to: Date;
  bucket: ReportBucket;
  /** The start of the first bucket (on or before `from`). */
  origin: Date;
  bucketMs: number;
  /** Start of every bucket that overlaps the period, in order. */
  bucketStarts: Date[];
}

function startOfBucket(at: Date, bucket: ReportBucket): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  if (bucket === 'day') return new Date(midnight);
  // getUTCDay: 0 = Sunday; an ISO week starts on Monday.
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * dayMs);
}

/** The period (same rules as the equity report: `from` inclusive, a bare `to` date through that day) and its buckets. */
export function resolveReportRange(query: { from?: string; to?: string }, bucket: ReportBucket, now: Date): ReportRange {
  const { from, to } = resolvePeriod(query, now);
  const days = (to.getTime() - from.getTime()) / dayMs;
  if (days > maxReportDays[bucket]) {
    throw new AppError(
      'bad_request',
      `the period spans ${Math.ceil(days)} days; ${bucket} buckets allow at most ${maxReportDays[bucket]} days${bucket === 'day' ? ' (use bucket=week)' : ''}`,
    );
  }
  const origin = startOfBucket(from, bucket);
  const size = bucketMs[bucket];
  const bucketStarts: Date[] = [];
  for (let start = origin.getTime(); start < to.getTime(); start += size) bucketStarts.push(new Date(start));
  return { from, to, bucket, origin, bucketMs: size, bucketStarts };
}

/** Which bucket an instant of the period falls in (0-based). */
export function bucketIndexOf(range: ReportRange, at: Date): number {
  return Math.floor((at.getTime() - range.origin.getTime()) / range.bucketMs);
}

/** A bucket's label: the date it starts on. */
export function bucketLabel(start: Date): string {
  return start.toISOString().slice(0, 10);
}
