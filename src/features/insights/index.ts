export { buildEquityReport, resolvePeriod, reachBucketLabels, defaultPeriodDays, maxPeriodDays, minAnsweredForGap } from './equity.report.ts';
export type { EquityReport, EquityStats, EquityGap, EquityPeriod } from './equity.report.ts';
export { reachBuckets } from './equity.repository.ts';
export type { ReachBucket } from './equity.repository.ts';
export { equityReportCsv } from './equity.csv.ts';
export { csvCell, csvLine } from './csv.writer.ts';
