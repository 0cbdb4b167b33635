import type { Queryable } from '../../platform/db/db.ts';
import { businessMinutesBetween, loadCasePolicies } from '../cases/index.ts';
import type { BusinessCalendar, SlaPolicy } from '../cases/index.ts';
import { listCaseTimes } from './case-times.repository.ts';
import type { CaseTimes } from './case-times.repository.ts';
import { percentile, ratio } from './percentile.ts';
import { loadGroupLabels } from './report-groups.repository.ts';
import { bucketIndexOf } from './report-range.ts';
import type { ReportRange } from './report-range.ts';
import { buildSeries, reportHeader } from './report-series.ts';
import type { ReportGrouping, SeriesReport } from './report-series.ts';

export const responseTimeMetrics = [
  'cases', 'answered', 'unanswered',
  'firstResponseMedianSeconds', 'firstResponseP90Seconds', 'firstResponseBusinessMedianMinutes', 'firstResponseBusinessP90Minutes',
  'resolved', 'resolutionMedianSeconds', 'resolutionP90Seconds', 'resolutionBusinessMedianMinutes', 'resolutionBusinessP90Minutes',
] as const;
export type ResponseTimeMetric = (typeof responseTimeMetrics)[number];

export const slaMetrics = [
  'cases',
  'firstResponseMet', 'firstResponseMissed', 'firstResponsePending', 'firstResponseAttainment',
  'resolutionMet', 'resolutionMissed', 'resolutionPending', 'resolutionAttainment',
] as const;
export type SlaMetric = (typeof slaMetrics)[number];

type Outcome = 'met' | 'missed' | 'pending' | 'none';

interface MeasuredCase {
  bucket: number;
  group: string;
  firstResponseSeconds: number | null;
  firstResponseBusinessMinutes: number | null;
  resolutionSeconds: number | null;
  resolutionBusinessMinutes: number | null;
  firstResponse: Outcome;
  resolution: Outcome;
}

/** The workspace's business calendar, as the SLA policy defines it (docs/FAIRNESS.md). */
export function calendarOfPolicy(sla: SlaPolicy): BusinessCalendar {
  const { mon, tue, wed, thu, fri, sat, sun } = sla.businessHours;
  return { timeZone: sla.timeZone, hours: { mon, tue, wed, thu, fri, sat, sun }, holidays: sla.holidays };
}

/**
 * A target is met when the event happened by its due time and missed when it happened later or has not happened
 * and the due time has passed; until then it is pending. Due times are the case's own, computed in business time
 * with pauses and escalation already applied, so attainment agrees with the breaches the SLA timer records.
 */
export function outcomeOf(doneAt: Date | null, dueAt: Date | null, now: Date): Outcome {
  if (!dueAt) return 'none';
  if (doneAt) return doneAt.getTime() <= dueAt.getTime() ? 'met' : 'missed';
  return dueAt.getTime() <= now.getTime() ? 'missed' : 'pending';
}

function measure(c: CaseTimes, range: ReportRange, calendar: BusinessCalendar, now: Date): MeasuredCase {
  const seconds = (end: Date | null) => (end ? (end.getTime() - c.firstMessageAt.getTime()) / 1000 : null);
  const business = (end: Date | null) => (end ? businessMinutesBetween(c.firstMessageAt, end, calendar) : null);
  return {
    bucket: bucketIndexOf(range, c.firstMessageAt),
    group: c.group,
    firstResponseSeconds: seconds(c.firstRespondedAt),
    firstResponseBusinessMinutes: business(c.firstRespondedAt),
    resolutionSeconds: seconds(c.resolvedAt),
    resolutionBusinessMinutes: business(c.resolvedAt),
    firstResponse: outcomeOf(c.firstRespondedAt, c.firstResponseDueAt, now),
    resolution: outcomeOf(c.resolvedAt, c.resolutionDueAt, now),
  };
}

