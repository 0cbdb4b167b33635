import type { Queryable } from '../../platform/db/db.ts';
import { noGroupKey } from './report-series.ts';
import type { ReportGrouping } from './report-series.ts';

/**
 * The SQL expression of a report's group key, over `m` (message), `ch` (its channel) and `c` (its case, possibly
 * absent). The grouping is a validated enum, so only these fixed fragments ever reach the query.
 */
export function groupKeySql(groupBy: ReportGrouping, source: 'message' | 'case'): string {
  switch (groupBy) {
    case 'none':
      return `'all'`;
    case 'channel':
      return source === 'message' ? 'ch.kind' : 'c.channel_kind';
    case 'team':
      return 'c.team_id::text';
    case 'agent':
      return 'c.assignee_id::text';
    default: {
      const unknownGrouping: never = groupBy;
      throw new Error(`unknown grouping ${String(unknownGrouping)}`);
    }
  }
}

const noneLabels: Record<ReportGrouping, string> = { none: 'all', channel: 'no channel', team: 'no team', agent: 'unassigned' };

/** Readable names for group keys: team names, agent names; channel kinds name themselves. */
export async function loadGroupLabels(db: Queryable, workspaceId: string, groupBy: ReportGrouping, keys: Iterable<string>): Promise<Map<string, string>> {
  const labels = new Map<string, string>([[noGroupKey, noneLabels[groupBy]], ['all', 'all']]);
  const ids = [...new Set(keys)].filter((k) => k !== noGroupKey && k !== 'all');
  if (ids.length === 0 || groupBy === 'none' || groupBy === 'channel') return labels;
  const rows = groupBy === 'team'
    ? await db.query<{ id: string; name: string }>(`SELECT id::text AS id, name FROM team WHERE workspace_id = $1 AND id::text = ANY ($2)`, [workspaceId, ids])
    : await db.query<{ id: string; name: string }>(`SELECT id::text AS id, name FROM app_user WHERE workspace_id = $1 AND id::text = ANY ($2)`, [workspaceId, ids]);
  for (const row of rows) labels.set(row.id, row.name);
  return labels;
}

/** A group key read from SQL: null (no team, unassigned, no case) becomes the `none` key. */
export function groupKeyOf(value: string | null): string {
  return value ?? noGroupKey;
}
