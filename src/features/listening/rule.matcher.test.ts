import { describe, expect, it } from 'vitest';
import { parseRule } from './rule.parser.ts';
import { compileRules } from './rule.matcher.ts';
import { matchesReference } from './rule.reference.ts';
import type { CompilableRule, MatchablePost } from './rule.types.ts';

function rule(id: string, query: string, workspaceId = 'ws-a'): CompilableRule {
  const parsed = parseRule(query);
  if (!parsed.ok) throw new Error(`${query}: ${parsed.error.message}`);
  return { id, workspaceId, rule: parsed.rule };
}

function post(text: string, extra: Partial<MatchablePost> = {}): MatchablePost {
  return { text, authorHandle: null, isReply: false, ...extra };
}

type Case = [query: string, text: string, expected: boolean, extra?: Partial<MatchablePost>];

const cases: Case[] = [
  // words and their boundaries
  ['acme', 'I love Acme!', true],
  ['acme', 'ACME.', true],
  ['acme', 'acmes are great', false],
  ['acme', 'megaacme', false],
  ['acme', 'acme_corp', false],
  ['acme', '(acme)', true],
  ['acme', '«acme»', true],
  ['acme', 'acme’s router', true],
  ['acme', 'acme😡', true],
  ['acme', '😡acme😡', true],
  ['acme', 'I ❤️acme', true],
  ['acme', '#acme', true],
  ['acme', '#acmefail', false],
  ['acme', '@acme help', true],
  ['acme', 'https://acme.com/x', true],
  ['acme', 'acme2', false],
  ['acme', '2acme', false],
  ['acme', 'acme-router', true],
  ['acme', 'ａｃｍｅ', true],
  ['acme', '𝐚𝐜𝐦𝐞 is bold', true],
  // diacritics and case
  ['cafe', 'Café au lait', true],
  ['café', 'CAFE', true],
  ['cafe', 'cafe\u0301', true],
  ['strasse', 'Straße', true],
  ['straße', 'STRASSE', true],
  ['zurich', 'Zürich', true],
  ['orsted', 'Ørsted', true],
  ['lodz', 'Łódź', true],
  ['istanbul', 'İstanbul', true],
  ['ﬁle', 'file', true],
  // non-Latin scripts
  ['москва', 'Я люблю Москву', false],
  ['москву', 'Я люблю Москву!', true],
  ['ёлка', 'ЁЛКА', true],
  ['οδος', 'ΟΔΟΣ', true],
  ['القاهرة', 'أحب القاهرة.', true],
  ['القاهرة', 'أحب القاهرةالجديدة', false],
  ['كتب', 'كَتَبَ', true],
  ['שלום', 'שָׁלוֹם עולם', true],
  ['नमस्ते', 'नमस्ते दुनिया', true],
  ['नमस्ते', 'नमस्तेजी', false],
  // scripts without spaces: characters are tokens, terms match as substrings
  ['東京', '東京都に住んでいます', true],
  ['東京', '東 京', true],
  ['東京', '京東', false],
  ['acme', 'Acmeのルーター', true],
  ['ルーター', 'Acmeのルーターが壊れた', true],
  ['ガ', 'ｶﾞ', true],
  ['삼성', '삼성이 좋아요', true],
  ['ไทย', 'ประเทศไทยสวย', true],
  // phrases
  ['"customer service"', 'Customer   service is slow', true],
  ['"customer service"', 'customer-service', true],
  ['"customer service"', 'customer, service', true],
  ['"customer service"', 'service customer', false],
  ['"customer service"', 'customer great service', false],
  ['"customer service"', 'customers service', false],
  ['"a a b"', 'a a a b', true],
  ['"a b a"', 'a b b a', false],
  // boolean
  ['acme router', 'router by acme', true],
  ['acme router', 'acme modem', false],
  ['acme OR globex', 'globex rocks', true],
  ['acme -job', 'acme router', true],
  ['acme -job', 'acme job offer', false],
  ['acme -"job offer"', 'acme job, no offer', true],
  ['acme router OR globex', 'globex', true],
  ['acme (router OR modem)', 'acme modem dead', true],
  ['acme (router OR modem)', 'acme phone', false],
  ['-spam', 'anything at all', true],
  ['-spam', 'spam here', false],
  ['-(-acme)', 'acme', true],
  // operators
  ['#acme', 'down again #Acme', true],
  ['#acme', 'down again acme', false],
  ['#acme', 'x#acme', false],
  ['#acme', '#acme_fail', false],
  ['#acme', '¡#acme!', true],
  ['#東京', '#東京 nice', true],
  ['#東京', '#東京都', false],
  ['#acme', 'no tag', true, { hashtags: ['#ACME'] }],
  ['@acmehelp', 'hey @AcmeHelp!', true],
  ['@acmehelp', 'mail me: joe@acmehelp', false],
  ['@acmehelp', '@acmehelpdesk', false],
  ['@acmehelp', '@acmehelp@mastodon.social', true],
  ['@acmehelp@mastodon.social', '@acmehelp@mastodon.social.', true],
  ['@acme.bsky.social', 'ping @acme.bsky.social.', true],
  ['@acmehelp', 'cc', true, { mentions: ['acmehelp@mastodon.social'] }],
  ['from:bob', 'hi', true, { authorHandle: '@Bob' }],
  ['from:bob', 'hi', true, { authorHandle: 'bob@mastodon.social' }],
  ['from:bob', 'hi', false, { authorHandle: 'bobby' }],
  ['from:bob', 'hi', false],
  ['lang:pt', 'oi', true, { lang: 'pt-BR' }],
  ['lang:pt-br', 'oi', true, { lang: 'pt_BR' }],
  ['lang:pt-br', 'oi', false, { lang: 'pt' }],
  ['lang:en', 'hi', false],
  ['is:reply', 'hi', true, { isReply: true }],
  ['is:reply', 'hi', false],
  ['acme -is:repost', 'acme', true],
  ['acme -is:repost', 'acme', false, { isRepost: true }],
  ['-is:repost', 'acme', true],
  ['url:acme.com', 'see https://www.acme.com/help.', true],
  ['url:acme.com', 'see https://support.acme.com', true],
  ['url:acme.com', 'see https://notacme.com', false],
  ['url:acme.com/help', 'see https://acme.com/Help/faq?x=1', true],
  ['url:acme.com/help', 'see https://acme.com/helpdesk', false],
  ['url:acme.com', 'link', true, { urls: ['https://acme.com/x'] }],
  ['url:acme.com', 'visit www.acme.com today', true],
];

