import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import { openDatabase } from '../platform/db/db.ts';
import type { Db } from '../platform/db/db.ts';
import { migrate } from '../platform/db/migrate.ts';
import { systemClock } from '../platform/clock.ts';
import type { Clock } from '../platform/clock.ts';
import { createLogger } from '../platform/logger.ts';
import type { Logger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { loadSecretKey } from '../platform/crypto.ts';
import { loadClassifier } from '../features/classification/index.ts';
import { createRuleMatcher } from '../features/listening/index.ts';
import { createEventNotifier } from '../features/events/index.ts';
import type { AppContext } from './app-context.ts';
import { buildApp } from './app.ts';

export interface ContextOptions {
  db?: Db;
  clock?: Clock;
  logger?: Logger;
}

/** Opens and migrates the database and builds everything the app needs, once per process. */
export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  await migrate(db);
  return {
    config,
    db,
    clock: options.clock ?? systemClock,
    logger,
    metrics: createMetrics(),
    classifier: loadClassifier(),
    matcher: await createRuleMatcher(db, { logger }),
    notifier: createEventNotifier(),
    secretKey: loadSecretKey(config.secretKey, config.dataDir, config.secretKeyPrevious),
  };
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(ctx: AppContext): Promise<RunningServer> {
  const app = await buildApp(ctx);
  await app.listen({ port: ctx.config.port, host: ctx.config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  return {
    app,
    url: `http://localhost:${port}`,
    async close() {
      await app.close();
    },
  };
}
