import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { parseRule } from './rule.parser.ts';
import type { RuleNode, RuleTag } from './rule.types.ts';
import { compileRules } from './rule.matcher.ts';
import { deleteRule, findRule, insertRule, isRuleNameTaken, listRules, updateRule } from './rule.repository.ts';
import type { MonitoringRule, RuleChanges } from './rule.repository.ts';
import { listRecentPosts } from './recent-post.repository.ts';
import { toXStreamRule } from './x-rule.translator.ts';
import type { XRuleTranslation } from './x-rule.translator.ts';
import type { RecentPost } from './recent-post.repository.ts';

/** Parses a rule or throws `validation_failed` whose detail names the query and the column of the problem. */
export function validateRuleQuery(query: string): RuleNode {
  const parsed = parseRule(query);
  if (parsed.ok) return parsed.rule;
  // The column rides along with the usual {path, message} detail so clients can point at it.
  const detail = { path: 'query', message: parsed.error.message, column: parsed.error.column };
  throw new AppError('validation_failed', `query: ${parsed.error.message}`, [detail]);
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === '23505';
}

function nameTaken(name: string): AppError {
  return new AppError('conflict', `a rule named "${name}" already exists in this workspace`);
}

export interface NewRule {
  workspaceId: string;
  createdBy: string | null;
  name: string;
  tag: RuleTag;
  query: string;
  enabled: boolean;
}

export async function createRule(db: Queryable, input: NewRule): Promise<MonitoringRule> {
  validateRuleQuery(input.query);
  if (await isRuleNameTaken(db, input.workspaceId, input.name, null)) throw nameTaken(input.name);
  try {
    return await insertRule(db, { ...input, id: randomUUID() });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function getRule(db: Queryable, workspaceId: string, id: string): Promise<MonitoringRule> {
  const rule = await findRule(db, workspaceId, id);
  if (!rule) throw notFound('rule');
  return rule;
}

export async function changeRule(db: Db, workspaceId: string, id: string, changes: RuleChanges): Promise<MonitoringRule> {
  if (changes.query !== undefined) validateRuleQuery(changes.query);
  if (changes.name !== undefined && (await isRuleNameTaken(db, workspaceId, changes.name, id))) throw nameTaken(changes.name);
  try {
    const updated = await updateRule(db, workspaceId, id, changes);
    if (!updated) throw notFound('rule');
    return updated;
  } catch (error) {
    if (isUniqueViolation(error) && changes.name !== undefined) throw nameTaken(changes.name);
    throw error;
  }
}

export async function removeRule(db: Queryable, workspaceId: string, id: string): Promise<void> {
  if (!(await deleteRule(db, workspaceId, id))) throw notFound('rule');
}

export interface RuleTestResult {
  /** How many of the latest messages were tried. */
  scanned: number;
  matches: RecentPost[];
  /** What an X filtered-stream channel would ask X for (docs/LISTENING.md, "X stream rules"). */
  xStreamRule: XRuleTranslation;
}

/** Tries a (possibly unsaved) rule against the workspace's latest inbound messages with the real matcher. */
export async function testRule(db: Queryable, workspaceId: string, query: string, limit: number): Promise<RuleTestResult> {
  const rule = validateRuleQuery(query);
  const matcher = compileRules([{ id: 'candidate', workspaceId, rule }]);
  const posts = await listRecentPosts(db, workspaceId, limit);
  const matches = posts.filter((post) => matcher.scan(post, 0) > 0);
  return { scanned: posts.length, matches, xStreamRule: toXStreamRule(rule) };
}

/** Why one enabled rule is not on an X filtered stream. */
export interface UnfilterableRule {
  id: string;
  name: string;
  reason: string;
}

/**
 * The X filtered-stream rules for a workspace's enabled listening rules: each translated (x-rule.translator.ts);
 * those X cannot filter are returned apart, with the reason, for the listener to report.
 */
export async function xStreamRulesOf(
  db: Queryable,
  workspaceId: string,
  maxLength?: number,
): Promise<{ rules: Array<{ id: string; value: string; tag: string }>; unfilterable: UnfilterableRule[] }> {
  const rules: Array<{ id: string; value: string; tag: string }> = [];
  const unfilterable: UnfilterableRule[] = [];
  for (const rule of await listRules(db, workspaceId)) {
    if (!rule.enabled) continue;
    const parsed = parseRule(rule.query);
    const translated = parsed.ok ? toXStreamRule(parsed.rule, maxLength) : { ok: false as const, reason: parsed.error.message };
    if (translated.ok) rules.push({ id: rule.id, value: translated.value, tag: rule.tag });
    else unfilterable.push({ id: rule.id, name: rule.name, reason: translated.reason });
  }
  return { rules, unfilterable };
}
