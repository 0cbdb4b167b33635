import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasPayloads, listPayloads, readPayload } from '../../../../../test/support/payloads.ts';
import { parsePlatformJson } from '../shared/lossless-json.ts';
import { mapFacebookWebhook } from './facebook.mapper.ts';
import { verifyFacebookSignature } from './facebook.signature.ts';

const fb = (file: string) => mapFacebookWebhook(parsePlatformJson(readPayload('facebook', file).toString('utf8')));

describe.skipIf(!hasPayloads('facebook'))('Facebook webhook payloads (../shared/data)', () => {
  it('maps every real sample without throwing, each event either a message or a skip with a reason', () => {
    const files = listPayloads('facebook').filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) {
      const result = fb(file);
      expect(result.messages.length + result.skipped.length, file).toBeGreaterThan(0);
      for (const s of result.skipped) expect(s.reason.length, file).toBeGreaterThan(0);
    }
  });

  it.each([
    // The commenter in this sample is the Page itself, so it is recorded as the brand's own answer.
    ['facebook-page-feed-webhook.json', { externalId: '901097836652708_903438993085259', direction: 'outbound', text: 'and the next one', isPublic: true, replyToExternalId: '1234567890321_901097836652708' }],
    ['facebook-page-feed-visitor-post-add.json', { direction: 'inbound', isPublic: true }],
    ['facebook-page-mention-comment-add.json', { externalId: '7363534231324_3754798971271444', direction: 'inbound', text: 'Just a test message', author: { platform: 'facebook', externalId: 'unknown:7363534231324_3754798971271444' } }],
    ['facebook-page-ratings-review-add.json', { text: 'Ja ziemlich coole Sache', author: { platform: 'facebook', externalId: '705955836155788', displayName: 'Tester' } }],
    ['facebook-messenger-webhook.json', { direction: 'inbound', isPublic: false }],
    ['facebook-messenger-reply.json', { externalId: 'mid.1457764197618:41d102a3e1ae206a38', text: 'hello, world!', replyToExternalId: 'very_long_id_representing_the_original_message', author: { platform: 'facebook', externalId: '987654321432' }, isPublic: false }],
    ['facebook-messenger-echo.json', { direction: 'outbound', isPublic: false }],
    ['facebook-messenger-attachment.json', { text: '[image attachment]' }],
    ['facebook-messenger-postback.json', { direction: 'inbound', isPublic: false }],
  ])('%s', (file, expected) => {
    const { messages } = fb(file);
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toMatchObject(expected);
  });

  it.each([
    ['facebook-page-feed-comment-edited.json', 'verb edited'],
    ['facebook-page-feed-comment-remove.json', 'verb remove'],
    ['facebook-page-feed-comment-hide-legacy-sender-fields.json', 'verb hide'],
    ['facebook-page-feed-reaction-add.json', 'reaction without text'],
    ['facebook-messenger-delivery.json', 'receipt'],
    ['facebook-messenger-read.json', 'receipt'],
  ])('skips %s', (file, reason) => {
    const result = fb(file);
    expect(result.messages).toHaveLength(0);
    expect(result.skipped[0].reason).toContain(reason);
  });

  it('reads both entries of a batched delivery', () => {
    expect(fb('facebook-page-two-entries-batched.json').skipped).toHaveLength(2);
  });
});

describe('X-Hub-Signature-256', () => {
  it('is checked over the raw escaped bytes, not the decoded text', () => {
    const raw = Buffer.from('{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"message":"\\u00e4\\u00f6\\u00e5"}}]}]}');
    const signature = `sha256=${crypto.createHmac('sha256', 'app-secret').update(raw).digest('hex')}`;
    expect(verifyFacebookSignature('app-secret', raw, signature)).toBe(true);
    const decoded = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(verifyFacebookSignature('app-secret', decoded, signature)).toBe(false);
    expect(verifyFacebookSignature('app-secret', raw, signature.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
    expect(verifyFacebookSignature('other-secret', raw, signature)).toBe(false);
    expect(verifyFacebookSignature('app-secret', raw, undefined)).toBe(false);
    expect(verifyFacebookSignature('', raw, signature)).toBe(false);
  });
});
