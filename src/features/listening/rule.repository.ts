import type { Queryable } from '../../platform/db/db.ts';
import type { RuleTag } from './rule.types.ts';

/** A monitoring rule as the API shows it. */
export interface MonitoringRule {
  id: string;
  name: string;
  tag: RuleTag;
  query: string;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

interface RuleRow extends Record<string, unknown> {
  id: string;
  name: string;
  tag: RuleTag;
  query: string;
  enabled: boolean;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const columns = 'id, name, tag, query, enabled, created_by, created_at, updated_at';

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function present(row: RuleRow): MonitoringRule {
  return {
    id: row.id,
    name: row.name,
    tag: row.tag,
    query: row.query,
    enabled: row.enabled,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function listRules(db: Queryable, workspaceId: string, filter: { tag?: RuleTag } = {}): Promise<MonitoringRule[]> {
  const rows = await db.query<RuleRow>(
    `SELECT ${columns} FROM monitoring_rule WHERE workspace_id = $1 AND ($2::text IS NULL OR tag = $2) ORDER BY created_at, id`,
    [workspaceId, filter.tag ?? null],
  );
  return rows.map(present);
}

export async function findRule(db: Queryable, workspaceId: string, id: string): Promise<MonitoringRule | null> {
  const rows = await db.query<RuleRow>(`SELECT ${columns} FROM monitoring_rule WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return rows[0] ? present(rows[0]) : null;
}

export async function isRuleNameTaken(db: Queryable, workspaceId: string, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM monitoring_rule WHERE workspace_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)`,
    [workspaceId, name, exceptId],
  );
  return rows.length > 0;
}

export interface NewRuleRow {
  workspaceId: string;
  id: string;
  name: string;
  tag: RuleTag;
  query: string;
  enabled: boolean;
  createdBy: string | null;
}

export async function insertRule(db: Queryable, rule: NewRuleRow): Promise<MonitoringRule> {
  const rows = await db.query<RuleRow>(
    `INSERT INTO monitoring_rule (workspace_id, id, name, tag, query, enabled, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${columns}`,
    [rule.workspaceId, rule.id, rule.name, rule.tag, rule.query, rule.enabled, rule.createdBy],
  );
  return present(rows[0]);
}

export interface RuleChanges {
  name?: string;
  tag?: RuleTag;
  query?: string;
  enabled?: boolean;
}

export async function updateRule(db: Queryable, workspaceId: string, id: string, changes: RuleChanges): Promise<MonitoringRule | null> {
  const rows = await db.query<RuleRow>(
    `UPDATE monitoring_rule SET
       name = coalesce($3, name), tag = coalesce($4, tag), query = coalesce($5, query), enabled = coalesce($6, enabled),
       updated_at = greatest(now(), updated_at + interval '1 microsecond')
     WHERE workspace_id = $1 AND id = $2 RETURNING ${columns}`,
    [workspaceId, id, changes.name ?? null, changes.tag ?? null, changes.query ?? null, changes.enabled ?? null],
  );
  return rows[0] ? present(rows[0]) : null;
}

export async function deleteRule(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query(`DELETE FROM monitoring_rule WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  return rows.length > 0;
}

export interface StoredRule {
  workspaceId: string;
  id: string;
  query: string;
  enabled: boolean;
  updatedAt: string;
}

/**
 * Every workspace's rules, for the one matcher of this process. The only cross-workspace read of the table: the
 * matcher serves all workspaces at once and scopes each verdict by the post's workspace.
 */
export async function loadAllRules(db: Queryable): Promise<StoredRule[]> {
  const rows = await db.query<{ workspace_id: string; id: string; query: string; enabled: boolean; updated_at: Date | string }>(
    `SELECT workspace_id, id, query, enabled, updated_at FROM monitoring_rule ORDER BY workspace_id, created_at, id`,
  );
  return rows.map((r) => ({ workspaceId: r.workspace_id, id: r.id, query: r.query, enabled: r.enabled, updatedAt: iso(r.updated_at) }));
}

/** A cheap fingerprint of the whole table: it changes whenever a rule is created, changed or deleted. */
export async function readRulesVersion(db: Queryable): Promise<string> {
  const rows = await db.query<{ version: string }>(
    `SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') || ':' ||
            coalesce(sum(hashtextextended(id::text || updated_at::text, 0))::text, '0') AS version
     FROM monitoring_rule`,
  );
  return rows[0]?.version ?? '';
}
