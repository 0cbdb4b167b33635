import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoWorkspace, startSimulator, demoScenario } from '../../src/features/demo/index.ts';
import { verifyLogin } from '../../src/features/accounts/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

const root = path.resolve(import.meta.dirname, '../..');

function parley(args: string[], env: Record<string, string> = {}, input?: string) {
  return spawnSync(process.execPath, [path.join(root, 'bin/parley.js'), ...args], {
    env: { ...process.env, PARLEY_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
    input,
  });
}

describe('the parley command', () => {
  it('creates the first admin (and its workspace) on the embedded database, and refuses bad flags clearly', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
    try {
      const ok = parley(['--data-dir', dataDir, 'user', 'create', '--email', 'first@example.com', '--workspace', 'acme'], { PARLEY_PASSWORD: 'correct-horse-battery' });
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('created admin first@example.com in workspace acme');
      const again = parley(['--data-dir', dataDir, 'user', 'create', '--email', 'first@example.com', '--workspace', 'acme', '--password', 'correct-horse-battery']);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('already exists');
      const weak = parley(['--data-dir', dataDir, 'user', 'create', '--email', 'x@example.com', '--password', 'short']);
      expect(weak.status).toBe(1);
      expect(weak.stderr).toContain('--password');
      const migrate = parley(['--data-dir', dataDir, 'migrate']);
      expect(migrate.stdout).toContain('database is up to date');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('rejects an invalid DATABASE_URL before touching anything', () => {
    const res = parley(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('DATABASE_URL');
  }, 60_000);
});

describe('parley check-reply (fixed contract)', () => {
  it('answers one JSON object per input line, in order, and never stops on an odd line', () => {
    const lines = [
      JSON.stringify({ text: 'Actually, you should have called us.', channel: 'x', public: true, inReplyToComplaint: true }),
      'not json',
      JSON.stringify({ text: 'Sorry! Email me at tom@example.com', channel: 'mastodon', public: true, inReplyToComplaint: true }),
      JSON.stringify({ text: 'hi', channel: 'fax', public: true, inReplyToComplaint: false }),
      '',
      JSON.stringify({ text: 'Sorry about that. '.repeat(30), channel: 'sms', public: false, inReplyToComplaint: true }),
    ];
    const res = parley(['check-reply'], {}, `${lines.join('\n')}\n`);
    expect(res.status).toBe(0);
    const out = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(lines.length);
    expect(out[0].findings.map((f: { kind: string }) => f.kind).sort()).toEqual(['argumentative', 'blaming', 'no-acknowledgement']);
    expect(out[0].length).toEqual({ count: 36, limit: 280, ok: true });
    expect(out[1].error.code).toBe('invalid_json');
    expect(out[2].personalDataInPublic).toBe(true);
    expect(out[3].error.code).toBe('validation_failed');
    expect(out[4].error.code).toBe('invalid_json');
    expect(out[5].length.ok).toBe(false);
    expect(out[5].findings.map((f: { kind: string }) => f.kind)).toContain('too-long');
  }, 60_000);
});

describe('the demo workspace', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is created once with a working admin login, and its simulator feeds the queue through the ingest API', async () => {
    const demo = await ensureDemoWorkspace(t.ctx.db, t.ctx.secretKey, t.ctx.config.dataDir);
    expect(await verifyLogin(t.ctx.db, demo.login.email, demo.login.password, 'demo')).not.toBeNull();
    const again = await ensureDemoWorkspace(t.ctx.db, t.ctx.secretKey, t.ctx.config.dataDir);
    expect(again.workspaceId).toBe(demo.workspaceId);
    expect(again.login.password).toBe(demo.login.password);

    const simulator = startSimulator({
      baseUrl, demo: again, intervalMs: 60_000, initialBurst: demoScenario.length, logger: createLogger('silent'), runId: 'test',
    });
    await simulator.ready;
    simulator.stop();
    const messages = await t.ctx.db.query<{ n: number }>(`SELECT count(*) AS n FROM message WHERE workspace_id = $1`, [demo.workspaceId]);
    expect(Number(messages[0].n)).toBe(demoScenario.length);
    const kinds = await t.ctx.db.query<{ channel_kind: string }>(`SELECT DISTINCT channel_kind FROM cases WHERE workspace_id = $1 ORDER BY 1`, [demo.workspaceId]);
    expect(kinds.map((k) => k.channel_kind)).toEqual(['bluesky', 'email', 'phone', 'webform', 'x']);
    // Follow-ups in the script thread into their customer's first case.
    const priya = await t.ctx.db.query<{ n: number }>(
      `SELECT count(DISTINCT case_id) AS n FROM message m JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
       WHERE m.workspace_id = $1 AND a.external_id = '1102938475610'`,
      [demo.workspaceId],
    );
    expect(Number(priya[0].n)).toBe(1);
  });
});
