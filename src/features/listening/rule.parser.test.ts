import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maxQueryLength, parseRule, printRule } from './rule.parser.ts';
import type { RuleNode } from './rule.types.ts';

function printed(query: string): string {
  const result = parseRule(query);
  if (!result.ok) throw new Error(`expected ${query} to parse: ${result.error.message}`);
  return printRule(result.rule);
}

describe('parseRule: accepted rules (shown in canonical form)', () => {
  it.each([
    ['Acme', 'acme'],
    ['"Customer Service"', '"customer service"'],
    ['acme  router', 'acme router'],
    ['acme AND router', 'acme router'],
    ['acme OR globex', 'acme OR globex'],
    ['acme router OR globex', 'acme router OR globex'],
    ['acme (router OR modem)', 'acme (router OR modem)'],
    ['(acme OR globex) (router OR modem)', '(acme OR globex) (router OR modem)'],
    ['acme -job', 'acme -job'],
    ['acme -"job offer"', 'acme -"job offer"'],
    ['acme -(job OR hiring)', 'acme -(job OR hiring)'],
    ['-(-acme)', '-(-acme)'],
    ['#AcmeFail', '#acmefail'],
    ['#東京', '#東京'],
    ['@AcmeHelp', '@acmehelp'],
    ['@alice@mastodon.social', '@alice@mastodon.social'],
    ['from:@Bob_1', 'from:bob_1'],
    ['from:alice.bsky.social', 'from:alice.bsky.social'],
    ['lang:EN', 'lang:en'],
    ['lang:pt_BR', 'lang:pt-br'],
    ['is:reply', 'is:reply'],
    ['acme -is:repost', 'acme -is:repost'],
    ['url:https://www.Acme.com/Help/', 'url:acme.com/help'],
    ['url:acme.co.uk', 'url:acme.co.uk'],
    ['Café', 'cafe'],
    ['STRASSE OR Straße', 'strasse OR strasse'],
    ["don't", '"don t"'],
    ['wi-fi', '"wi fi"'],
    ['東京', '"東 京"'],
    ['Москва', 'москва'],
    ['القاهرة', 'القاهرة'],
    ['or and', 'or and'],
    ['"or"', 'or'],
    ['10:30', '"10 30"'],
    ['a OR b OR c', 'a OR b OR c'],
    ['(a OR (b OR c)) d', '(a OR b OR c) d'],
    ['((a))', 'a'],
  ])('%s → %s', (query, canonical) => {
    expect(printed(query)).toBe(canonical);
  });

  it('builds the tree with AND binding tighter than OR', () => {
    const result = parseRule('a b OR c');
    expect(result).toEqual({
      ok: true,
      rule: { kind: 'or', children: [{ kind: 'and', children: [{ kind: 'words', words: ['a'] }, { kind: 'words', words: ['b'] }] }, { kind: 'words', words: ['c'] }] },
    });
  });
});

describe('parseRule: malformed rules point at the column', () => {
  it.each([
    ['', 1, 'the rule is empty'],
    ['   ', 1, 'the rule is empty'],
    ['acme "router', 6, 'unclosed quote'],
    ['acme (router OR modem', 6, "unclosed '('"],
    ['acme router)', 12, "unmatched ')'"],
    ['acme ()', 6, 'empty parentheses'],
    ['OR acme', 1, 'OR needs something to match before it'],
    ['acme OR', 6, 'OR needs something to match after it'],
    ['acme OR OR globex', 6, 'OR needs something to match after it'],
    ['(acme OR) x', 7, 'OR needs something to match after it'],
    ['AND acme', 1, 'AND needs something to match before it'],
    ['acme AND', 6, 'AND needs something to match after it'],
    ['acme - router', 6, "'-' must be followed directly"],
    ['acme -', 6, "'-' must be followed directly"],
    ['--acme', 1, "'--' is not allowed"],
    ['-OR acme', 2, 'OR cannot follow'],
    ['acme ""', 6, 'the phrase has no letters or digits'],
    ['acme "!!"', 6, 'the phrase has no letters or digits'],
    ['acme 😀', 6, 'has no letters or digits'],
    ['acme #', 6, 'a hashtag is'],
    ['acme #acme-fail', 6, 'a hashtag is'],
    ['acme @', 6, 'a mention is'],
    ['acme @alice.', 6, 'a mention is'],
    ['acme form:bob', 6, "unknown operator 'form:'"],
    ['https://acme.com', 1, "unknown operator 'https:'"],
    ['from:', 6, 'from: needs a value'],
    ['from:@', 6, 'from: needs a handle'],
    ['lang:english', 6, 'lang: needs a language code'],
    ['is:quote', 4, 'is: must be one of reply, repost'],
    ['url:ex_ample.com', 5, 'url: needs a domain'],
    ['url:/path', 5, 'url: needs a domain'],
    ['😀😀 "x', 4, 'unclosed quote'],
  ])('%j → column %i', (query, column, reason) => {
    const result = parseRule(query);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.column).toBe(column);
    expect(result.error.message).toContain(reason);
    expect(result.error.message).toMatch(new RegExp(`at column ${column}$`));
  });

  it('limits length, nesting and size', () => {
    const long = parseRule('a'.repeat(maxQueryLength + 1));
    expect(long.ok || long.error.column).toBe(maxQueryLength + 1);
    const deep = parseRule(`${'('.repeat(40)}a${')'.repeat(40)}`);
    expect(deep.ok || deep.error.message).toMatch(/nested deeper than 32 at column 33/);
    const wide = parseRule(Array.from({ length: 201 }, (_, i) => `w${i}`).join(' '));
    expect(wide.ok || wide.error.message).toMatch(/at most 200 terms/);
  });
});

