import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/database.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { createWorkspace } from '../accounts/index.ts';
import { createRuleMatcher } from './rule-matcher.service.ts';
import type { RuleMatcherService } from './rule-matcher.service.ts';
import { changeRule, createRule, removeRule } from './rule.service.ts';
import type { PostForListening } from './listening.types.ts';

let database: TestDatabase;
let matcher: RuleMatcherService;
let ws: string;
let other: string;

function post(workspaceId: string, text: string, owned = false): PostForListening {
  return { workspaceId, owned, text, authorHandle: null, isReply: false };
}

async function waitFor(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  ws = (await createWorkspace(database.db, { slug: 'listen-a', name: 'A' })).id;
  other = (await createWorkspace(database.db, { slug: 'listen-b', name: 'B' })).id;
  matcher = await createRuleMatcher(database.db, { pollIntervalMs: 25 });
});

afterAll(async () => {
  matcher.close();
  await database.drop();
});

describe('createRuleMatcher', () => {
  it('lets every post through while a workspace has no rules', () => {
    expect(matcher.match(post(ws, 'anything'))).toEqual({ pass: true, matchedRuleIds: [] });
  });

  it('filters a workspace by its enabled rules once it has one, and never filters owned channels', async () => {
    const rule = await createRule(database.db, { workspaceId: ws, createdBy: null, name: 'Brand', tag: 'brand', query: 'acme -job', enabled: true });
    await matcher.reload();
    expect(matcher.match(post(ws, 'Acme router died'))).toEqual({ pass: true, matchedRuleIds: [rule.id] });
    expect(matcher.match(post(ws, 'acme job offer'))).toEqual({ pass: false, matchedRuleIds: [] });
    expect(matcher.match(post(ws, 'unrelated', true))).toEqual({ pass: true, matchedRuleIds: [] });
    expect(matcher.match(post(other, 'unrelated'))).toEqual({ pass: true, matchedRuleIds: [] });

    await changeRule(database.db, ws, rule.id, { enabled: false });
    await matcher.reload();
    // rules exist but none is enabled: the workspace hears nothing from listening channels
    expect(matcher.match(post(ws, 'Acme router died'))).toEqual({ pass: false, matchedRuleIds: [] });
    await removeRule(database.db, ws, rule.id);
    await matcher.reload();
    expect(matcher.match(post(ws, 'anything'))).toEqual({ pass: true, matchedRuleIds: [] });
  });

  it("notices other processes' changes by polling the rules version", async () => {
    const rule = await createRule(database.db, { workspaceId: other, createdBy: null, name: 'Rival', tag: 'competitor', query: 'globex', enabled: true });
    await waitFor(() => matcher.match(post(other, 'globex is down')).matchedRuleIds.includes(rule.id));
    await changeRule(database.db, other, rule.id, { query: 'initech' });
    await waitFor(() => matcher.match(post(other, 'initech')).pass);
    expect(matcher.match(post(other, 'globex is down')).pass).toBe(false);
    await removeRule(database.db, other, rule.id);
    await waitFor(() => matcher.match(post(other, 'globex')).pass);
  });

  it('keeps matching with the old rules while new ones compile', async () => {
    await createRule(database.db, { workspaceId: ws, createdBy: null, name: 'Old', tag: 'brand', query: 'acme', enabled: true });
    await matcher.reload();
    for (let i = 0; i < 600; i++) {
      await createRule(database.db, { workspaceId: ws, createdBy: null, name: `bulk ${i}`, tag: 'other', query: `"term${i} x" OR #t${i}`, enabled: true });
    }
    const reloading = matcher.reload();
    let answered = 0;
    // The reload yields while parsing; posts keep being matched (by the old snapshot) in the meantime.
    while (!(await Promise.race([reloading.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]))) {
      expect(matcher.match(post(ws, 'acme')).pass).toBe(true);
      answered++;
    }
    expect(answered).toBeGreaterThan(0);
    expect(matcher.match(post(ws, 'TERM599 x')).pass).toBe(true);
    expect(matcher.ruleCount).toBe(601);
  });
});
