import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSharedDataDir } from './datasets.loader.ts';
import { intentPatterns, intentTriggerGroups, scanIntentTriggers } from './intent.rules.ts';
import { compileTriggers } from './trigger.matcher.ts';
import { urgencyRules } from './urgency.rules.ts';

describe('compileTriggers', () => {
  const scan = compileTriggers([['day', 'week'], ['he', 'she', 'hers'], ["can't pay", 'earn $']]);
  it.each([
    ['no service for 3 DAYS', 0b001],
    ['ushers', 0b010],
    ['She said', 0b010],
    ["I CAN'T PAY rent", 0b100],
    ['earn $500', 0b100],
    ['wee k', 0],
    ['dа y with a Cyrillic а: da\u0430y', 0b000],
    ['', 0],
  ])('%j → %d', (text, mask) => {
    expect(scan(text)).toBe(mask);
  });

  it('rejects triggers outside its alphabet', () => {
    expect(() => compileTriggers([['café']])).toThrow(/only a-z/);
  });
});

// The gate must never hide a match: on every text where a rule's pattern matches, one of its triggers occurs.
const handwritten = [
  'no service for 5 days', 'we have been without power for two weeks', 'my dad is on oxygen and the power is out',
  'this is the third time I have called', 'fix it or I am switching to Vodafone', 'I will report this to Ofcom',
  "CAN'T PAY my RENT", 'Emailed you AGAIN', 'no one has got back to me', 'GIVEAWAY click here', 'Kindly DM me',
  'it would be great if you added dark mode', 'I’d like a refund', 'down for over a week', 'days without internet',
];
const dataDir = resolveSharedDataDir();
const corpusFile = path.join(dataDir, 'complaints', 'complaints-data.csv');
const corpus = existsSync(corpusFile) ? readFileSync(corpusFile, 'utf8').split('\n') : [];

describe('the urgency and intent gates are sound', () => {
  const texts = [...handwritten, ...corpus];
  it.each(urgencyRules.map((rule, r) => [rule.signal, r] as const))('urgency %s', (_, r) => {
    const scan = compileTriggers(urgencyRules.map((rule) => rule.triggers));
    for (const text of texts) if (urgencyRules[r].pattern.test(text)) expect((scan(text) >> r) & 1, text).toBe(1);
  });

  it.each((['spam', 'request', 'feedback'] as const).map((name) => [name]))('intent %s', (name) => {
    const pattern = intentPatterns[name];
    const g = intentTriggerGroups[name];
    for (const text of texts) if (pattern.test(text.trim())) expect((scanIntentTriggers(text.trim()) >> g) & 1, text).toBe(1);
  });
});
