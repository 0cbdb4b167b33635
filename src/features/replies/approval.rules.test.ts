import { describe, expect, it } from 'vitest';
import { defaultApprovalSettings, evaluateHold, findLegalTerms } from './approval.rules.ts';
import type { ApprovalFacts } from './approval.rules.ts';

const base: ApprovalFacts = { replyText: 'Sorry, we are on it.', customerText: 'my order is late', authorFollowers: 10, authorHandle: 'ann', competitorRules: [] };

describe('findLegalTerms', () => {
  it.each([
    ['I will sue you', ['sue']],
    ['this is an issue, not a suit', []],
    ['See you in COURT', ['court']],
    ['thanks for the courtesy', []],
    ['my lawyer and the ombudsman', ['lawyer', 'ombudsman']],
    ['we can offer compensation', ['compensation']],
    ['taking legal\naction now', ['legal action']],
    ['small claims court', ['small claims', 'court']],
  ])('%s', (text, expected) => {
    expect(findLegalTerms(text)).toEqual(expected);
  });

  it('adds the workspace terms', () => {
    expect(findLegalTerms('I filed a chargeback', ['Chargeback'])).toEqual(['chargeback']);
  });
});

describe('evaluateHold', () => {
  it.each<[string, Partial<ApprovalFacts>, string[]]>([
    ['nothing special', {}, []],
    ['just below the threshold', { authorFollowers: 99_999 }, []],
    ['at the threshold', { authorFollowers: 100_000 }, ['high_reach']],
    ['unknown reach', { authorFollowers: null }, []],
    ['legal words from the customer', { customerText: 'my solicitor will write' }, ['legal_terms']],
    ['legal words in the reply', { replyText: 'we accept liability' }, ['legal_terms']],
    ['competitor rule matched', { competitorRules: [{ id: 'r1', name: 'Globex' }] }, ['competitor_customer']],
    ['all three', { authorFollowers: 2_000_000, replyText: 'compensation', competitorRules: [{ id: 'r1', name: 'Globex' }] }, ['high_reach', 'legal_terms', 'competitor_customer']],
  ])('%s', (_name, facts, rules) => {
    expect(evaluateHold({ ...base, ...facts }, defaultApprovalSettings).map((r) => r.rule)).toEqual(rules);
  });

  it('follows the workspace threshold and names the author', () => {
    const [reason] = evaluateHold({ ...base, authorFollowers: 1_500 }, { followerThreshold: 1_000, extraLegalTerms: [] });
    expect(reason.message).toBe('@ann has 1,500 followers (threshold 1,000)');
  });
});
