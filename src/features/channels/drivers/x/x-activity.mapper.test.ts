import { describe, expect, it } from 'vitest';
import { hasPayloads, readPayload } from '../../../../../test/support/payloads.ts';
import { parsePlatformJson } from '../shared/lossless-json.ts';
import { mapXAccountActivity } from './x-activity.mapper.ts';
import { verifyXSignature, xCrcResponse } from './x-webhook.signature.ts';

const secret = 'example_consumer_secret_not_real';

describe.skipIf(!hasPayloads('x'))('X Account Activity (../shared/data)', () => {
  it('answers the documented CRC test vector', () => {
    expect(xCrcResponse(secret, 'challenge_string')).toBe('sha256=nBhlsNL7UIHBMHukcu+dUMXozYBy4d9rASMaot5oK5k=');
  });

  it('verifies the documented POST signature vector over the raw bytes, and nothing else', () => {
    const body = readPayload('x', 'x-account-activity-tweet-delete-event.json');
    const header = 'sha256=cgltwCt91Idtzhem5JkBzban/ux/bu0vEChPrhGS4jo=';
    expect(verifyXSignature(secret, body, header)).toBe(true);
    expect(verifyXSignature(secret, Buffer.concat([body, Buffer.from(' ')]), header)).toBe(false);
    expect(verifyXSignature('wrong', body, header)).toBe(false);
    expect(verifyXSignature(secret, body, undefined)).toBe(false);
  });

  it('maps the real mention capture with exact ids (above 2^53)', () => {
    const result = mapXAccountActivity(parsePlatformJson(readPayload('x', 'x-account-activity-tweet-create-mention.json').toString()));
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]).toMatchObject({
      externalId: '1332557345071644672',
      direction: 'inbound',
      text: '@Learn_Awesome Save this',
      replyToExternalId: '1332252354599555074',
      isPublic: true,
      sentAt: '2020-11-28T05:30:03.440Z', // timestamp_ms is finer than created_at
      author: { platform: 'x', externalId: '1247048165561270272', handle: 'TanuLearns', followerCount: 20 },
    });
  });

  it('maps a DM as private, with the sender from the users map', () => {
    const result = mapXAccountActivity(parsePlatformJson(readPayload('x', 'x-account-activity-dm-event.json').toString()));
    expect(result.messages[0]).toMatchObject({
      externalId: 'dm:954491830116155396', direction: 'inbound', isPublic: false, text: 'Hello World!',
      author: { externalId: '3001969357', handle: 'furiouscamper' },
    });
  });

  it.each(['x-account-activity-dm-typing-event.json', 'x-account-activity-dm-read-event.json', 'x-account-activity-tweet-delete-event.json'])(
    'turns %s into no message',
    (file) => {
      expect(mapXAccountActivity(parsePlatformJson(readPayload('x', file).toString())).messages).toEqual([]);
    },
  );

  it('notices a revoked authorisation', () => {
    expect(mapXAccountActivity(parsePlatformJson(readPayload('x', 'x-account-activity-user-revoke-event.json').toString())).revoked).toBe(true);
  });
});

describe('X Account Activity mapping', () => {
  const user = (id: string) => ({ id_str: id, screen_name: `u${id}`, name: `User ${id}`, followers_count: 5 });
  it('records the brand’s own tweets as outbound, skips retweets, prefers the extended text', () => {
    const result = mapXAccountActivity({
      for_user_id: '100',
      tweet_create_events: [
        { id_str: '1', text: 'short…', extended_tweet: { full_text: 'the whole long text' }, user: user('7'), timestamp_ms: '1700000000000' },
        { id_str: '2', text: 'Sorry! DM us', in_reply_to_status_id_str: '1', user: user('100'), timestamp_ms: '1700000001000' },
        { id_str: '3', text: 'RT @u7: the whole', retweeted_status: { id_str: '1' }, user: user('8') },
        { text: 'no id', user: user('9') },
        'garbage',
      ],
    });
    expect(result.messages.map((m) => [m.externalId, m.direction, m.text])).toEqual([
      ['1', 'inbound', 'the whole long text'],
      ['2', 'outbound', 'Sorry! DM us'],
    ]);
    expect(result.skipped.map((s) => s.reason)).toEqual(['retweet', 'tweet without id or author', 'malformed tweet']);
  });

  it('refuses a body that is not Account Activity', () => {
    expect(mapXAccountActivity({ hello: 'world' }).skipped[0].reason).toContain('not an Account Activity body');
    expect(mapXAccountActivity(null).messages).toEqual([]);
  });
});
