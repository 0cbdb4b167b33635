import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { buildApp } from '../../http/app.ts';
import { createContext } from '../../http/server.ts';
import { createApiToken, createUser, createWorkspace } from '../../features/accounts/index.ts';
import { createChannel, rotateChannelSecrets } from '../../features/channels/index.ts';
import { decryptSecret, encryptSecret, loadSecretKey, secretKeyId } from '../../platform/crypto.ts';
import { canShareDatabase, createSharedDatabase, inCi, missingPostgresMessage, spawnParley, until } from '../../../test/integration/faults/fault.harness.ts';
import type { SharedDatabase } from '../../../test/integration/faults/fault.harness.ts';

/**
 * `parley secrets rotate` end to end: the real command against a real database, with the keys in its environment.
 * PostgreSQL, because the command runs in its own process while the test holds the database open.
 */

const oldKey = crypto.randomBytes(32).toString('hex');
const newKey = crypto.randomBytes(32).toString('base64');
const lostKey = crypto.randomBytes(32).toString('hex');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-secrets-'));

/** How credentials were sealed before key ids existed. */
function sealV1(key: Buffer, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

interface Run {
  code: number | NodeJS.Signals;
  output: string;
}

if (!canShareDatabase && !inCi) console.warn(`skipping parley secrets rotate: ${missingPostgresMessage}`);

describe.skipIf(!canShareDatabase && !inCi)('parley secrets rotate', () => {
  let shared: SharedDatabase;
  const env = (previous: string) => ({
    DATABASE_URL: shared.url, PARLEY_DATA_DIR: dataDir, PARLEY_SECRET_KEY: newKey, PARLEY_SECRET_KEY_PREVIOUS: previous, PARLEY_LOG_LEVEL: 'silent',
  });
  const rotate = async (args: string[], previous: string): Promise<Run> => {
    const child = spawnParley(['secrets', 'rotate', ...args], env(previous));
    const code = await child.exited;
    return { code, output: child.output() };
  };

  beforeAll(async () => {
    const database = await createSharedDatabase();
    if (!database) throw new Error(missingPostgresMessage);
    shared = database;
  }, 120_000);
  afterAll(async () => {
    await shared?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-seals every credential in batches, survives a SIGKILL mid-run, is idempotent, and reports what it cannot read', async () => {
    const before = loadSecretKey(oldKey, dataDir);
    const after = loadSecretKey(newKey, dataDir);
    const lost = loadSecretKey(lostKey, dataDir);
    const workspaces = [
      await createWorkspace(shared.db, { slug: 'secrets-a', name: 'Secrets A' }),
      await createWorkspace(shared.db, { slug: 'secrets-b', name: 'Secrets B' }),
    ];
    const plaintexts = new Map<string, string>();
    const add = async (workspaceId: string, name: string, sealWith: 'old' | 'old-v1' | 'new' | 'lost' | 'none') => {
      const password = `app-password-${name}-${crypto.randomBytes(6).toString('hex')}`;
      const { channel } = await createChannel(shared.db, before, {
        workspaceId, kind: 'bluesky', name, owned: true, config: { enabled: false },
        credentials: sealWith === 'none' ? undefined : { identifier: `${name}.example`, appPassword: password },
      });
      const json = JSON.stringify({ identifier: `${name}.example`, appPassword: password });
      const sealed = { old: null, none: null, 'old-v1': sealV1(before, json), new: encryptSecret(after, json), lost: encryptSecret(lost, json) }[sealWith];
      if (sealed) await shared.db.query('UPDATE channel SET credentials_encrypted = $3 WHERE workspace_id = $1 AND id = $2', [workspaceId, channel.id, sealed]);
      if (sealWith !== 'none') plaintexts.set(channel.id, password);
      return channel.id;
    };
    for (const [i, workspace] of workspaces.entries()) {
      for (let n = 0; n < 4; n += 1) await add(workspace.id, `old-${i}-${n}`, 'old');
      await add(workspace.id, `legacy-${i}`, 'old-v1');
      await add(workspace.id, `none-${i}`, 'none');
    }
    const current = await add(workspaces[0].id, 'already-new', 'new');
    const unreadable = await add(workspaces[1].id, 'sealed-with-a-lost-key', 'lost');
    const sealedRows = async () =>
      new Map(
        (
          await shared.db.query<{ id: string; credentials_encrypted: string }>(
            'SELECT id, credentials_encrypted FROM channel WHERE credentials_encrypted IS NOT NULL ORDER BY workspace_id, id',
          )
        ).map((r) => [r.id, r.credentials_encrypted]),
      );
    const initial = await sealedRows();
    expect(initial.size).toBe(12);
    const order = [...initial.keys()];
    const newId = secretKeyId(after);
    const isNew = (sealed: string | undefined) => sealed?.startsWith(`v2.${newId}.`) === true;

    // A dry run counts and writes nothing.
    const dry = await rotateChannelSecrets(shared.db, loadSecretKey(newKey, dataDir, [oldKey]), { dryRun: true, batchSize: 5 });
    expect({ ...dry, unreadable: dry.unreadable.map((u) => u.channelId) }).toEqual({ reEncrypted: 10, alreadyCurrent: 1, unreadable: [unreadable], batches: 4 });
    expect(await sealedRows()).toEqual(initial);

    // Bad flags are refused before anything is touched.
    const refused = await rotate(['--batch-size', '0'], oldKey);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('--batchSize');

    // Interrupted: another transaction holds the 6th channel, so the run blocks in its third batch and is killed.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding = shared.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM channel WHERE id = $1 FOR UPDATE', [order[5]]);
      await released;
    });
    const interrupted = spawnParley(['secrets', 'rotate', '--batch-size', '2'], env(oldKey));
    await until('two batches to commit', async () => [...(await sealedRows()).values()].filter(isNew).length >= 4, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${interrupted.output()}`);
    });
    expect(await interrupted.kill('SIGKILL')).toBe('SIGKILL');
    release();
    await holding;
    const mid = await sealedRows();
    order.slice(0, 4).forEach((id) => expect(isNew(mid.get(id)) || id === unreadable, `channel ${order.indexOf(id)} re-sealed`).toBe(true));
    order.slice(4).forEach((id) => expect(mid.get(id), `channel ${order.indexOf(id)} untouched`).toBe(initial.get(id)));
    // Half-way, every credential still opens for a process configured with both keys.
    for (const [id, sealed] of mid) if (id !== unreadable) expect(decryptSecret(loadSecretKey(newKey, dataDir, [oldKey]), sealed)).toContain(plaintexts.get(id));

    const completed = await rotate(['--batch-size', '2'], oldKey);
    expect(completed.code, completed.output).toBe(1);
    const reSealedFirst = order.slice(0, 4).filter((id) => id !== current && id !== unreadable && !isNew(initial.get(id))).length;
    expect(completed.output).toContain(`re-encrypted: ${10 - reSealedFirst}`);
    expect(completed.output).toContain(`already current: ${1 + reSealedFirst}`);
    expect(completed.output).toContain('unreadable: 1');
    expect(completed.output).toContain(`workspace ${workspaces[1].id} channel ${unreadable}: sealed under a key this process does not have`);

    const done = await sealedRows();
    expect(done.get(unreadable)).toBe(initial.get(unreadable));
    for (const [id, sealed] of done) {
      if (id === unreadable) continue;
      expect(isNew(sealed), id).toBe(true);
      // The new key alone opens everything now: PARLEY_SECRET_KEY_PREVIOUS can be dropped.
      expect(JSON.parse(decryptSecret(after, sealed))).toMatchObject({ appPassword: plaintexts.get(id) });
    }
    expect(done.get(current)).toBe(initial.get(current));

    const again = await rotate([], oldKey);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/re-encrypted: 0\nalready current: 11\nunreadable: 1\n/);
    expect(await sealedRows()).toEqual(done);

    // Whoever finds the lost key adds it to the previous keys: the last one is re-sealed and the command succeeds.
    const recovered = await rotate([], `${oldKey},${lostKey}`);
    expect(recovered.code, recovered.output).toBe(0);
    expect(recovered.output).toMatch(/re-encrypted: 1\nalready current: 11\nunreadable: 0\n/);

    for (const run of [refused, completed, again, recovered, { output: interrupted.output() }]) {
      for (const password of plaintexts.values()) expect(run.output).not.toContain(password);
      for (const key of [oldKey, newKey, lostKey]) expect(run.output).not.toContain(key);
    }
  }, 150_000);

  it('never returns credentials, sealed or not, from the channels API', async () => {
    const ctx = await createContext(loadConfig({ PARLEY_DATA_DIR: dataDir, PARLEY_SECRET_KEY: newKey, PARLEY_LOG_LEVEL: 'silent' }), { db: shared.db });
    const app = await buildApp(ctx);
    try {
      const workspace = await createWorkspace(shared.db, { slug: 'secrets-api', name: 'Secrets API' });
      const admin = await createUser(shared.db, { workspaceId: workspace.id, email: 'admin@secrets.example', name: 'Admin', role: 'admin', password: 'admin-password-long' });
      const { token } = await createApiToken(shared.db, workspace.id, admin.id, 'test');
      const password = `imap-${crypto.randomBytes(8).toString('hex')}`;
      const created = await app.inject({
        method: 'POST', url: '/api/v1/channels', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ kind: 'email', name: 'Care inbox', config: { enabled: false }, credentials: { password } }),
      });
      expect(created.statusCode, created.body).toBe(201);
      const listed = await app.inject({ url: '/api/v1/channels', headers: { authorization: `Bearer ${token}` } });
      expect(listed.statusCode).toBe(200);
      expect(listed.json()).toMatchObject({ data: [{ hasCredentials: true }] });
      const sealed = await shared.db.query<{ credentials_encrypted: string }>('SELECT credentials_encrypted FROM channel WHERE workspace_id = $1', [workspace.id]);
      expect(sealed[0].credentials_encrypted).not.toContain(password);
      for (const body of [created.body, listed.body]) {
        expect(body).not.toContain(password);
        expect(body).not.toContain(sealed[0].credentials_encrypted.split('.')[4]);
      }
    } finally {
      await app.close();
    }
  });
});