describe('compiled matcher: one rule, one post', () => {
  it.each(cases)('%s on %j → %s', (query, text, expected, extra) => {
    const p = post(text, extra);
    const r = rule('r1', query);
    const matcher = compileRules([r]);
    expect(matcher.matchIds(p, 'ws-a')).toEqual(expected ? ['r1'] : []);
    expect(matchesReference(r.rule, p)).toBe(expected);
  });
});

describe('compiled matcher: many rules, many workspaces', () => {
  const rules = [
    rule('a-brand', 'acme', 'ws-a'),
    rule('a-fail', '#acmefail OR "acme outage"', 'ws-a'),
    rule('a-neg', '-spam -acme', 'ws-a'),
    rule('b-brand', 'acme', 'ws-b'),
    rule('b-comp', 'globex -job', 'ws-b'),
  ];
  const matcher = compileRules(rules);

  it.each([
    ['acme outage again #AcmeFail', 'ws-a', ['a-brand', 'a-fail']],
    ['acme outage again #AcmeFail', 'ws-b', ['b-brand']],
    ['nothing relevant', 'ws-a', ['a-neg']],
    ['nothing relevant', 'ws-b', []],
    ['globex and acme', 'ws-b', ['b-brand', 'b-comp']],
    ['globex and acme', 'ws-c', []],
  ])('%j in %s → %j', (text, ws, expected) => {
    expect(matcher.matchIds(post(text), ws)).toEqual(expected);
  });

  it('scans for every workspace at once', () => {
    const count = matcher.scan(post('globex acme outage'), -1);
    const ids = Array.from(matcher.results.subarray(0, count), (i) => matcher.ruleIdAt(i)).sort();
    expect(ids).toEqual(['a-brand', 'a-fail', 'b-brand', 'b-comp']);
  });

  it('gives the same answers when reused for many posts', () => {
    for (let i = 0; i < 3; i++) {
      expect(matcher.matchIds(post('acme'), 'ws-a')).toEqual(['a-brand']);
      expect(matcher.matchIds(post('spam'), 'ws-a')).toEqual([]);
    }
  });

  it('copes with long, odd and empty text', () => {
    const long = `${'word '.repeat(20_000)}acme outage ${'ﬁ'.repeat(5000)} 😀`;
    expect(matcher.matchIds(post(long), 'ws-a')).toEqual(['a-brand', 'a-fail']);
    expect(matcher.matchIds(post(''), 'ws-a')).toEqual(['a-neg']);
    expect(matcher.matchIds(post('\ud800acme\udc00 \u0301'), 'ws-a')).toEqual(['a-brand']);
  });
});
