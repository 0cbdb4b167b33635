import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractEvidence, maxContactsPerKind, normalizeEmail, normalizePhone, phoneRegionOf } from './evidence.extractor.ts';
import type { ExtractOptions } from './evidence.extractor.ts';

type Expected = { emails?: string[]; weakEmails?: string[]; phones?: string[]; names?: string[] };

const cases: [string, string, ExtractOptions, Expected][] = [
  ['plain email, mixed case, trailing comma', 'my email is Jane.Doe@Example.co.uk, thanks', {}, { emails: ['jane.doe@example.co.uk'] }],
  ['email with plus tag and subdomain', 'write to bob+care@mail.shop.example.com.', {}, { emails: ['bob+care@mail.shop.example.com'] }],
  ['two emails, deduplicated', 'a@example.org or A@EXAMPLE.ORG or b@example.net', {}, { emails: ['a@example.org', 'b@example.net'] }],
  ['mastodon mention is not an email', 'cc @jane@mastodon.social please', {}, {}],
  ['credentials in a URL are not an email', 'see https://user@example.com/path', {}, {}],
  ['no TLD, no email', 'ping me at x@localhost', {}, {}],
  ['bracket obfuscation is weak', 'reach me at jane [at] example [dot] com', {}, { weakEmails: ['jane@example.com'] }],
  ['paren obfuscation is weak', 'jane(at)example(dot)org', {}, { weakEmails: ['jane@example.org'] }],
  ['spelled-out obfuscation is weak', 'email: jane dot doe at gmail dot com', {}, { weakEmails: ['jane.doe@gmail.com'] }],
  ['spaced @ is weak', 'jane @ example.com', {}, { weakEmails: ['jane@example.com'] }],
  ['"at" in prose is not an email', 'I was at the shop at noon', {}, {}],
  ['UK mobile, national format', 'call me on 07911 123456', { defaultRegion: 'GB' }, { phones: ['+447911123456'] }],
  ['UK landline, international', 'office +44 20 7946 0958 anytime', {}, { phones: ['+442079460958'] }],
  ['UK with 00 prefix', 'tel: 0044 7911 123456', { defaultRegion: 'GB' }, { phones: ['+447911123456'] }],
  ['UK national without a region is ignored', 'call me on 07911 123456', {}, {}],
  ['US with parentheses', 'call (212) 555-0123 today', { defaultRegion: 'US' }, { phones: ['+12125550123'] }],
  ['US with dots', 'text 212.555.0123', { defaultRegion: 'US' }, { phones: ['+12125550123'] }],
  ['US international', 'my cell is +1 415-555-0132', { defaultRegion: 'GB' }, { phones: ['+14155550132'] }],
  ['FR national pairs', 'appelez le 06 12 34 56 78', { defaultRegion: 'FR' }, { phones: ['+33612345678'] }],
  ['FR international with (0)', 'joignable au +33 (0)6 12 34 56 78', {}, { phones: ['+33612345678'] }],
  ['dates and order numbers are not phones', 'order 2024-05-01 ref 123456789, at 10:30', { defaultRegion: 'GB' }, {}],
  ['invalid number range is not a phone', 'ring +44 7700 900123', {}, {}],
  ['digits inside an email are not a phone', 'mail 07911123456@example.com', { defaultRegion: 'GB' }, { emails: ['07911123456@example.com'] }],
  ['transcript: name and phone', 'Hi, this is Jane Doe, call me back on 07911 123456', { defaultRegion: 'GB', transcript: true }, { phones: ['+447911123456'], names: ['Jane Doe'] }],
  ['names only in transcripts', 'Hi, this is Jane Doe', {}, {}],
  ['single word is not a name', 'my name is Jane and I am upset', { transcript: true }, {}],
];

