import type { Queryable } from '../../platform/db/db.ts';
import { addBusinessMinutes, loadCasePolicies } from '../cases/index.ts';
import type { BusinessCalendar, SlaPolicy } from '../cases/index.ts';
import { listRules } from '../listening/index.ts';
import { calendarOfPolicy } from './case-times.report.ts';
import { listHeardComplaints } from './heard-unanswered.repository.ts';
import type { HeardComplaint } from './heard-unanswered.repository.ts';
import { ratio } from './percentile.ts';
import { bucketIndexOf } from './report-range.ts';
import type { ReportRange } from './report-range.ts';
import { buildSeries, noGroupKey, reportHeader } from './report-series.ts';
import type { SeriesReport } from './report-series.ts';

export const heardGroupings = ['none', 'channel', 'rule', 'topic'] as const;
export type HeardGrouping = (typeof heardGroupings)[number];

export const heardMetrics = ['heard', 'answeredInSla', 'answeredLate', 'unanswered', 'pending', 'missedShare'] as const;
export type HeardMetric = (typeof heardMetrics)[number];

export type HeardOutcome = 'answered_in_sla' | 'answered_late' | 'unanswered' | 'pending';

interface JudgedComplaint {
  complaint: HeardComplaint;
  outcome: HeardOutcome;
}

/**
 * Was a heard complaint answered within the SLA? Its deadline is the SLA target of its case's priority counted in
 * business time from the moment it was posted: the first-response target, or the next-response target when the brand
 * had already spoken on the case. Answered by then → in SLA; later → late; not at all and the deadline has passed →
 * unanswered; otherwise still pending (left out of the share).
 */
export function judgeComplaint(c: HeardComplaint, sla: SlaPolicy, calendar: BusinessCalendar, now: Date): HeardOutcome {
  const targets = sla.targets[c.priority];
  const deadline = addBusinessMinutes(c.sentAt, c.answeredBefore ? targets.nextResponse : targets.firstResponse, calendar);
  if (c.answeredAt) return c.answeredAt.getTime() <= deadline.getTime() ? 'answered_in_sla' : 'answered_late';
  return deadline.getTime() <= now.getTime() ? 'unanswered' : 'pending';
}

function groupsOf(c: HeardComplaint, groupBy: HeardGrouping): string[] {
  switch (groupBy) {
    case 'none':
      return ['all'];
    case 'channel':
      return [c.channelKind];
    case 'rule':
      return c.ruleIds.length > 0 ? c.ruleIds : [noGroupKey];
    case 'topic':
      return c.topics.length > 0 ? c.topics : [noGroupKey];
    default: {
      const unknownGrouping: never = groupBy;
      throw new Error(`unknown grouping ${String(unknownGrouping)}`);
    }
  }
}

/**
 * Heard but unanswered: of the complaints Parley heard on the open web (inbound posts that matched a monitoring
 * rule and were classified as complaints), the share that got no reply within the SLA — `missedShare` =
 * (answeredLate + unanswered) / (heard − pending). A post matching two rules or carrying two topics counts in each.
 */
export async function buildHeardUnansweredReport(db: Queryable, workspaceId: string, range: ReportRange, groupBy: HeardGrouping, now: Date): Promise<SeriesReport<HeardMetric>> {
  const [complaints, policies, rules] = await Promise.all([
    listHeardComplaints(db, workspaceId, range),
    loadCasePolicies(db, workspaceId),
    groupBy === 'rule' ? listRules(db, workspaceId) : Promise.resolve([]),
  ]);
  const calendar = calendarOfPolicy(policies.sla);
  const judged: JudgedComplaint[] = complaints.map((complaint) => ({ complaint, outcome: judgeComplaint(complaint, policies.sla, calendar, now) }));
  const labels = new Map<string, string>([[noGroupKey, groupBy === 'rule' ? 'no rule' : 'no topic'], ['all', 'all']]);
  for (const rule of rules) labels.set(rule.id, rule.name);
  const series = buildSeries<JudgedComplaint, HeardMetric>({
    range,
    facts: judged,
    bucketOf: (j) => bucketIndexOf(range, j.complaint.sentAt),
    groupsOf: (j) => groupsOf(j.complaint, groupBy),
    labels,
    alwaysShow: groupBy === 'none' ? ['all'] : [],
    summarize: (cell) => {
      const of = (outcome: HeardOutcome) => cell.filter((j) => j.outcome === outcome).length;
      const late = of('answered_late');
      const unanswered = of('unanswered');
      const pending = of('pending');
      return {
        heard: cell.length,
        answeredInSla: of('answered_in_sla'),
        answeredLate: late,
        unanswered,
        pending,
        missedShare: ratio(late + unanswered, cell.length - pending),
      };
    },
  });
  return { ...reportHeader('heard-unanswered', range, groupBy, now, heardMetrics), series };
}
