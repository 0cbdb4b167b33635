import { csvDocument } from './csv.writer.ts';
import type { CsvValue } from './csv.writer.ts';
import type { SeriesReport } from './report-series.ts';
import type { VoiceOfCustomerReport } from './voice-of-customer.report.ts';

function snakeCase(name: string): string {
  return name.replace(/[A-Z0-9]+/g, (m) => `_${m.toLowerCase()}`);
}

/**
 * A time-series report as CSV: one row per (group, bucket), then one `total` row per group. Group labels are team
 * and agent names and rule names typed by people, so every cell goes through the formula-injection guard.
 */
export function seriesReportCsv<K extends string>(report: SeriesReport<K>): string {
  const header = ['bucket_start', 'group_by', 'group_key', 'group_label', ...report.metrics.map(snakeCase)];
  const rows: CsvValue[][] = [];
  for (const s of report.series) {
    for (const p of s.points) rows.push([p.bucketStart, report.groupBy, s.group.key, s.group.label, ...report.metrics.map((m) => p.values[m])]);
    rows.push(['total', report.groupBy, s.group.key, s.group.label, ...report.metrics.map((m) => s.total[m])]);
  }
  return csvDocument(header, rows);
}

/** Topics, then rising phrases, each with up to three example posts (customers' words: guarded like every cell). */
export function voiceOfCustomerCsv(report: VoiceOfCustomerReport): string {
  const header = ['week_start', 'section', 'item', 'posts', 'share', 'expected', 'lift', 'example_1', 'example_2', 'example_3'];
  const week = report.week.start.slice(0, 10);
  const examples = (list: { text: string }[]) => [0, 1, 2].map((i) => list[i]?.text ?? null);
  const rows: CsvValue[][] = [
    ...report.topics.map((t) => [week, 'topic', t.topic, t.posts, t.share, t.expected, t.lift, ...examples(t.examples)]),
    ...report.risingPhrases.map((p) => [week, 'phrase', p.phrase, p.posts, null, p.expected, p.lift, ...examples(p.examples)]),
  ];
  return csvDocument(header, rows);
}

/** The file name a report is downloaded as. */
export function reportFileName(report: string, from: string, to: string): string {
  return `${report}-${from.slice(0, 10)}-${to.slice(0, 10)}.csv`;
}