describe('extractEvidence', () => {
  it.each(cases)('%s', (_title, text, options, expected) => {
    const evidence = extractEvidence(text, options);
    const of = (kind: 'email' | 'phone', strength: 'exact' | 'weak') =>
      evidence.contacts.filter((c) => c.kind === kind && c.strength === strength).map((c) => c.value);
    expect(of('email', 'exact')).toEqual(expected.emails ?? []);
    expect(of('email', 'weak')).toEqual(expected.weakEmails ?? []);
    expect(of('phone', 'exact')).toEqual(expected.phones ?? []);
    expect(of('phone', 'weak')).toEqual([]);
    expect(evidence.names).toEqual(expected.names ?? []);
  });

  it('caps the candidates a message can propose', () => {
    const text = Array.from({ length: 300 }, (_, i) => `u${i}@ex${i}.com +44 7911 1${String(i).padStart(5, '0')}`).join(' ');
    const evidence = extractEvidence(text, { transcript: true });
    expect(evidence.contacts.filter((c) => c.kind === 'email')).toHaveLength(maxContactsPerKind);
    expect(evidence.contacts.filter((c) => c.kind === 'phone')).toHaveLength(maxContactsPerKind);
    expect(evidence.contacts[0]).toEqual({ kind: 'email', value: 'u0@ex0.com', strength: 'exact' });
  });

  // Shapes that make naive patterns backtrack; each must come back (the test timeout is the bound) with nothing.
  const hostile: [string, string][] = [
    ['letters', 'a'.repeat(20_000)],
    ['at signs', 'a@'.repeat(10_000)],
    ['near-emails without a TLD', `${'a'.repeat(60)}@b.`.repeat(300)],
    ['dotted local parts', `${'a.'.repeat(40)}@b.`.repeat(200)],
    ['long labels', `${'a'.repeat(63)}.`.repeat(300)],
    ['spaces before a bracket', `${' '.repeat(20_000)}[at]`],
    ['spelled-out words', 'x at '.repeat(4_000)],
    ['spelled-out dots', `jane at ${'a dot '.repeat(3_000)}`],
    ['digit pairs', '1 '.repeat(10_000)],
    ['parentheses', '(1) '.repeat(5_000)],
    ['plus signs', '+1 '.repeat(6_000)],
    ['digits', '7'.repeat(20_000)],
    ['capitalised words', `this is ${'Aa '.repeat(6_000)}`],
  ];
  it.each(hostile)('stays bounded on hostile input: %s', (_title, text) => {
    const evidence = extractEvidence(text, { defaultRegion: 'GB', transcript: true });
    expect(evidence.contacts.length).toBeLessThanOrEqual(2 * maxContactsPerKind);
    expect(evidence.contacts.filter((c) => c.kind === 'email')).toEqual([]);
  });

  it('never throws and only returns normalised values (property)', () => {
    const alphabet = fc.constantFrom(...'ab1 @.+-()[]07\t\n'.split(''), ' at ', ' dot ', '+44 ', '07911 123456', 'x@y.com');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }).map((parts) => parts.join('')), (text) => {
        const evidence = extractEvidence(text, { defaultRegion: 'GB', transcript: true });
        for (const c of evidence.contacts) {
          if (c.kind === 'email') expect(normalizeEmail(c.value)).toBe(c.value);
          else expect(c.value).toMatch(/^\+[1-9]\d{6,14}$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('normalisers', () => {
  it.each([
    ['  Jane@Example.COM ', 'jane@example.com'],
    ['not an email', null],
    ['a@b', null],
    [`${'a'.repeat(250)}@example.com`, null],
  ])('normalizeEmail(%j) = %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    ['+44 7911 123456', undefined, '+447911123456'],
    ['07911 123456', 'GB', '+447911123456'],
    ['(212) 555-0123', 'US', '+12125550123'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['07911 123456', undefined, null],
    ['12345', 'GB', null],
  ] as const)('normalizePhone(%j, %s) = %j', (input, region, expected) => {
    expect(normalizePhone(input, region)).toBe(expected);
  });

  it('accepts only regions libphonenumber knows', () => {
    expect(phoneRegionOf('gb')).toBe('GB');
    expect(phoneRegionOf('XX')).toBeUndefined();
    expect(phoneRegionOf(null)).toBeUndefined();
  });
});
