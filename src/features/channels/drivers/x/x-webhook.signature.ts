import { hmacSha256, signaturesMatch } from '../shared/webhook-signature.ts';

/** The answer to X's challenge-response check: `sha256=` + base64 HMAC-SHA256 of the token under the consumer secret. */
export function xCrcResponse(consumerSecret: string, crcToken: string): string {
  return `sha256=${hmacSha256(consumerSecret, crcToken, 'base64')}`;
}

/** Checks `x-twitter-webhooks-signature` over the raw body bytes, in constant time. */
export function verifyXSignature(consumerSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header || !consumerSecret) return false;
  return signaturesMatch(`sha256=${hmacSha256(consumerSecret, rawBody, 'base64')}`, header.trim());
}