// Folded words the printer can write bare and the parser reads back as one token.
const word = fc.constantFrom('acme', 'router', 'or', 'and', 'from', 'is', 'wi', 'москва', 'القاهرة', '東', '京', 'x_1', '2024', 'cafe');
const handle = fc.constantFrom('alice', 'bob_1', 'alice.bsky.social', 'carol@mastodon.social', 'd-e');

const literal: fc.Arbitrary<RuleNode> = fc.oneof(
  fc.array(word, { minLength: 1, maxLength: 3 }).map((words): RuleNode => ({ kind: 'words', words })),
  word.map((tag): RuleNode => ({ kind: 'hashtag', tag })),
  handle.map((h): RuleNode => ({ kind: 'mention', handle: h })),
  handle.map((h): RuleNode => ({ kind: 'from', handle: h })),
  fc.constantFrom('en', 'pt-br', 'zh-hant').map((code): RuleNode => ({ kind: 'lang', code })),
  fc.constantFrom('reply' as const, 'repost' as const).map((what): RuleNode => ({ kind: 'is', what })),
  fc.constantFrom(['acme.com', ''], ['acme.co.uk', '/help'], ['b.org', '/a/b']).map(([host, path]): RuleNode => ({ kind: 'url', host, path })),
);

// Trees in the parser's normal form: no single-child or nested same-kind AND/OR.
const { tree } = fc.letrec<{ tree: RuleNode; and: RuleNode; or: RuleNode; not: RuleNode }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, literal, tie('and'), tie('or'), tie('not')),
  and: fc
    .array(tie('tree'), { minLength: 2, maxLength: 3 })
    .map((children): RuleNode => ({ kind: 'and', children: children.flatMap((c) => (c.kind === 'and' ? c.children : [c])) })),
  or: fc
    .array(tie('tree'), { minLength: 2, maxLength: 3 })
    .map((children): RuleNode => ({ kind: 'or', children: children.flatMap((c) => (c.kind === 'or' ? c.children : [c])) })),
  not: tie('tree').map((child): RuleNode => ({ kind: 'not', child })),
}));

describe('parseRule: properties', () => {
  it('reads back what printRule writes', () => {
    fc.assert(
      fc.property(tree, (rule) => {
        expect(parseRule(printRule(rule))).toEqual({ ok: true, rule });
      }),
      { numRuns: 500 },
    );
  });

  const alphabet = fc.constantFrom(
    'a', 'Z', ' ', '  ', '"', '(', ')', '-', '#', '@', ':', 'OR', 'AND', 'from:', 'lang:', 'is:', 'url:', '.', '/', 'é', '東',
    '😀', '\u0301', '\ud800', '\t', '\n', '*', '\\', "'", 'ß', 'ﬁ',
  );

  it('never throws or hangs on arbitrary input, and errors carry a column inside the query', () => {
    const check = (query: string): void => {
      const started = performance.now();
      const result = parseRule(query);
      expect(performance.now() - started).toBeLessThan(250);
      if (result.ok) return;
      const length = [...query].length;
      expect(result.error.column).toBeGreaterThanOrEqual(1);
      expect(result.error.column).toBeLessThanOrEqual(Math.max(length + 1, 1));
      expect(result.error.message).toMatch(/^[^\n]+ at column \d+$/);
    };
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')), check), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 1200 }), check), { numRuns: 100 });
  });

  it('handles pathological input quickly', () => {
    for (const query of ['('.repeat(5000), ')'.repeat(5000), '-'.repeat(999), '"'.repeat(999), 'a OR '.repeat(199) + 'a', '#'.repeat(999)]) {
      const started = performance.now();
      parseRule(query);
      expect(performance.now() - started).toBeLessThan(250);
    }
  });
});
