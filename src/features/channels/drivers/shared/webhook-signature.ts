import crypto from 'node:crypto';

/** Constant-time comparison of two signature strings (different lengths compare unequal without leaking where). */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  if (a.length !== b.length) {
    crypto.timingSafeEqual(a, a);
    return false;
  }
  return crypto.timingSafeEqual(a, b);
}

export function hmacSha256(key: string, message: string | Buffer, encoding: 'base64' | 'hex'): string {
  return crypto.createHmac('sha256', key).update(message).digest(encoding);
}
