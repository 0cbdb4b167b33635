import type { Queryable } from '../../platform/db/db.ts';
import type { ReportRange } from './report-range.ts';

export interface VoiceCount {
  bucket: number;
  channelKind: string;
  /** `brand`, or the id of a monitoring rule tagged competitor. */
  voice: string;
  posts: number;
}

/**
 * Matched public posts per bucket, channel kind and voice: the brand's (posts that matched any rule tagged brand or
 * product, each post once) and each competitor rule's (posts that matched it). A post naming the brand and a
 * competitor counts for both.
 */
export async function countVoices(db: Queryable, workspaceId: string, range: ReportRange): Promise<VoiceCount[]> {
  const rows = await db.query<{ bucket: number; channel_kind: string; voice: string; posts: number | string }>(
    `WITH matched AS (
       SELECT m.id, floor(extract(epoch FROM (m.sent_at - $4::timestamptz))::float8 / $5::float8)::int AS bucket,
         ch.kind AS channel_kind, r.id::text AS rule_id, r.tag
       FROM message m
       JOIN channel ch ON ch.workspace_id = m.workspace_id AND ch.id = m.channel_id
       JOIN monitoring_rule r ON r.workspace_id = m.workspace_id AND r.id::text = ANY (m.matched_rule_ids)
       WHERE m.workspace_id = $1 AND m.direction = 'inbound' AND m.sent_at >= $2 AND m.sent_at < $3
         AND cardinality(m.matched_rule_ids) > 0 AND r.tag IN ('brand', 'product', 'competitor')
     )
     SELECT bucket, channel_kind, 'brand' AS voice, count(DISTINCT id) AS posts FROM matched
       WHERE tag IN ('brand', 'product') GROUP BY bucket, channel_kind
     UNION ALL
     SELECT bucket, channel_kind, rule_id, count(DISTINCT id) FROM matched
       WHERE tag = 'competitor' GROUP BY bucket, channel_kind, rule_id`,
    [workspaceId, range.from, range.to, range.origin, range.bucketMs / 1000],
  );
  return rows.map((r) => ({ bucket: Number(r.bucket), channelKind: r.channel_kind, voice: r.voice, posts: Number(r.posts) }));
}
