import { parse } from 'lossless-json';

/**
 * Parses a platform's JSON keeping every integer above 2^53 exact, as a string (X and Facebook ids are such
 * integers and JSON.parse would round them). Small numbers stay numbers.
 */
export function parsePlatformJson(text: string): unknown {
  return parse(text, undefined, (digits: string) => {
    const n = Number(digits);
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(digits) ? n : digits;
  });
}
