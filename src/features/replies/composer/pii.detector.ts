import { findPhoneNumbersInText } from 'libphonenumber-js';

export type PersonalDataKind = 'email' | 'phone' | 'account-number' | 'card-number' | 'address';

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

// Bounded quantifiers everywhere: drafts are short, but nothing here may backtrack badly on a hostile string.
// Not after an @: `@priya@mastodon.social` is a Fediverse handle, not an address.
const emailPattern = /(?<![@\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,8}/gu;
const accountPattern = /\b(?:account|acct|order|reference|ref|customer|contract|policy|booking|invoice|ticket)(?:\s+(?:no|number|num|id))?\.?\s*(?:#|:)?\s*([A-Z0-9][A-Z0-9-]{4,24})\b/gi;
const cardPattern = /\b(?:\d[ -]?){12,18}\d\b/g;
const streetPattern = /\b\d{1,5}[a-z]?\s+(?:[A-Z][a-z]{1,20}\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Close|Way|Court|Ct|Place|Pl|Terrace|Crescent|Gardens|Square|Rue|Straße|Strasse)\b\.?/g;
// libphonenumber only finds numbers valid in its metadata; a number-shaped run of 9–15 digits is still personal.
const phoneShaped = /(?:\+|\b0)\d[\d ().-]{7,18}\d\b/g;
const ukPostcode = /\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function collect(pattern: RegExp, text: string, kind: PersonalDataKind, group = 0, accept: (m: string) => boolean = () => true): PersonalDataFinding[] {
  const out: PersonalDataFinding[] = [];
  for (const match of text.matchAll(pattern)) {
    const value = match[group];
    if (value === undefined || match.index === undefined || !accept(value)) continue;
    const offset = group === 0 ? 0 : match[0].indexOf(value);
    out.push({ kind, start: match.index + offset, end: match.index + offset + value.length });
  }
  return out;
}

/** Personal data that must not be posted in public: emails, phone numbers, account or order numbers, cards, addresses. */
export function findPersonalData(text: string, defaultCountry: 'GB' | 'US' = 'GB'): PersonalDataFinding[] {
  const findings = [
    ...collect(emailPattern, text, 'email'),
    ...collect(accountPattern, text, 'account-number', 1, (v) => /\d/.test(v)),
    ...collect(cardPattern, text, 'card-number', 0, (v) => luhn(v.replace(/\D/g, ''))),
    ...collect(streetPattern, text, 'address'),
    ...collect(ukPostcode, text, 'address'),
    ...findPhoneNumbersInText(text, defaultCountry).map((p) => ({ kind: 'phone' as const, start: p.startsAt, end: p.endsAt })),
    ...collect(phoneShaped, text, 'phone', 0, (v) => {
      const digits = v.replace(/\D/g, '').length;
      return digits >= 9 && digits <= 15;
    }),
  ];
  // A card number also parses as a phone number; keep the most specific finding for each span.
  const specificity: Record<PersonalDataKind, number> = { email: 0, 'card-number': 1, 'account-number': 2, address: 3, phone: 4 };
  findings.sort((a, b) => a.start - b.start || specificity[a.kind] - specificity[b.kind] || b.end - a.end);
  const kept: PersonalDataFinding[] = [];
  for (const f of findings) {
    const last = kept.at(-1);
    if (last && f.start < last.end) continue;
    kept.push(f);
  }
  return kept;
}
