import { bucketLabel } from './report-range.ts';
import type { ReportBucket, ReportRange } from './report-range.ts';

/** Ways to split a report: not at all, by channel kind, by the case's team, by the case's assignee. */
export const reportGroupings = ['none', 'channel', 'team', 'agent'] as const;
export type ReportGrouping = (typeof reportGroupings)[number];

/** The key of the group of facts that have none (no team, unassigned, no case). */
export const noGroupKey = 'none';

export interface ReportGroup {
  key: string;
  label: string;
}

export type MetricValues<K extends string> = Record<K, number | null>;

export interface ReportPoint<K extends string> {
  /** The UTC date the bucket starts on. */
  bucketStart: string;
  values: MetricValues<K>;
}

export interface ReportSeries<K extends string> {
  group: ReportGroup;
  points: ReportPoint<K>[];
  /** The same metrics over the whole period (medians of all facts, not of the buckets' medians). */
  total: MetricValues<K>;
}

/** A report over time: one series per group, one point per bucket, empty buckets included. */
export interface SeriesReport<K extends string> {
  report: string;
  period: { from: string; to: string };
  bucket: ReportBucket;
  groupBy: string;
  generatedAt: string;
  /** The metric names, in the order of the CSV columns. */
  metrics: readonly K[];
  series: ReportSeries<K>[];
}

export interface SeriesInput<F, K extends string> {
  range: ReportRange;
  facts: readonly F[];
  /** The bucket index of a fact; facts outside the period's buckets are dropped. */
  bucketOf: (fact: F) => number;
  /** The group keys a fact counts in (several when it belongs to several groups, as a post matching two rules). */
  groupsOf: (fact: F) => readonly string[];
  labels: ReadonlyMap<string, string>;
  summarize: (facts: readonly F[]) => MetricValues<K>;
  /** Groups shown even without facts (the single `all` group of an ungrouped report). */
  alwaysShow?: readonly string[];
}

/** Sorts facts into (group, bucket) cells and summarises each cell and each group's whole period. */
export function buildSeries<F, K extends string>(input: SeriesInput<F, K>): ReportSeries<K>[] {
  const buckets = input.range.bucketStarts.length;
  const cells = new Map<string, F[][]>();
  const ensure = (key: string): F[][] => {
    let row = cells.get(key);
    if (!row) {
      row = Array.from({ length: buckets }, () => []);
      cells.set(key, row);
    }
    return row;
  };
  for (const key of input.alwaysShow ?? []) ensure(key);
  for (const fact of input.facts) {
    const b = input.bucketOf(fact);
    if (b < 0 || b >= buckets) continue;
    for (const key of new Set(input.groupsOf(fact))) ensure(key)[b].push(fact);
  }
  const labelOf = (key: string) => input.labels.get(key) ?? key;
  return [...cells.entries()]
    .sort(([a], [b]) => Number(a === noGroupKey) - Number(b === noGroupKey) || labelOf(a).localeCompare(labelOf(b)) || a.localeCompare(b))
    .map(([key, row]) => ({
      group: { key, label: labelOf(key) },
      points: row.map((facts, i) => ({ bucketStart: bucketLabel(input.range.bucketStarts[i]), values: input.summarize(facts) })),
      total: input.summarize(row.flat()),
    }));
}

export function reportHeader<K extends string>(
  report: string,
  range: ReportRange,
  groupBy: string,
  now: Date,
  metrics: readonly K[],
): Omit<SeriesReport<K>, 'series'> {
  return {
    report,
    period: { from: range.from.toISOString(), to: range.to.toISOString() },
    bucket: range.bucket,
    groupBy,
    generatedAt: now.toISOString(),
    metrics,
  };
}
