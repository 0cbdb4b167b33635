import type { Db } from '../../platform/db/db.ts';
import { isDatabaseUnavailable } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ListeningMatcher, ListeningVerdict, PostForListening } from './listening.types.ts';
import { parseRule } from './rule.parser.ts';
import type { CompilableRule, RuleNode } from './rule.types.ts';
import { compileRules } from './rule.matcher.ts';
import type { RuleMatcher } from './rule.matcher.ts';
import { loadAllRules, readRulesVersion } from './rule.repository.ts';

export interface RuleMatcherOptions {
  logger?: Logger;
  /** How often to look for rule changes made by other processes; 0 turns polling off. */
  pollIntervalMs?: number;
}

/** The matcher the app uses: compiled from the database, reloaded on change, never blocking `match`. */
export interface RuleMatcherService extends ListeningMatcher {
  /** Loads the rules again and swaps the new matcher in; concurrent calls share one reload. */
  reload(): Promise<void>;
  close(): void;
  /** Rule count of the matcher in use (enabled rules that compiled). */
  readonly ruleCount: number;
}

interface Snapshot {
  matcher: RuleMatcher;
  /** Workspaces with at least one rule, enabled or not: only they filter posts. */
  workspacesWithRules: Set<string>;
  version: string;
}

type ParsedCache = Map<string, { key: string; rule: RuleNode | null }>;

// Parsing is the slow part of a reload: do it in slices so ingestion keeps running while a new matcher is built.
async function parseInSlices(
  db: Db,
  cache: ParsedCache,
  logger: Logger | undefined,
): Promise<{ rules: CompilableRule[]; workspaces: Set<string> }> {
  const stored = await loadAllRules(db);
  const seen = new Set<string>();
  const rules: CompilableRule[] = [];
  const workspaces = new Set<string>();
  for (let i = 0; i < stored.length; i++) {
    if (i > 0 && i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    const s = stored[i];
    workspaces.add(s.workspaceId);
    seen.add(s.id);
    if (!s.enabled) continue;
    const key = `${s.updatedAt}\u0000${s.query}`;
    let cached = cache.get(s.id);
    if (!cached || cached.key !== key) {
      const parsed = parseRule(s.query);
      if (!parsed.ok) logger?.warn({ ruleId: s.id, workspaceId: s.workspaceId, error: parsed.error.message }, 'stored rule does not parse; skipped');
      cached = { key, rule: parsed.ok ? parsed.rule : null };
      cache.set(s.id, cached);
    }
    if (cached.rule) rules.push({ id: s.id, workspaceId: s.workspaceId, rule: cached.rule });
  }
  for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
  return { rules, workspaces };
}

/**
 * Decides which public posts a workspace hears. Owned channels always pass. A workspace without any monitoring
 * rule hears every post (so a new workspace and the demo work before anyone writes a rule); once it has rules, a
 * listening post passes only when it matches at least one enabled rule, and the matched rule ids are returned.
 */
export async function createRuleMatcher(db: Db, options: RuleMatcherOptions = {}): Promise<RuleMatcherService> {
  const cache: ParsedCache = new Map();
  const load = async (): Promise<Snapshot> => {
    const version = await readRulesVersion(db);
    const { rules, workspaces } = await parseInSlices(db, cache, options.logger);
    return { matcher: compileRules(rules), workspacesWithRules: workspaces, version };
  };
  let current = await load();
  let pending: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const reload = (): Promise<void> => {
    if (pending) {
      again = true;
      return pending;
    }
    pending = (async () => {
      try {
        do {
          again = false;
          // Built off to the side; the swap is one assignment, so a post is matched by the old or the new rules.
          current = await load();
        } while (again);
      } finally {
        pending = null;
      }
    })();
    return pending;
  };

  const poll = async (): Promise<void> => {
    if (pending) return;
    try {
      const version = await readRulesVersion(db);
      if (version !== current.version) await reload();
    } catch (error) {
      const level = isDatabaseUnavailable(error) ? 'debug' : 'warn';
      options.logger?.[level]({ err: error }, 'could not check monitoring rules for changes');
    }
  };

  const interval = options.pollIntervalMs ?? 5_000;
  if (interval > 0) {
    timer = setInterval(() => void poll(), interval);
    timer.unref();
  }

  return {
    match(post: PostForListening): ListeningVerdict {
      if (post.owned) return { pass: true, matchedRuleIds: [] };
      const snapshot = current;
      if (!snapshot.workspacesWithRules.has(post.workspaceId)) return { pass: true, matchedRuleIds: [] };
      const matchedRuleIds = snapshot.matcher.matchIds(post, post.workspaceId);
      return { pass: matchedRuleIds.length > 0, matchedRuleIds };
    },
    reload,
    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    get ruleCount() {
      return current.matcher.ruleCount;
    },
  };
}
