import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPrivateLinkToken, issuePrivateLinkToken, privateLinkTokenPattern } from './private-link.token.ts';

const key = crypto.randomBytes(32);
const binding = { workspaceId: '11111111-1111-4111-8111-111111111111', caseId: '22222222-2222-4222-8222-222222222222', expiresAt: new Date('2026-03-09T10:00:00Z') };

describe('private link token', () => {
  const token = issuePrivateLinkToken(key, binding);

  it('is 52 lower-case letters, different every time, and good for its own binding', () => {
    expect(token).toMatch(privateLinkTokenPattern);
    expect(issuePrivateLinkToken(key, binding)).not.toBe(token);
    expect(checkPrivateLinkToken(key, token, binding)).toBe(true);
  });

  it.each([
    ['another workspace', { ...binding, workspaceId: '33333333-3333-4333-8333-333333333333' }],
    ['another case', { ...binding, caseId: '44444444-4444-4444-8444-444444444444' }],
    ['a later expiry', { ...binding, expiresAt: new Date(binding.expiresAt.getTime() + 1) }],
  ])('is refused for %s', (_name, other) => {
    expect(checkPrivateLinkToken(key, token, other)).toBe(false);
  });

  it('survives a key rotation: still good while the old key is listed as previous, not after', () => {
    const rotated = Object.assign(crypto.randomBytes(32), { previousKeys: [key] });
    expect(checkPrivateLinkToken(rotated, token, binding)).toBe(true);
    expect(checkPrivateLinkToken(Object.assign(crypto.randomBytes(32), { previousKeys: [] }), token, binding)).toBe(false);
  });

  it('is refused under another key, with any letter changed, or in any other shape', () => {
    expect(checkPrivateLinkToken(crypto.randomBytes(32), token, binding)).toBe(false);
    for (const i of [0, 31, 32, 51]) {
      const changed = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
      expect(checkPrivateLinkToken(key, changed, binding), `letter ${i}`).toBe(false);
    }
    for (const bad of ['', token.slice(0, 51), `${token}a`, token.toUpperCase(), `${token.slice(0, 51)}1`]) {
      expect(checkPrivateLinkToken(key, bad, binding)).toBe(false);
    }
  });
});