async function measuredCases(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping, now: Date) {
  const [cases, policies] = await Promise.all([listCaseTimes(db, workspaceId, range, groupBy), loadCasePolicies(db, workspaceId)]);
  const calendar = calendarOfPolicy(policies.sla);
  const measured = cases.map((c) => measure(c, range, calendar, now));
  const labels = await loadGroupLabels(db, workspaceId, groupBy, measured.map((m) => m.group));
  return { measured, labels };
}

const present = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null);

/**
 * First-response and resolution times of the cases that started in each bucket (a cohort by arrival, like the
 * equity report): elapsed seconds and business minutes in the workspace's SLA calendar, median and p90.
 */
export async function buildResponseTimeReport(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping, now: Date): Promise<SeriesReport<ResponseTimeMetric>> {
  const { measured, labels } = await measuredCases(db, workspaceId, range, groupBy, now);
  const series = buildSeries<MeasuredCase, ResponseTimeMetric>({
    range,
    facts: measured,
    bucketOf: (m) => m.bucket,
    groupsOf: (m) => [m.group],
    labels,
    alwaysShow: groupBy === 'none' ? ['all'] : [],
    summarize: (cell) => {
      const first = present(cell.map((m) => m.firstResponseSeconds));
      const firstBusiness = present(cell.map((m) => m.firstResponseBusinessMinutes));
      const resolution = present(cell.map((m) => m.resolutionSeconds));
      const resolutionBusiness = present(cell.map((m) => m.resolutionBusinessMinutes));
      return {
        cases: cell.length,
        answered: first.length,
        unanswered: cell.length - first.length,
        firstResponseMedianSeconds: percentile(first, 0.5),
        firstResponseP90Seconds: percentile(first, 0.9),
        firstResponseBusinessMedianMinutes: percentile(firstBusiness, 0.5),
        firstResponseBusinessP90Minutes: percentile(firstBusiness, 0.9),
        resolved: resolution.length,
        resolutionMedianSeconds: percentile(resolution, 0.5),
        resolutionP90Seconds: percentile(resolution, 0.9),
        resolutionBusinessMedianMinutes: percentile(resolutionBusiness, 0.5),
        resolutionBusinessP90Minutes: percentile(resolutionBusiness, 0.9),
      };
    },
  });
  return { ...reportHeader('response-times', range, groupBy, now, responseTimeMetrics), series };
}

/** SLA attainment of the cases that started in each bucket: met / (met + missed), pending ones left out. */
export async function buildSlaReport(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping, now: Date): Promise<SeriesReport<SlaMetric>> {
  const { measured, labels } = await measuredCases(db, workspaceId, range, groupBy, now);
  const count = (cell: readonly MeasuredCase[], target: 'firstResponse' | 'resolution', outcome: Outcome) => cell.filter((m) => m[target] === outcome).length;
  const series = buildSeries<MeasuredCase, SlaMetric>({
    range,
    facts: measured,
    bucketOf: (m) => m.bucket,
    groupsOf: (m) => [m.group],
    labels,
    alwaysShow: groupBy === 'none' ? ['all'] : [],
    summarize: (cell) => {
      const firstMet = count(cell, 'firstResponse', 'met');
      const firstMissed = count(cell, 'firstResponse', 'missed');
      const resolutionMet = count(cell, 'resolution', 'met');
      const resolutionMissed = count(cell, 'resolution', 'missed');
      return {
        cases: cell.length,
        firstResponseMet: firstMet,
        firstResponseMissed: firstMissed,
        firstResponsePending: count(cell, 'firstResponse', 'pending'),
        firstResponseAttainment: ratio(firstMet, firstMet + firstMissed),
        resolutionMet,
        resolutionMissed,
        resolutionPending: count(cell, 'resolution', 'pending'),
        resolutionAttainment: ratio(resolutionMet, resolutionMet + resolutionMissed),
      };
    },
  });
  return { ...reportHeader('sla', range, groupBy, now, slaMetrics), series };
}
