import crypto from 'node:crypto';
import { keyringOf } from '../../../../platform/crypto.ts';
import type { SecretKey } from '../../../../platform/crypto.ts';

/**
 * The web form's fill-time token: the time the form was handed out, signed with the installation's secret key so a
 * bot cannot mint one that looks old. A submission must come at least `minFillMs` after the token (people take
 * seconds to type; scripts post at once) and before it expires.
 */

export type FormTokenCheck = { ok: true; issuedAt: Date } | { ok: false; reason: 'invalid' | 'too_fast' | 'expired' };

function mac(secretKey: Buffer, channelId: string, issuedMs: number): string {
  // Domain-separated from every other use of the key.
  return crypto.createHmac('sha256', secretKey).update(`parley-webform-v1:${channelId}:${issuedMs}`).digest('base64url');
}

export function issueFormToken(secretKey: Buffer, channelId: string, now: Date): string {
  const issuedMs = now.getTime();
  return `v1.${issuedMs.toString(36)}.${mac(secretKey, channelId, issuedMs)}`;
}

/** Checks a token signed under the current key or one it replaced (a rotation must not void forms being filled in). */
export function checkFormToken(
  secretKey: SecretKey,
  channelId: string,
  token: string,
  now: Date,
  limits: { minFillMs: number; maxAgeMs: number },
): FormTokenCheck {
  const match = /^v1\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const issuedMs = parseInt(match[1], 36);
  const given = Buffer.from(match[2]);
  const signed = keyringOf(secretKey).some((key) => {
    const expected = Buffer.from(mac(key, channelId, issuedMs));
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  });
  if (!signed) return { ok: false, reason: 'invalid' };
  const age = now.getTime() - issuedMs;
  if (age < limits.minFillMs) return { ok: false, reason: 'too_fast' };
  if (age > limits.maxAgeMs) return { ok: false, reason: 'expired' };
  return { ok: true, issuedAt: new Date(issuedMs) };
}
