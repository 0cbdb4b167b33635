import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { isDatabaseUnavailable } from '../errors.ts';

export type Row = Record<string, unknown>;

/** Anything that runs one SQL statement with `$n` parameters: the database itself or an open transaction. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export type DbKind = 'pglite' | 'postgres';

/** Parley's one database handle. PGlite and PostgreSQL speak the same dialect, so queries never branch on kind. */
export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** Embedded databases only: the whole data directory as a tarball, to start copies from (tests). */
  snapshot?: () => Promise<Blob>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** Directory of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** Embedded databases only: start from a snapshot taken with `Db.snapshot`. */
  loadDataDir?: Blob;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database in `dataDir`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

// int8 and numeric come back as strings from pg; parse counts and ids that fit into numbers.
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const run = async <T extends Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    const result = await client.query<T>(sql, params ? [...params] : undefined);
    return result.rows;
  };
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client whose server goes away (restart, failover) emits 'error', which would crash the process
      // without a listener; the query in flight fails on its own. A broken client is destroyed, not pooled again.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!broken && isDatabaseUnavailable(error) && error instanceof Error) broken = error;
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string, loadDataDir: Blob | undefined): Promise<Db> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) fs.mkdirSync(path.join(dataDir), { recursive: true });
  const db = await PGlite.create({ dataDir: inMemory ? dataDir : path.join(dataDir, 'pgdata'), loadDataDir });
  const run = async <T extends Row>(q: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]) => {
    const result = await q.query<T>(sql, params ? [...params] : undefined);
    return result.rows;
  };
  // PGlite has no autovacuum, so its planner statistics never refresh by themselves and lookups drift into full scans
  // as tables grow. Analyse after 256 writing transactions, then each time their number doubles, then every 20,000.
  let transactions = 0;
  let nextAnalyze = 256;
  const maybeAnalyze = async () => {
    transactions += 1;
    if (transactions < nextAnalyze) return;
    nextAnalyze = nextAnalyze < 20_000 ? nextAnalyze * 2 : nextAnalyze + 20_000;
    await db.exec('ANALYZE');
  };
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    async transaction(fn) {
      const result = await db.transaction((tx) => fn({ query: (sql, params) => run(tx, sql, params) }));
      await maybeAnalyze();
      return result;
    },
    async exec(sql) {
      await db.exec(sql);
    },
    close: () => db.close(),
    snapshot: () => db.dumpDataDir('gzip'),
  };
}
