import type { Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { listRules } from '../listening/index.ts';
import { ratio } from './percentile.ts';
import type { ReportRange } from './report-range.ts';
import { buildSeries, reportHeader } from './report-series.ts';
import type { ReportGrouping, ReportSeries, SeriesReport } from './report-series.ts';
import { countVoices } from './share-of-voice.repository.ts';
import type { VoiceCount } from './share-of-voice.repository.ts';

export const shareOfVoiceMetrics = ['posts', 'share'] as const;
export type ShareOfVoiceMetric = (typeof shareOfVoiceMetrics)[number];

const brandVoice = 'brand';

/**
 * Share of voice: one series per voice (the brand, and each monitoring rule tagged competitor — name such a rule
 * after its competitor), with the posts that matched it and its share of all voices' posts in the same bucket (and
 * channel kind). Posts are public posts heard by listening channels; owned channels match no rules.
 */
export async function buildShareOfVoiceReport(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping, now: Date): Promise<SeriesReport<ShareOfVoiceMetric>> {
  if (groupBy !== 'none' && groupBy !== 'channel') {
    throw new AppError('bad_request', `share of voice is counted over public posts, which belong to no ${groupBy}: use groupBy=channel or none`);
  }
  const [counts, competitorRules] = await Promise.all([countVoices(db, workspaceId, range), listRules(db, workspaceId, { tag: 'competitor' })]);
  const voiceLabels = new Map<string, string>([[brandVoice, brandVoice], ...competitorRules.map((r): [string, string] => [r.id, r.name])]);
  const keyOf = (c: VoiceCount) => (groupBy === 'channel' ? `${c.channelKind}/${c.voice}` : c.voice);
  const labels = new Map<string, string>();
  for (const c of counts) {
    const voice = voiceLabels.get(c.voice) ?? 'deleted rule';
    labels.set(keyOf(c), groupBy === 'channel' ? `${c.channelKind} · ${voice}` : voice);
  }
  for (const [key, label] of voiceLabels) if (groupBy === 'none') labels.set(key, label);
  const series = buildSeries<VoiceCount, ShareOfVoiceMetric>({
    range,
    facts: counts,
    bucketOf: (c) => c.bucket,
    groupsOf: (c) => [keyOf(c)],
    labels,
    alwaysShow: groupBy === 'none' ? [...voiceLabels.keys()] : [],
    summarize: (cell) => ({ posts: cell.reduce((n, c) => n + c.posts, 0), share: null }),
  });
  const channelOf = groupBy === 'channel' ? (key: string) => key.slice(0, key.indexOf('/')) : () => 'all';
  fillShares(series, channelOf);
  // Per channel, the brand first, then competitors by name (the order buildSeries gave them).
  series.sort((a, b) => channelOf(a.group.key).localeCompare(channelOf(b.group.key))
    || Number(voiceOf(b.group.key) === brandVoice) - Number(voiceOf(a.group.key) === brandVoice));
  return { ...reportHeader('share-of-voice', range, groupBy, now, shareOfVoiceMetrics), series };
}

function voiceOf(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}

/** Each voice's share of the posts of all voices in the same bucket and channel (and over the whole period). */
function fillShares(series: ReportSeries<ShareOfVoiceMetric>[], channelOf: (key: string) => string): void {
  const totals = new Map<string, number>();
  const add = (key: string, posts: number | null) => totals.set(key, (totals.get(key) ?? 0) + (posts ?? 0));
  for (const s of series) {
    s.points.forEach((p, i) => add(`${channelOf(s.group.key)}#${i}`, p.values.posts));
    add(`${channelOf(s.group.key)}#total`, s.total.posts);
  }
  for (const s of series) {
    s.points.forEach((p, i) => {
      p.values.share = ratio(p.values.posts ?? 0, totals.get(`${channelOf(s.group.key)}#${i}`) ?? 0);
    });
    s.total.share = ratio(s.total.posts ?? 0, totals.get(`${channelOf(s.group.key)}#total`) ?? 0);
  }
}
