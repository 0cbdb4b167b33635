import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, inspectSecret, loadSecretKey, secretKeyId } from './crypto.ts';

const oldHex = crypto.randomBytes(32).toString('hex');
const newBase64 = crypto.randomBytes(32).toString('base64');
const strangerHex = crypto.randomBytes(32).toString('hex');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-crypto-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** How secrets were sealed before key ids existed: `v1.<iv>.<tag>.<ciphertext>`. */
function sealV1(key: Buffer, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

describe('channel credential sealing across a key rotation', () => {
  const oldKey = loadSecretKey(oldHex, tmp);
  const rotated = loadSecretKey(newBase64, tmp, [oldHex]);
  const stranger = loadSecretKey(strangerHex, tmp);

  it.each([
    { name: 'v2 under the current key', sealed: () => encryptSecret(rotated, 'app-password'), state: 'current' },
    { name: 'v2 under the previous key', sealed: () => encryptSecret(oldKey, 'app-password'), state: 'stale' },
    { name: 'v1 under the previous key', sealed: () => sealV1(oldKey, 'app-password'), state: 'stale' },
    { name: 'v1 under the current key', sealed: () => sealV1(rotated, 'app-password'), state: 'stale' },
    { name: 'v2 under a key nobody configured', sealed: () => encryptSecret(stranger, 'app-password'), state: 'unreadable' },
    { name: 'v1 under a key nobody configured', sealed: () => sealV1(stranger, 'app-password'), state: 'unreadable' },
    { name: 'garbage', sealed: () => 'not-a-secret', state: 'unreadable' },
  ])('$name is $state', ({ sealed, state }) => {
    const text = sealed();
    const inspected = inspectSecret(rotated, text);
    expect(inspected.state).toBe(state);
    if (state === 'unreadable') {
      expect(() => decryptSecret(rotated, text)).toThrow();
      expect(JSON.stringify(inspected)).not.toContain('app-password');
    } else {
      expect(decryptSecret(rotated, text)).toBe('app-password');
    }
  });

  it('names its key in every sealed secret, and the name is stable but reveals nothing of the key', () => {
    const sealed = encryptSecret(rotated, 'x');
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealed.split('.')[1]).toBe(secretKeyId(rotated));
    expect(secretKeyId(loadSecretKey(newBase64, tmp))).toBe(secretKeyId(rotated));
    expect(secretKeyId(rotated)).not.toBe(secretKeyId(oldKey));
    expect(newBase64).not.toContain(secretKeyId(rotated));
    // The key alone (without its previous keys) no longer opens what the old key sealed.
    expect(() => decryptSecret(loadSecretKey(newBase64, tmp), encryptSecret(oldKey, 'x'))).toThrow(/key this process does not have/);
  });

  it('refuses a damaged secret under a known key instead of returning garbage', () => {
    const parts = encryptSecret(rotated, 'app-password').split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 0xff;
    parts[4] = body.toString('base64url');
    expect(inspectSecret(rotated, parts.join('.'))).toMatchObject({ state: 'unreadable', reason: expect.stringMatching(/damaged or altered/) });
  });

  it('loads previous keys once each, ignores the current key among them, and names a bad one', () => {
    expect(loadSecretKey(newBase64, tmp, [oldHex, oldHex, newBase64]).previousKeys).toHaveLength(1);
    expect(() => loadSecretKey(newBase64, tmp, ['too-short'])).toThrow(/PARLEY_SECRET_KEY_PREVIOUS must be 32 bytes/);
    expect(() => loadSecretKey('abc', tmp)).toThrow(/PARLEY_SECRET_KEY must be 32 bytes/);
  });

  it('generates the embedded key once into the data directory', () => {
    const dir = path.join(tmp, 'embedded');
    const first = loadSecretKey(undefined, dir);
    expect(secretKeyId(loadSecretKey(undefined, dir))).toBe(secretKeyId(first));
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });
});
