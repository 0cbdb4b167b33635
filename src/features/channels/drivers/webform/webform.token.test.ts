import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkFormToken, issueFormToken } from './webform.token.ts';
import { countLinks, mapFormSubmission } from './webform.mapper.ts';

const key = crypto.randomBytes(32);
const issued = new Date('2026-03-02T10:00:00.000Z');
const limits = { minFillMs: 3_000, maxAgeMs: 86_400_000 };
const at = (ms: number) => new Date(issued.getTime() + ms);

describe('form token', () => {
  const token = issueFormToken(key, 'channel-a', issued);

  it.each([
    ['at once', 0, { ok: false, reason: 'too_fast' }],
    ['after 2.9 s', 2_900, { ok: false, reason: 'too_fast' }],
    ['after 3 s', 3_000, { ok: true, issuedAt: issued }],
    ['after a day', 86_400_000, { ok: true, issuedAt: issued }],
    ['after a day and a second', 86_401_000, { ok: false, reason: 'expired' }],
  ])('%s', (_name, delay, expected) => {
    expect(checkFormToken(key, 'channel-a', token, at(delay), limits)).toEqual(expected);
  });

  it('survives a key rotation: still good while the old key is listed as previous', () => {
    const rotated = Object.assign(crypto.randomBytes(32), { previousKeys: [key] });
    expect(checkFormToken(rotated, 'channel-a', token, at(5_000), limits)).toEqual({ ok: true, issuedAt: issued });
    expect(checkFormToken(crypto.randomBytes(32), 'channel-a', token, at(5_000), limits)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('is bound to its channel and key, and cannot be back-dated', () => {
    expect(checkFormToken(key, 'channel-b', token, at(5_000), limits)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkFormToken(crypto.randomBytes(32), 'channel-a', token, at(5_000), limits)).toEqual({ ok: false, reason: 'invalid' });
    const [, , mac] = token.split('.');
    const older = `v1.${(issued.getTime() - 60_000).toString(36)}.${mac}`;
    expect(checkFormToken(key, 'channel-a', older, at(0), limits)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkFormToken(key, 'channel-a', 'garbage', at(5_000), limits)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('countLinks', () => {
  it.each([
    ['no links here', 0],
    ['see https://example.com/a and http://b.example', 2],
    ['www.cheap-pills.example www.more.example https://x.example', 3],
    ['email me at a@b.example', 0],
  ])('%s → %i', (text, n) => {
    expect(countLinks(text)).toBe(n);
  });
});

describe('mapFormSubmission', () => {
  it('is a private message from the email identity; the same submission twice has the same external id', () => {
    const form = { name: ' Dana  Lee ', email: 'Dana@Example.COM', subject: 'Refund', message: 'I was charged twice.', token: 't1' };
    const a = mapFormSubmission(form, issued);
    const b = mapFormSubmission(form, issued);
    expect(a).toMatchObject({
      author: { platform: 'email', externalId: 'dana@example.com', displayName: 'Dana Lee' },
      text: 'Refund\n\nI was charged twice.', isPublic: false,
    });
    expect(a?.externalId).toBe(b?.externalId);
    expect(mapFormSubmission({ ...form, token: 't2' }, issued)?.externalId).not.toBe(a?.externalId);
  });
});
