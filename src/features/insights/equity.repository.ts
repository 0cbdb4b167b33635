import type { Queryable } from '../../platform/db/db.ts';

/** Follower-count buckets, low to high; customers without any follower count (phone, email) are 'none'. */
export const reachBuckets = ['none', '0-99', '100-999', '1000-9999', '10000-99999', '100000-999999', '1000000+'] as const;
export type ReachBucket = (typeof reachBuckets)[number];

export type EquityDimension = 'all' | 'channel' | 'reach';

export interface EquityRow {
  dimension: EquityDimension;
  group: string;
  severity: string;
  cases: number;
  answered: number;
  firstResponseP50: number | null;
  firstResponseP90: number | null;
  resolved: number;
  resolutionP50: number | null;
  resolutionP90: number | null;
  unanswered: number;
  unansweredAgeP50: number | null;
  unansweredAgeMax: number | null;
}

interface RawRow extends Record<string, unknown> {
  dimension: EquityDimension;
  grp: string;
  severity: string;
  cases: number | string;
  answered: number | string;
  frt_p50: number | null;
  frt_p90: number | null;
  resolved: number | string;
  res_p50: number | null;
  res_p90: number | null;
  unanswered: number | string;
  wait_p50: number | null;
  wait_max: number | null;
}

// Interpolated percentiles carry float noise (8640.000000000002): seconds are reported to the millisecond.
const num = (v: number | string | null): number | null => (v === null ? null : Math.round(Number(v) * 1000) / 1000);

/**
 * Response and resolution times of the cases whose first message fell in [from, to), grouped by severity and by
 * channel kind, by the reach bucket of the case's customer (their authors' largest follower count, read now), and
 * overall. Times are seconds from the first message; unanswered cases are counted with their age at `now`.
 */
export async function queryEquity(db: Queryable, workspaceId: string, period: { from: Date; to: Date; now: Date }): Promise<EquityRow[]> {
  const rows = await db.query<RawRow>(
    `WITH period AS (
       SELECT c.channel_kind, c.severity, c.first_message_at, c.first_responded_at, c.resolved_at,
         (SELECT max(a.follower_count) FROM author a WHERE a.workspace_id = c.workspace_id AND a.customer_id = c.customer_id) AS reach
       FROM cases c
       WHERE c.workspace_id = $1 AND c.first_message_at >= $2 AND c.first_message_at < $3
     ), measured AS (
       SELECT channel_kind, severity,
         CASE WHEN reach IS NULL THEN 'none'
              WHEN reach < 100 THEN '0-99'
              WHEN reach < 1000 THEN '100-999'
              WHEN reach < 10000 THEN '1000-9999'
              WHEN reach < 100000 THEN '10000-99999'
              WHEN reach < 1000000 THEN '100000-999999'
              ELSE '1000000+' END AS bucket,
         EXTRACT(EPOCH FROM (first_responded_at - first_message_at))::float8 AS first_response_s,
         EXTRACT(EPOCH FROM (resolved_at - first_message_at))::float8 AS resolution_s,
         CASE WHEN first_responded_at IS NULL THEN EXTRACT(EPOCH FROM ($4::timestamptz - first_message_at))::float8 END AS waiting_s
       FROM period
     ), dimensions AS (
       SELECT 'all' AS dimension, 'all' AS grp, * FROM measured
       UNION ALL SELECT 'channel', channel_kind, * FROM measured
       UNION ALL SELECT 'reach', bucket, * FROM measured
     )
     SELECT dimension, grp, severity,
       count(*) AS cases,
       count(first_response_s) AS answered,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_s) AS frt_p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_s) AS frt_p90,
       count(resolution_s) AS resolved,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_s) AS res_p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_s) AS res_p90,
       count(waiting_s) AS unanswered,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY waiting_s) AS wait_p50,
       max(waiting_s) AS wait_max
     FROM dimensions
     GROUP BY dimension, grp, severity
     ORDER BY dimension, grp, severity`,
    [workspaceId, period.from, period.to, period.now],
  );
  return rows.map((r) => ({
    dimension: r.dimension,
    group: r.grp,
    severity: r.severity,
    cases: Number(r.cases),
    answered: Number(r.answered),
    firstResponseP50: num(r.frt_p50),
    firstResponseP90: num(r.frt_p90),
    resolved: Number(r.resolved),
    resolutionP50: num(r.res_p50),
    resolutionP90: num(r.res_p90),
    unanswered: Number(r.unanswered),
    unansweredAgeP50: num(r.wait_p50),
    unansweredAgeMax: num(r.wait_max),
  }));
}
