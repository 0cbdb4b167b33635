import type { Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { severities } from '../cases/index.ts';
import { queryEquity, reachBuckets } from './equity.repository.ts';
import type { EquityRow, ReachBucket } from './equity.repository.ts';

export const reachBucketLabels: Record<ReachBucket, string> = {
  none: 'none/unknown',
  '0-99': '0–99',
  '100-999': '100–999',
  '1000-9999': '1k–9,999',
  '10000-99999': '10k–99,999',
  '100000-999999': '100k–999,999',
  '1000000+': '1M+',
};

export interface EquityStats {
  severity: string;
  cases: number;
  firstResponse: { answered: number; medianSeconds: number | null; p90Seconds: number | null };
  resolution: { resolved: number; medianSeconds: number | null; p90Seconds: number | null };
  /** Cases nobody has answered yet: never dropped from the report, measured by how long they have waited so far. */
  unanswered: { count: number; ageMedianSeconds: number | null; ageMaxSeconds: number | null };
}

export interface EquityGap {
  severity: string;
  /** (slowest median first response − fastest) / fastest, among groups with enough answered cases. */
  gap: number | null;
  fastest: { group: string; medianSeconds: number } | null;
  slowest: { group: string; medianSeconds: number } | null;
  groupsCompared: number;
}

export interface EquityReport {
  period: { from: string; to: string };
  generatedAt: string;
  overall: EquityStats[];
  byChannel: (EquityStats & { channel: string })[];
  byReach: (EquityStats & { bucket: ReachBucket; label: string })[];
  /** Largest gap in median first response between channels, and between reach buckets, at equal severity. */
  gaps: { minAnswered: number; channel: EquityGap[]; reach: EquityGap[] };
}

export interface EquityPeriod {
  from: Date;
  to: Date;
}

const dayMs = 86_400_000;
export const defaultPeriodDays = 30;
export const maxPeriodDays = 731;
// Medians of fewer answered cases than this are too noisy to call a gap.
export const minAnsweredForGap = 5;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(text: string, field: 'from' | 'to'): { at: Date; dateOnly: boolean } {
  const at = new Date(dateOnly.test(text) ? `${text}T00:00:00.000Z` : text);
  if (Number.isNaN(at.getTime())) throw new AppError('bad_request', `${field} must be an ISO date (2026-01-31) or date-time`);
  return { at, dateOnly: dateOnly.test(text) };
}

/**
 * The report period: `from` inclusive, `to` exclusive — a bare date for `to` means "through the end of that day"
 * (UTC). Without them, the 30 days up to now.
 */
export function resolvePeriod(query: { from?: string; to?: string }, now: Date): EquityPeriod {
  let to = now;
  if (query.to) {
    const parsed = parseInstant(query.to, 'to');
    to = parsed.dateOnly ? new Date(parsed.at.getTime() + dayMs) : parsed.at;
  }
  const from = query.from ? parseInstant(query.from, 'from').at : new Date(to.getTime() - defaultPeriodDays * dayMs);
  if (from.getTime() >= to.getTime()) throw new AppError('bad_request', 'from must be before to');
  if (to.getTime() - from.getTime() > maxPeriodDays * dayMs) throw new AppError('bad_request', `the period may span at most ${maxPeriodDays} days`);
  return { from, to };
}

function statsOf(row: EquityRow): EquityStats {
  return {
    severity: row.severity,
    cases: row.cases,
    firstResponse: { answered: row.answered, medianSeconds: row.firstResponseP50, p90Seconds: row.firstResponseP90 },
    resolution: { resolved: row.resolved, medianSeconds: row.resolutionP50, p90Seconds: row.resolutionP90 },
    unanswered: { count: row.unanswered, ageMedianSeconds: row.unansweredAgeP50, ageMaxSeconds: row.unansweredAgeMax },
  };
}

function severityIndex(severity: string): number {
  const i = severities.findIndex((s) => s === severity);
  return i === -1 ? severities.length : i;
}

function isReachBucket(value: string): value is ReachBucket {
  return reachBuckets.some((b) => b === value);
}

function gapsOf(rows: EquityRow[]): EquityGap[] {
  const bySeverity = new Map<string, EquityRow[]>();
  for (const row of rows) bySeverity.set(row.severity, [...(bySeverity.get(row.severity) ?? []), row]);
  return [...bySeverity.entries()]
    .sort(([a], [b]) => severityIndex(a) - severityIndex(b))
    .map(([severity, group]) => {
      const measured = group
        .filter((r) => r.answered >= minAnsweredForGap && r.firstResponseP50 !== null)
        .map((r) => ({ group: r.group, medianSeconds: r.firstResponseP50 ?? 0 }))
        .sort((a, b) => a.medianSeconds - b.medianSeconds);
      const fastest = measured[0] ?? null;
      const slowest = measured.at(-1) ?? null;
      const gap = fastest && slowest && measured.length >= 2 && fastest.medianSeconds > 0
        ? (slowest.medianSeconds - fastest.medianSeconds) / fastest.medianSeconds
        : null;
      return { severity, gap, fastest: measured.length >= 2 ? fastest : null, slowest: measured.length >= 2 ? slowest : null, groupsCompared: measured.length };
    });
}

/** The equity report: does a phone caller wait as long as a customer with a million followers, at equal severity? */
export async function buildEquityReport(db: Queryable, workspaceId: string, period: EquityPeriod, now: Date): Promise<EquityReport> {
  const rows = await queryEquity(db, workspaceId, { ...period, now });
  const bySeverity = (a: EquityRow, b: EquityRow) => severityIndex(a.severity) - severityIndex(b.severity);
  const channelRows = rows.filter((r) => r.dimension === 'channel');
  const reachRows = rows.filter((r) => r.dimension === 'reach');
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    generatedAt: now.toISOString(),
    overall: rows.filter((r) => r.dimension === 'all').sort(bySeverity).map(statsOf),
    byChannel: [...channelRows]
      .sort((a, b) => a.group.localeCompare(b.group) || bySeverity(a, b))
      .map((r) => ({ channel: r.group, ...statsOf(r) })),
    byReach: reachRows
      .filter((r) => isReachBucket(r.group))
      .sort((a, b) => reachBuckets.findIndex((x) => x === a.group) - reachBuckets.findIndex((x) => x === b.group) || bySeverity(a, b))
      .flatMap((r) => (isReachBucket(r.group) ? [{ bucket: r.group, label: reachBucketLabels[r.group], ...statsOf(r) }] : [])),
    gaps: { minAnswered: minAnsweredForGap, channel: gapsOf(channelRows), reach: gapsOf(reachRows) },
  };
}
