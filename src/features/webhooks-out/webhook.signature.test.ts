import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedHeaders, verifyWebhookSignature, webhookSignature } from './webhook.signature.ts';
import { classifyStatus, retryAfterMs } from './webhook.sender.ts';
import { isWebhookEventPattern } from './webhook-event-types.ts';

describe('webhook signatures', () => {
  const secret = 'whsec_test-secret-of-enough-length';
  const body = '{"id":"d1","event":{"type":"case.created"}}';
  const at = new Date('2026-03-01T12:00:00Z');

  it('signs <timestamp>.<body> with HMAC-SHA256, hex, as documented', () => {
    const headers = signedHeaders({ secret, deliveryId: 'd1', eventType: 'case.created', body, at });
    const expected = crypto.createHmac('sha256', secret).update(`1772366400.${body}`).digest('hex');
    expect(headers).toEqual({
      'parley-webhook-id': 'd1',
      'parley-webhook-event': 'case.created',
      'parley-webhook-timestamp': '1772366400',
      'parley-webhook-signature': `v1=${expected}`,
    });
  });

  it('verifies a fresh, untouched delivery and nothing else', () => {
    const signature = `v1=${webhookSignature(secret, 1772366400, body)}`;
    const ok = { secret, body, timestamp: '1772366400', signature, now: at };
    expect(verifyWebhookSignature(ok)).toBe(true);
    expect(verifyWebhookSignature({ ...ok, signature: `v1=${'0'.repeat(64)}, ${signature}` })).toBe(true);
    expect(verifyWebhookSignature({ ...ok, body: body.replace('d1', 'd2') })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, secret: 'another secret' })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, timestamp: '1772366401' })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, now: new Date(at.getTime() + 301_000) })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, signature: signature.replace('v1=', 'v0=') })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, timestamp: 'soon' })).toBe(false);
  });
});

describe('delivery outcomes', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it.each([
    [200, 'delivered'], [204, 'delivered'], [500, 'retry'], [503, 'retry'], [429, 'retry'], [408, 'retry'],
    [400, 'rejected'], [404, 'rejected'], [410, 'rejected'], [301, 'rejected'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(classifyStatus(status, undefined, now).kind).toBe(kind);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 12:05:00 GMT', now)).toBe(300_000);
    expect(retryAfterMs('yesterday', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(classifyStatus(429, '30', now)).toEqual({ kind: 'retry', status: 429, error: 'HTTP 429', retryAfterMs: 30_000 });
  });
});

describe('event patterns', () => {
  it.each([
    ['case.created', true], ['sla.breached', true], ['case.churn_risk', true], ['case.*', true], ['alert.*', true], ['alert.raised', true],
    ['reply.sent', false], ['*', false], ['case.nonsense', false], ['alert.', false], ['message.received', false],
  ])('%s is a pattern: %s', (pattern, ok) => {
    expect(isWebhookEventPattern(pattern)).toBe(ok);
  });
});
