/**
 * Listening decides whether a public post concerns the workspace: monitoring rules (docs/LISTENING.md) compiled into
 * one matcher for every workspace. Messages on owned channels — the brand's own accounts and inboxes — always pass.
 */
import type { ListeningMatcher } from './listening.types.ts';

export type { ListeningMatcher, ListeningVerdict, PostForListening } from './listening.types.ts';
export { ruleTags, isValues } from './rule.types.ts';
export type { RuleTag, RuleNode, RuleSyntaxError, ParseResult, MatchablePost, CompilableRule } from './rule.types.ts';
export { parseRule, printRule, maxQueryLength } from './rule.parser.ts';
export { compileRules, RuleMatcher } from './rule.matcher.ts';
export { createRuleMatcher } from './rule-matcher.service.ts';
export type { RuleMatcherService, RuleMatcherOptions } from './rule-matcher.service.ts';
export { validateRuleQuery, createRule, getRule, changeRule, removeRule, testRule, xStreamRulesOf } from './rule.service.ts';
export type { NewRule, RuleTestResult, UnfilterableRule } from './rule.service.ts';
export { toXStreamRule, defaultXRuleMaxLength } from './x-rule.translator.ts';
export type { XRuleTranslation } from './x-rule.translator.ts';
export { listRules } from './rule.repository.ts';
export type { MonitoringRule, RuleChanges } from './rule.repository.ts';
export type { RecentPost } from './recent-post.repository.ts';
export { listMatchedPosts } from './matched-post.repository.ts';
export type { MatchedPost, MatchedPostCursor, MatchedPostFilter } from './matched-post.repository.ts';
export { foldText, splitWords } from './text.normalizer.ts';

/** Hears every post; owned channels always pass. For tools that ingest without listening rules (import). */
export function createPassThroughMatcher(): ListeningMatcher {
  return { match: () => ({ pass: true, matchedRuleIds: [] }) };
}
