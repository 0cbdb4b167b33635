import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRule, printRule } from './rule.parser.ts';
import { compileRules } from './rule.matcher.ts';
import { matchesReference, prepareReferencePost } from './rule.reference.ts';
import type { CompilableRule, MatchablePost, RuleNode } from './rule.types.ts';
import { toXStreamRule } from './x-rule.translator.ts';

// A small vocabulary so random rules and random posts meet often; spellings vary in case and diacritics.
const vocabulary: [folded: string, spellings: string[]][] = [
  ['acme', ['acme', 'Acme', 'ACME', 'ácme']],
  ['router', ['router', 'Router', 'routér']],
  ['cafe', ['cafe', 'café', 'CAFÉ', 'cafe\u0301']],
  ['strasse', ['strasse', 'Straße']],
  ['москва', ['москва', 'Москва']],
  ['القاهرة', ['القاهرة', 'القَاهِرة']],
  ['東', ['東']],
  ['京', ['京']],
  ['x_1', ['x_1', 'X_1']],
  ['42', ['42', '４２']],
];
const words = vocabulary.map(([w]) => w);
const handles = ['alice', 'bob', 'alice@mastodon.social', 'acme.bsky.social'];
const separators = [' ', '  ', ', ', '-', '!', '😀', '❤️', '\n', '(', ')', '.', "'", '…', '#', '@', ' #', ' @', '_', 'ー'];

const wordArb = fc.constantFrom(...words);
const literalArb: fc.Arbitrary<RuleNode> = fc.oneof(
  { weight: 6, arbitrary: wordArb.map((w): RuleNode => ({ kind: 'words', words: [w] })) },
  { weight: 3, arbitrary: fc.array(wordArb, { minLength: 2, maxLength: 3 }).map((ws): RuleNode => ({ kind: 'words', words: ws })) },
  { weight: 2, arbitrary: wordArb.map((tag): RuleNode => ({ kind: 'hashtag', tag })) },
  { weight: 2, arbitrary: fc.constantFrom(...handles, ...words).map((h): RuleNode => ({ kind: 'mention', handle: h })) },
  { weight: 1, arbitrary: fc.constantFrom(...handles).map((h): RuleNode => ({ kind: 'from', handle: h })) },
  { weight: 1, arbitrary: fc.constantFrom('en', 'pt', 'pt-br').map((code): RuleNode => ({ kind: 'lang', code })) },
  { weight: 1, arbitrary: fc.constantFrom('reply' as const, 'repost' as const).map((what): RuleNode => ({ kind: 'is', what })) },
  { weight: 1, arbitrary: fc.constantFrom(['acme.com', ''], ['acme.com', '/help'], ['shop.acme.com', '']).map(([host, path]): RuleNode => ({ kind: 'url', host, path })) },
);

const { node } = fc.letrec<{ node: RuleNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: literalArb },
    { weight: 2, arbitrary: fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children): RuleNode => ({ kind: 'and', children })) },
    { weight: 2, arbitrary: fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children): RuleNode => ({ kind: 'or', children })) },
    { weight: 1, arbitrary: tie('node').map((child): RuleNode => ({ kind: 'not', child })) },
  ),
}));

// Rules go through the printer and the parser, so the matcher sees exactly what a stored query would give.
const ruleArb = node.map((tree) => {
  const parsed = parseRule(printRule(tree));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.rule;
});

const pieceArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...vocabulary.flatMap(([, spellings]) => spellings)) },
  { weight: 6, arbitrary: fc.constantFrom(...separators) },
  { weight: 1, arbitrary: fc.constantFrom(...handles.map((h) => `@${h}`), 'https://www.acme.com/help/x', 'shop.acme.com', 'www.acme.com/helpdesk') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 3 }) },
);

const postArb: fc.Arbitrary<MatchablePost> = fc.record({
  text: fc.array(pieceArb, { maxLength: 14 }).map((parts) => parts.join('')),
  authorHandle: fc.option(fc.constantFrom('Alice', '@bob', 'alice@mastodon.social', 'carol'), { nil: null }),
  isReply: fc.boolean(),
  isRepost: fc.boolean(),
  lang: fc.option(fc.constantFrom('en', 'pt-BR', 'pt', 'de'), { nil: undefined }),
  urls: fc.option(fc.constantFrom(['https://shop.acme.com/'], ['https://acme.com/help'], []), { nil: undefined }),
  hashtags: fc.option(fc.constantFrom(['#Acme'], ['router']), { nil: undefined }),
  mentions: fc.option(fc.constantFrom(['bob@mastodon.social'], ['Alice']), { nil: undefined }),
});

