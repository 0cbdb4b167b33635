import { csvLine } from './csv.writer.ts';
import type { EquityReport, EquityStats } from './equity.report.ts';

const header = [
  'dimension', 'group', 'severity', 'cases', 'answered', 'first_response_median_s', 'first_response_p90_s', 'resolved',
  'resolution_median_s', 'resolution_p90_s', 'unanswered', 'unanswered_age_median_s', 'unanswered_age_max_s',
] as const;

const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

function statCells(s: EquityStats): (string | number | null)[] {
  return [
    s.severity, s.cases, s.firstResponse.answered, round(s.firstResponse.medianSeconds), round(s.firstResponse.p90Seconds),
    s.resolution.resolved, round(s.resolution.medianSeconds), round(s.resolution.p90Seconds), s.unanswered.count,
    round(s.unanswered.ageMedianSeconds), round(s.unanswered.ageMaxSeconds),
  ];
}

/** The report as CSV, one row per (dimension, group, severity); the period is in the file name the route gives. */
export function equityReportCsv(report: EquityReport): string {
  let out = csvLine(header);
  for (const s of report.overall) out += csvLine(['all', 'all', ...statCells(s)]);
  for (const s of report.byChannel) out += csvLine(['channel', s.channel, ...statCells(s)]);
  for (const s of report.byReach) out += csvLine(['reach', s.label, ...statCells(s)]);
  return out;
}
