import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

export type ContactKind = 'email' | 'phone';

/** exact: written out plainly; weak: recovered from an obfuscated spelling ("jane [at] example [dot] com"). */
export type EvidenceStrength = 'exact' | 'weak';

export interface ContactEvidence {
  kind: ContactKind;
  /** Normalised: lower-case email address, or E.164 phone number. */
  value: string;
  strength: EvidenceStrength;
}

export interface ExtractedEvidence {
  contacts: ContactEvidence[];
  /** Names a caller gives in a transcript ("this is Jane Doe"); empty for other texts. */
  names: string[];
}

export interface ExtractOptions {
  /** Region for numbers written in national format ("07911 123456"); without it only international numbers count. */
  defaultRegion?: CountryCode;
  /** A speech-to-text transcript: names are looked for too. */
  transcript?: boolean;
}

// Caps keep a hostile message cheap: every regex below has bounded repetition, and a message can propose only a
// handful of identities however many it contains.
export const maxContactsPerKind = 5;
export const maxNames = 2;
const maxCandidates = 40;
const maxScannedChars = 20_000;

// Local part and domain labels are bounded; the look-behind keeps "@jane@mastodon.social" (a mention) and URLs out.
const emailPattern =
  /(?<![\w.+%@/-])([a-z0-9_%+-](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?)@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,5}[a-z]{2,24})(?![\w@-]|\.[a-z0-9])/gi;

// Obfuscated spellings, rewritten to plain ones before a second pass of emailPattern.
const bracketAt = /[ \t]{0,3}[[({<][ \t]{0,3}(?:at|@)[ \t]{0,3}[\])}>][ \t]{0,3}/gi;
const bracketDot = /[ \t]{0,3}[[({<][ \t]{0,3}(?:dot|\.)[ \t]{0,3}[\])}>][ \t]{0,3}/gi;
const spacedAt = /\b([a-z0-9][a-z0-9._-]{0,63})[ \t]{1,3}@[ \t]{1,3}([a-z0-9-]{1,63}\.[a-z])/gi;
const spelledOut = /\b([a-z0-9][a-z0-9._-]{0,63}(?: dot [a-z0-9_-]{1,63}){0,3}) at ([a-z0-9-]{1,63}(?: dot [a-z0-9-]{1,63}){1,4})\b/gi;

// A run of digits with the separators people type; libphonenumber decides whether it is a real number.
const phoneCandidatePattern = /(?<![\w@/.+-])(?:\+|\()?\d[\d \t().-]{5,22}\d(?![\w@]|[.-]\d)/g;

const namePattern = /\b(?:my name is|this is|it's|it is|name's)[ \t]{1,3}([A-Z][a-z'’-]{1,30}(?:[ \t]{1,3}[A-Z][a-z'’-]{1,30}){1,2})\b/g;

/** The region a workspace setting names, when libphonenumber knows it. */
export function phoneRegionOf(value: unknown): CountryCode | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return isSupportedCountry(code) ? code : undefined;
}

/** A phone number in E.164, or null when it is not a valid number. */
export function normalizePhone(text: string, defaultRegion?: CountryCode): string | null {
  const digits = text.replace(/\D/g, '').length;
  if (digits < 7 || digits > 17) return null;
  const parsed = parsePhoneNumberFromString(text, defaultRegion);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** An email address in its stored form (lower case), or null when it is not one. */
export function normalizeEmail(text: string): string | null {
  const value = text.trim().toLowerCase();
  if (value.length > 254) return null;
  emailPattern.lastIndex = 0;
  const match = emailPattern.exec(value);
  emailPattern.lastIndex = 0;
  return match && match[0] === value ? value : null;
}

function emailsIn(text: string): string[] {
  const found: string[] = [];
  let examined = 0;
  emailPattern.lastIndex = 0;
  for (let match = emailPattern.exec(text); match; match = emailPattern.exec(text)) {
    examined += 1;
    const value = match[0].toLowerCase();
    if (value.length <= 254 && !found.includes(value)) found.push(value);
    if (found.length >= maxContactsPerKind || examined >= maxCandidates) break;
  }
  emailPattern.lastIndex = 0;
  return found;
}

function deobfuscate(text: string): string {
  return text
    .replace(bracketAt, '@')
    .replace(bracketDot, '.')
    .replace(spacedAt, '$1@$2')
    .replace(spelledOut, (_whole, local: string, domain: string) => `${local.replace(/ dot /g, '.')}@${domain.replace(/ dot /g, '.')}`);
}

function phonesIn(text: string, defaultRegion: CountryCode | undefined): string[] {
  const found: string[] = [];
  let examined = 0;
  phoneCandidatePattern.lastIndex = 0;
  for (let match = phoneCandidatePattern.exec(text); match; match = phoneCandidatePattern.exec(text)) {
    examined += 1;
    const value = normalizePhone(match[0], defaultRegion);
    if (value && !found.includes(value)) found.push(value);
    if (found.length >= maxContactsPerKind || examined >= maxCandidates) break;
  }
  phoneCandidatePattern.lastIndex = 0;
  return found;
}

function namesIn(text: string): string[] {
  const found: string[] = [];
  namePattern.lastIndex = 0;
  for (let match = namePattern.exec(text); match && found.length < maxNames; match = namePattern.exec(text)) {
    const name = match[1].replace(/[ \t]+/g, ' ');
    if (!found.includes(name)) found.push(name);
  }
  namePattern.lastIndex = 0;
  return found;
}

/**
 * The email addresses, phone numbers (and, in transcripts, names) a customer gives in a message. Pure and bounded:
 * linear in the text, at most `maxContactsPerKind` of each kind.
 */
export function extractEvidence(text: string, options: ExtractOptions = {}): ExtractedEvidence {
  const scanned = text.length > maxScannedChars ? text.slice(0, maxScannedChars) : text;
  const plainEmails = emailsIn(scanned);
  const contacts: ContactEvidence[] = plainEmails.map((value) => ({ kind: 'email', value, strength: 'exact' }));
  if (plainEmails.length < maxContactsPerKind) {
    for (const value of emailsIn(deobfuscate(scanned))) {
      if (contacts.length >= maxContactsPerKind) break;
      if (!plainEmails.includes(value)) contacts.push({ kind: 'email', value, strength: 'weak' });
    }
  }
  for (const value of phonesIn(scanned, options.defaultRegion)) contacts.push({ kind: 'phone', value, strength: 'exact' });
  return { contacts, names: options.transcript ? namesIn(scanned) : [] };
}
