import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase } from '../../src/platform/db/db.ts';
import type { Db } from '../../src/platform/db/db.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

/**
 * The database tests run on: embedded PGlite in memory by default, or — when PARLEY_TEST_DATABASE_URL names a
 * PostgreSQL server (CI sets it) — a fresh database created on that server for this test file and dropped after.
 */
export const testDatabaseUrl = process.env.PARLEY_TEST_DATABASE_URL;
export const testDatabaseKind = testDatabaseUrl ? 'postgres' : 'pglite';

export interface TestDatabase {
  db: Db;
  url: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    // Start from the snapshot the global setup migrated once; migrate() then finds nothing left to do.
    const snapshot = inject('parleyPgliteSnapshot');
    const loadDataDir = snapshot && fs.existsSync(snapshot) ? new Blob([fs.readFileSync(snapshot)]) : undefined;
    const db = await openDatabase({ dataDir: 'memory://', loadDataDir });
    await migrate(db);
    return { db, url: undefined, drop: () => db.close() };
  }
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const template = inject('parleyTemplateDatabase');
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', poolSize: 10 });
  await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: testDatabaseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
