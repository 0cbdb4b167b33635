import type { Queryable } from '../../platform/db/db.ts';
import { countMessages, countOpenedCases } from './message-metrics.repository.ts';
import type { CaseCount, MessageCount } from './message-metrics.repository.ts';
import { ratio } from './percentile.ts';
import { loadGroupLabels } from './report-groups.repository.ts';
import type { ReportRange } from './report-range.ts';
import { buildSeries, reportHeader } from './report-series.ts';
import type { ReportGrouping, SeriesReport } from './report-series.ts';

export const volumeMetrics = ['inbound', 'outbound', 'casesOpened'] as const;
export type VolumeMetric = (typeof volumeMetrics)[number];

export const sentimentMetrics = ['labelled', 'negative', 'neutral', 'positive', 'negativeShare', 'netSentiment'] as const;
export type SentimentMetric = (typeof sentimentMetrics)[number];

type VolumeFact = { kind: 'message'; row: MessageCount } | { kind: 'case'; row: CaseCount };

const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0);

/**
 * Volume: customers' messages (inbound) and the brand's (outbound) by the time they were sent, and cases by the time
 * their first message arrived. By channel, a message counts in its own channel's kind and a case in the kind of the
 * channel it started on; by team or agent, both count under the case's current team or assignee.
 */
export async function buildVolumeReport(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping, now: Date): Promise<SeriesReport<VolumeMetric>> {
  const [messages, cases] = await Promise.all([countMessages(db, workspaceId, range, groupBy), countOpenedCases(db, workspaceId, range, groupBy)]);
  const facts: VolumeFact[] = [...messages.map((row) => ({ kind: 'message' as const, row })), ...cases.map((row) => ({ kind: 'case' as const, row }))];
  const labels = await loadGroupLabels(db, workspaceId, groupBy, facts.map((f) => f.row.group));
  const series = buildSeries<VolumeFact, VolumeMetric>({
    range,
    facts,
    bucketOf: (f) => f.row.bucket,
    groupsOf: (f) => [f.row.group],
    labels,
    alwaysShow: groupBy === 'none' ? ['all'] : [],
    summarize: (cell) => ({
      inbound: sum(cell, (f) => (f.kind === 'message' && f.row.direction === 'inbound' ? f.row.count : 0)),
      outbound: sum(cell, (f) => (f.kind === 'message' && f.row.direction === 'outbound' ? f.row.count : 0)),
      casesOpened: sum(cell, (f) => (f.kind === 'case' ? f.row.count : 0)),
    }),
  });
  return { ...reportHeader('volume', range, groupBy, now, volumeMetrics), series };
}

/**
 * Sentiment of customers' messages, as the classifier labelled them. `netSentiment` is (positive − negative) /
 * labelled, from −1 (all negative) to 1 (all positive).
 */
export async function buildSentimentReport(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping, now: Date): Promise<SeriesReport<SentimentMetric>> {
  const rows = (await countMessages(db, workspaceId, range, groupBy)).filter((r) => r.direction === 'inbound' && r.sentiment !== null);
  const labels = await loadGroupLabels(db, workspaceId, groupBy, rows.map((r) => r.group));
  const series = buildSeries<MessageCount, SentimentMetric>({
    range,
    facts: rows,
    bucketOf: (r) => r.bucket,
    groupsOf: (r) => [r.group],
    labels,
    alwaysShow: groupBy === 'none' ? ['all'] : [],
    summarize: (cell) => {
      const of = (sentiment: string) => sum(cell, (r) => (r.sentiment === sentiment ? r.count : 0));
      const negative = of('negative');
      const neutral = of('neutral');
      const positive = of('positive');
      const labelled = negative + neutral + positive;
      return { labelled, negative, neutral, positive, negativeShare: ratio(negative, labelled), netSentiment: ratio(positive - negative, labelled) };
    },
  });
  return { ...reportHeader('sentiment', range, groupBy, now, sentimentMetrics), series };
}
