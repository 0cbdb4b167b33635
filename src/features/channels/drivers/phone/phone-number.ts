import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { isSupportedCountry } from 'libphonenumber-js';

/** An ISO 3166 country code that libphonenumber knows, for numbers written without a country prefix. */
export function countryOf(value: unknown): CountryCode | undefined {
  return typeof value === 'string' && isSupportedCountry(value.toUpperCase()) ? (value.toUpperCase() as CountryCode) : undefined;
}

/**
 * A phone number in E.164 (`+14155550100`), or null when the text is not a possible number ("Anonymous",
 * "client:alice", withheld caller ids). The same person must map to the same identity whichever way the number was
 * written, so every phone identity in Parley goes through here.
 */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): string | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 40) return null;
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}
