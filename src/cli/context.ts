import { loadConfig } from '../config/config.ts';
import type { Config } from '../config/config.ts';
import { openDatabase } from '../platform/db/db.ts';
import type { Db } from '../platform/db/db.ts';
import { migrate } from '../platform/db/migrate.ts';

export interface GlobalFlags {
  port?: string;
  dataDir?: string;
  databaseUrl?: string;
}

/** Configuration from the environment, with the command line's flags on top. */
export function configFromFlags(flags: GlobalFlags): Config {
  return loadConfig(process.env, {
    port: flags.port === undefined ? undefined : Number(flags.port),
    dataDir: flags.dataDir,
    databaseUrl: flags.databaseUrl,
  });
}

/** Opens the configured database and brings its schema up to date. */
export async function openMigratedDatabase(config: Config): Promise<Db> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  await migrate(db);
  return db;
}
