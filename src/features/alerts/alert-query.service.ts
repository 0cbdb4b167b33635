import type { Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import type { SpikeDimension } from './alert-policy.schema.ts';
import { selectAlert, selectAlerts, selectExamples } from './alert.repository.ts';
import type { AlertCursor, AlertRow } from './alert.repository.ts';
import type { AlertExample, AlertKind, AlertStatus, AlertView } from './alert.types.ts';

export interface AlertListQuery {
  kind?: AlertKind;
  status?: AlertStatus;
  active?: boolean;
  dimension?: SpikeDimension;
  since?: Date;
  until?: Date;
  limit: number;
  cursor?: string;
}

export interface AlertPage {
  alerts: AlertView[];
  nextCursor: string | null;
}

export function encodeAlertCursor(cursor: AlertCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeAlertCursor(text: string): AlertCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      typeof value === 'object' && value !== null &&
      'at' in value && typeof value.at === 'string' && !Number.isNaN(Date.parse(value.at)) &&
      'id' in value && typeof value.id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.id)
    ) {
      return { at: value.at, id: value.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'cursor is not one this API returned');
}

function present(row: AlertRow, examples: Map<string, AlertExample>): AlertView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    score: Number(row.score),
    status: row.acknowledged_at ? 'acknowledged' : 'open',
    active: row.ended_at === null,
    dimension: row.dimension,
    seriesKey: row.series_key,
    messageId: row.message_id,
    caseId: row.case_id,
    examples: row.example_message_ids.flatMap((id) => {
      const example = examples.get(id);
      return example ? [example] : [];
    }),
    details: row.details,
    raisedAt: row.raised_at.toISOString(),
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: row.acknowledged_by,
  };
}

export async function presentAlerts(db: Queryable, workspaceId: string, rows: readonly AlertRow[]): Promise<AlertView[]> {
  const examples = await selectExamples(db, workspaceId, rows.flatMap((r) => r.example_message_ids));
  return rows.map((row) => present(row, examples));
}

/** The workspace's alerts, newest first, with keyset paging. */
export async function listAlerts(db: Queryable, principal: Principal, query: AlertListQuery): Promise<AlertPage> {
  const after = query.cursor ? decodeAlertCursor(query.cursor) : undefined;
  const rows = await selectAlerts(db, principal.workspaceId, { ...query, after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    alerts: await presentAlerts(db, principal.workspaceId, page),
    nextCursor: rows.length > query.limit && last ? encodeAlertCursor({ at: last.raised_at.toISOString(), id: last.id }) : null,
  };
}

export async function getAlert(db: Queryable, principal: Principal, id: string): Promise<AlertView> {
  const row = await selectAlert(db, principal.workspaceId, id);
  if (!row) throw notFound('alert');
  return (await presentAlerts(db, principal.workspaceId, [row]))[0];
}
