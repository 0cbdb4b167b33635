import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/platform/db/db.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

/**
 * Migrates one database before any test file runs, so each file starts from a copy instead of migrating its own:
 * a PGlite data-directory snapshot, or — on PostgreSQL — a template database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.PARLEY_TEST_DATABASE_URL;
  if (url) {
    const template = `parley_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const target = new URL(url);
    target.pathname = `/${template}`;
    const db = await openDatabase({ databaseUrl: target.toString(), dataDir: 'unused', poolSize: 1 });
    await migrate(db);
    await db.close();
    project.provide('parleyTemplateDatabase', template);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    };
  }
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  const snapshot = await db.snapshot?.();
  await db.close();
  if (!snapshot) return async () => undefined;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parley-snapshot-')), 'pgdata.tar.gz');
  fs.writeFileSync(file, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('parleyPgliteSnapshot', file);
  return async () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    parleyPgliteSnapshot: string;
    parleyTemplateDatabase: string;
  }
}
