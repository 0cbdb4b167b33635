import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPersonalData } from './pii.detector.ts';

describe('findPersonalData', () => {
  it.each([
    ['an email address', 'write to tom.beckett@example.net please', ['email']],
    ['a UK mobile number', 'call me on 07700 900123', ['phone']],
    ['an international number', 'my number is +1 (415) 555-0132', ['phone']],
    ['a French number', 'joignable au +33 6 12 34 56 78', ['phone']],
    ['an account number', 'your account number 44718812 is fine', ['account-number']],
    ['an order reference', 'Order #AB-99812 shipped', ['account-number']],
    ['a card number (Luhn-valid)', 'card 4111 1111 1111 1111', ['card-number']],
    ['a street address', 'we will visit 12 Harrow Lane tomorrow', ['address']],
    ['a UK postcode', 'the engineer is near SW1A 1AA', ['address']],
    ['nothing personal', 'Sorry about the outage, it is fixed now.', []],
    ['a Fediverse handle is not an email', '@priya@mastodon.social sorry about that', []],
    ['a plain order word', 'in order to fix it we restarted the mast', []],
  ])('%s', (_name, text, kinds) => {
    expect(findPersonalData(text).map((f) => f.kind)).toEqual(kinds);
  });

  it('returns spans that cover the personal data', () => {
    const text = 'email tom@example.com now';
    const [finding] = findPersonalData(text);
    expect(text.slice(finding.start, finding.end)).toBe('tom@example.com');
  });

  it('handles hostile input without crashing or hanging', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        for (const f of findPersonalData(text)) expect(f.end).toBeGreaterThan(f.start);
      }),
      { numRuns: 200 },
    );
    const long = `${'a'.repeat(5000)}@${'b.'.repeat(3000)}`;
    const started = Date.now();
    findPersonalData(long);
    findPersonalData('1 '.repeat(20000));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
