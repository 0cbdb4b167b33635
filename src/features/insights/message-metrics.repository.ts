import type { Queryable } from '../../platform/db/db.ts';
import { groupKeyOf, groupKeySql } from './report-groups.repository.ts';
import type { ReportRange } from './report-range.ts';
import type { ReportGrouping } from './report-series.ts';

export interface MessageCount {
  bucket: number;
  group: string;
  direction: 'inbound' | 'outbound';
  /** The classifier's sentiment of an inbound message; null for the brand's own messages. */
  sentiment: string | null;
  count: number;
}

export interface CaseCount {
  bucket: number;
  group: string;
  count: number;
}

// Buckets are fixed-length (UTC days or weeks) from the range's origin, so the bucket is plain arithmetic on the
// epoch: no dependence on the database session's time zone.
const bucketSql = (column: string) => `floor(extract(epoch FROM (${column} - $4::timestamptz))::float8 / $5::float8)::int`;

/** Messages sent in the period, counted per bucket, group, direction and sentiment. */
export async function countMessages(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping): Promise<MessageCount[]> {
  const rows = await db.query<{ bucket: number; grp: string | null; direction: 'inbound' | 'outbound'; sentiment: string | null; n: number | string }>(
    `SELECT ${bucketSql('m.sent_at')} AS bucket, ${groupKeySql(groupBy, 'message')} AS grp, m.direction,
       m.labels->>'sentiment' AS sentiment, count(*) AS n
     FROM message m
     JOIN channel ch ON ch.workspace_id = m.workspace_id AND ch.id = m.channel_id
     LEFT JOIN cases c ON c.workspace_id = m.workspace_id AND c.id = m.case_id
     WHERE m.workspace_id = $1 AND m.sent_at >= $2 AND m.sent_at < $3
     GROUP BY 1, 2, 3, 4`,
    [workspaceId, range.from, range.to, range.origin, range.bucketMs / 1000],
  );
  return rows.map((r) => ({ bucket: Number(r.bucket), group: groupKeyOf(r.grp), direction: r.direction, sentiment: r.sentiment, count: Number(r.n) }));
}

/** Cases whose first message fell in the period, counted per bucket and group. */
export async function countOpenedCases(db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping): Promise<CaseCount[]> {
  const rows = await db.query<{ bucket: number; grp: string | null; n: number | string }>(
    `SELECT ${bucketSql('c.first_message_at')} AS bucket, ${groupKeySql(groupBy, 'case')} AS grp, count(*) AS n
     FROM cases c
     WHERE c.workspace_id = $1 AND c.first_message_at >= $2 AND c.first_message_at < $3
     GROUP BY 1, 2`,
    [workspaceId, range.from, range.to, range.origin, range.bucketMs / 1000],
  );
  return rows.map((r) => ({ bucket: Number(r.bucket), group: groupKeyOf(r.grp), count: Number(r.n) }));
}
