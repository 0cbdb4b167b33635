import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A random token with a readable prefix, e.g. `pat_…` for API tokens or `pch_…` for channel tokens. */
export function generateToken(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
}

/** Tokens are long and random, so a fast hash is enough to store them; only the hash is kept. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

const keyFileName = 'secret.key';

/**
 * The key that seals channel credentials, carrying the keys it replaced. Every holder of `ctx.secretKey` (delivery,
 * listeners, webhooks) passes it to `decryptSecret`, so during a rotation they open secrets sealed under either key
 * without knowing a rotation is under way; `encryptSecret` always seals under the current key.
 */
export type SecretKey = Buffer & { readonly previousKeys?: readonly Buffer[] };

/**
 * The key that encrypts channel credentials: PARLEY_SECRET_KEY (32 bytes, base64 or hex) when set; otherwise a key
 * generated once into the data directory, so the embedded quick start needs no set-up. `previous` are the keys of
 * PARLEY_SECRET_KEY_PREVIOUS: still accepted for decryption until `parley secrets rotate` has re-sealed everything.
 */
export function loadSecretKey(secretKey: string | undefined, dataDir: string, previous: readonly string[] = []): SecretKey {
  const current = secretKey ? decodeKey(secretKey, 'PARLEY_SECRET_KEY') : loadOrCreateKeyFile(dataDir);
  const currentId = secretKeyId(current);
  const seen = new Set([currentId]);
  const previousKeys: Buffer[] = [];
  for (const text of previous) {
    const key = decodeKey(text, 'PARLEY_SECRET_KEY_PREVIOUS');
    const id = secretKeyId(key);
    if (seen.has(id)) continue;
    seen.add(id);
    previousKeys.push(key);
  }
  return Object.assign(current, { previousKeys });
}

function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, keyFileName);
  if (fs.existsSync(file)) return decodeKey(fs.readFileSync(file, 'utf8').trim(), file);
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error(`${source} must be 32 bytes, as 64 hex digits or base64`);
  return key;
}

/**
 * A short public name for a key, written into every sealed secret so decryption picks the right key at once and a
 * rotation can tell which secrets are already under the current key. Derived one way: it reveals nothing of the key.
 */
export function secretKeyId(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('parley-secret-key-id-v1').digest('base64url').slice(0, 11);
}

/**
 * Every key a secret may be sealed (or a token signed) under, the current one first. Signatures that must outlive a
 * rotation are verified against each and issued with the first.
 */
export function keyringOf(key: SecretKey): Buffer[] {
  return [key, ...(key.previousKeys ?? [])];
}

/** AES-256-GCM under the current key; the output is `v2.<key id>.<iv>.<tag>.<ciphertext>` in base64url. */
export function encryptSecret(key: SecretKey, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v2', secretKeyId(key), ...[iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url'))].join('.');
}

/**
 * Opens a sealed secret with the current key or one of the keys it replaced: `v2` names its key; `v1` (sealed before
 * key ids existed) is tried with each key, the GCM tag telling the right one. Throws when no key opens it.
 */
export function decryptSecret(key: SecretKey, sealed: string): string {
  return openSealed(keyringOf(key), sealed).plaintext;
}

/** What a rotation needs to know about one sealed secret. */
export type SealedSecretState =
  | { state: 'current'; plaintext: string }
  | { state: 'stale'; plaintext: string }
  | { state: 'unreadable'; reason: string };

/** Whether a secret is sealed under the current key (`current`), under an older key or format (`stale`), or under none. */
export function inspectSecret(key: SecretKey, sealed: string): SealedSecretState {
  try {
    const opened = openSealed(keyringOf(key), sealed);
    return { state: opened.version === 'v2' && opened.key === key ? 'current' : 'stale', plaintext: opened.plaintext };
  } catch (error) {
    return { state: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
}

function openSealed(keys: readonly Buffer[], sealed: string): { plaintext: string; key: Buffer; version: 'v1' | 'v2' } {
  const parts = sealed.split('.');
  if (parts[0] === 'v2' && parts.length === 5) {
    const [, id, iv, tag, body] = parts;
    const key = keys.find((k) => secretKeyId(k) === id);
    if (!key) throw new Error(`sealed under a key this process does not have (key id ${id})`);
    try {
      return { plaintext: open(key, iv, tag, body), key, version: 'v2' };
    } catch {
      throw new Error(`does not verify under its key (key id ${id}): damaged or altered`);
    }
  }
  if (parts[0] === 'v1' && parts.length === 4) {
    const [, iv, tag, body] = parts;
    for (const key of keys) {
      try {
        return { plaintext: open(key, iv, tag, body), key, version: 'v1' };
      } catch {
        // Not this key: the tag did not verify.
      }
    }
    throw new Error('sealed under a key this process does not have');
  }
  throw new Error('unrecognised secret format');
}

function open(key: Buffer, iv: string, tag: string, body: string): string {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
