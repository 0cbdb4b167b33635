import type { Queryable } from '../../platform/db/db.ts';
import { groupKeyOf, groupKeySql } from './report-groups.repository.ts';
import type { ReportGrouping } from './report-series.ts';

/** What the response-time and SLA reports need of one case. */
export interface CaseTimes {
  group: string;
  firstMessageAt: Date;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

interface CaseTimesRow extends Record<string, unknown> {
  grp: string | null;
  first_message_at: Date;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
}

/** The cases whose first message fell in [from, to), one row each (index `cases_first_message`). */
export async function listCaseTimes(db: Queryable, workspaceId: string, period: { from: Date; to: Date }, groupBy: ReportGrouping): Promise<CaseTimes[]> {
  const rows = await db.query<CaseTimesRow>(
    `SELECT ${groupKeySql(groupBy, 'case')} AS grp, c.first_message_at, c.first_responded_at, c.resolved_at,
       c.first_response_due_at, c.resolution_due_at
     FROM cases c
     WHERE c.workspace_id = $1 AND c.first_message_at >= $2 AND c.first_message_at < $3`,
    [workspaceId, period.from, period.to],
  );
  return rows.map((r) => ({
    group: groupKeyOf(r.grp),
    firstMessageAt: r.first_message_at,
    firstRespondedAt: r.first_responded_at,
    resolvedAt: r.resolved_at,
    firstResponseDueAt: r.first_response_due_at,
    resolutionDueAt: r.resolution_due_at,
  }));
}
