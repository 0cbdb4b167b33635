import { hmacSha256, signaturesMatch } from '../shared/webhook-signature.ts';

/** Checks `X-Hub-Signature-256` (lowercase hex HMAC-SHA256 of the raw, still-escaped body under the app secret). */
export function verifyFacebookSignature(appSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !appSecret) return false;
  return signaturesMatch(`sha256=${hmacSha256(appSecret, rawBody, 'hex')}`, header.trim().toLowerCase());
}
