import crypto from 'node:crypto';
import { keyringOf } from '../../platform/crypto.ts';
import type { SecretKey } from '../../platform/crypto.ts';

/**
 * The token of a secure link to a private conversation: 32 random letters (150 bits) followed by 20 letters of an
 * HMAC-SHA256, under the installation's secret key, over those letters, the workspace, the case and the expiry. The
 * database keeps only the token's SHA-256 with the case and expiry; a token is good only when both agree, so neither
 * a leaked table nor a row written behind Parley's back can mint one.
 *
 * Lower-case letters only: the link is posted in public next to text that is checked for personal data, and a run of
 * digits could read as a phone or account number; letters also survive every platform's link detection unchanged.
 */

const alphabet = 'abcdefghijklmnopqrstuvwxyz';
const randomLength = 32;
const macLength = 20;
export const privateLinkTokenPattern = /^[a-z]{52}$/;

export interface PrivateLinkBinding {
  workspaceId: string;
  caseId: string;
  expiresAt: Date;
}

function randomLetters(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      // 234 = 9 × 26: bytes above it are dropped so every letter is equally likely.
      if (byte < 234 && out.length < length) out += alphabet[byte % 26];
    }
  }
  return out;
}

function macLetters(secretKey: Buffer, nonce: string, binding: PrivateLinkBinding): string {
  const digest = crypto
    .createHmac('sha256', secretKey)
    // Domain-separated from every other use of the key.
    .update(`parley-private-link-v1:${nonce}:${binding.workspaceId}:${binding.caseId}:${binding.expiresAt.getTime()}`)
    .digest();
  let out = '';
  for (let i = 0; i < macLength; i += 1) out += alphabet[digest[i] % 26];
  return out;
}

export function issuePrivateLinkToken(secretKey: Buffer, binding: PrivateLinkBinding): string {
  const nonce = randomLetters(randomLength);
  return nonce + macLetters(secretKey, nonce, binding);
}

/**
 * Whether the token was issued for exactly this workspace, case and expiry (not whether it expired) under the current
 * key or one it replaced, so links handed out before `parley secrets rotate` keep working.
 */
export function checkPrivateLinkToken(secretKey: SecretKey, token: string, binding: PrivateLinkBinding): boolean {
  if (!privateLinkTokenPattern.test(token)) return false;
  const given = Buffer.from(token.slice(randomLength));
  return keyringOf(secretKey).some((key) => {
    const expected = Buffer.from(macLetters(key, token.slice(0, randomLength), binding));
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  });
}