describe('compiled matcher agrees with the reference evaluator', () => {
  it('on random rules of several workspaces and random posts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(ruleArb, fc.constantFrom('ws-a', 'ws-b')), { minLength: 1, maxLength: 25 }),
        fc.array(postArb, { minLength: 1, maxLength: 8 }),
        (ruleSpecs, posts) => {
          const rules: CompilableRule[] = ruleSpecs.map(([rule, workspaceId], i) => ({ id: `r${i}`, workspaceId, rule }));
          const matcher = compileRules(rules);
          for (const post of posts) {
            const prepared = prepareReferencePost(post);
            for (const ws of ['ws-a', 'ws-b']) {
              const expected = rules.filter((r) => r.workspaceId === ws && matchesReference(r.rule, prepared)).map((r) => r.id);
              const actual = matcher.matchIds(post, ws);
              expect(actual.slice().sort()).toEqual(expected.slice().sort());
            }
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});

// X's syntax is Parley's but for two spellings; reading a translation back lets the reference evaluator judge it.
function fromXSyntax(value: string): RuleNode {
  const parsed = parseRule(value.replaceAll('is:retweet', 'is:repost').replace(/url:"([^"]*)"/g, 'url:$1'));
  if (!parsed.ok) throw new Error(`${value}: ${parsed.error.message}`);
  return parsed.rule;
}

// Few literals, half of them ones X cannot express, so that rules and posts meet where the translation is widened.
const xLiteralArb: fc.Arbitrary<RuleNode> = fc.oneof(
  fc.constantFrom('acme', 'router', 'cafe').map((w): RuleNode => ({ kind: 'words', words: [w] })),
  fc.constantFrom('bob', 'alice@mastodon.social').map((h): RuleNode => ({ kind: 'from', handle: h })),
  fc.constantFrom('acme', 'acme.bsky.social').map((h): RuleNode => ({ kind: 'mention', handle: h })),
  fc.constantFrom('reply' as const).map((what): RuleNode => ({ kind: 'is', what })),
);
const { xNode } = fc.letrec<{ xNode: RuleNode }>((tie) => ({
  xNode: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: xLiteralArb },
    { weight: 2, arbitrary: fc.array(tie('xNode'), { minLength: 2, maxLength: 3 }).map((children): RuleNode => ({ kind: 'and', children })) },
    { weight: 2, arbitrary: fc.array(tie('xNode'), { minLength: 2, maxLength: 3 }).map((children): RuleNode => ({ kind: 'or', children })) },
    { weight: 2, arbitrary: tie('xNode').map((child): RuleNode => ({ kind: 'not', child })) },
  ),
}));
const xRuleArb = fc.oneof(ruleArb, xNode);
const xPostArb: fc.Arbitrary<MatchablePost> = fc.oneof(
  postArb,
  fc.record({
    text: fc.array(fc.constantFrom('acme', 'router', 'cafe', '@acme', '@acme.bsky.social', ' '), { maxLength: 8 }).map((p) => p.join(' ')),
    authorHandle: fc.constantFrom('bob', 'alice@mastodon.social', 'carol'),
    isReply: fc.boolean(),
  }),
);

describe('X stream rules', () => {
  it('never filter out a post the rule matches (and match exactly when they say so)', () => {
    fc.assert(
      fc.property(xRuleArb, fc.array(xPostArb, { minLength: 1, maxLength: 8 }), (rule, posts) => {
        const translated = toXStreamRule(rule, 4096);
        if (!translated.ok) return;
        const onX = fromXSyntax(translated.value);
        for (const post of posts) {
          const prepared = prepareReferencePost(post);
          const wanted = matchesReference(rule, prepared);
          const delivered = matchesReference(onX, prepared);
          if (wanted) expect(delivered).toBe(true);
          if (translated.exact) expect(delivered).toBe(wanted);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
