import crypto from 'node:crypto';

export const webhookHeaders = {
  id: 'parley-webhook-id',
  event: 'parley-webhook-event',
  timestamp: 'parley-webhook-timestamp',
  signature: 'parley-webhook-signature',
} as const;

/** How old a delivery's timestamp may be when a receiver checks it (docs/WEBHOOKS.md): five minutes. */
export const signatureToleranceSeconds = 300;

/** The HMAC-SHA256 of `<timestamp>.<raw body>` under the subscription's secret, hex encoded. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The headers of one delivery attempt: each attempt is signed afresh with its own timestamp. */
export function signedHeaders(input: { secret: string; deliveryId: string; eventType: string; body: string; at: Date }): Record<string, string> {
  const timestamp = Math.floor(input.at.getTime() / 1000);
  return {
    [webhookHeaders.id]: input.deliveryId,
    [webhookHeaders.event]: input.eventType,
    [webhookHeaders.timestamp]: String(timestamp),
    [webhookHeaders.signature]: `v1=${webhookSignature(input.secret, timestamp, input.body)}`,
  };
}

/**
 * What a receiver does (docs/WEBHOOKS.md), for receivers written in TypeScript: the timestamp is recent and one of
 * the `v1=` signatures matches, compared in constant time.
 */
export function verifyWebhookSignature(input: { secret: string; body: string; timestamp: string; signature: string; now: Date }): boolean {
  if (!/^\d{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.now.getTime() / 1000 - timestamp) > signatureToleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(input.secret, timestamp, input.body), 'hex');
  return input.signature.split(/\s*,\s*/).some((part) => {
    const match = /^v1=([0-9a-f]{64})$/.exec(part);
    return match !== null && crypto.timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
  });
}
