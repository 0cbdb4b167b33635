import type { Config } from '../config/config.ts';
import type { Db } from '../platform/db/db.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { SecretKey } from '../platform/crypto.ts';
import type { Classifier } from '../features/classification/index.ts';
import type { ListeningMatcher } from '../features/listening/index.ts';
import type { EventNotifier } from '../features/events/index.ts';
import type { IngestDeps } from '../features/ingest/index.ts';

/** Everything a request handler may use, built once at boot. */
export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  classifier: Classifier;
  matcher: ListeningMatcher;
  notifier: EventNotifier;
  /** Seals channel credentials; carries the keys it replaced while a rotation is under way. */
  secretKey: SecretKey;
}

export function ingestDepsOf(ctx: AppContext): IngestDeps {
  return {
    db: ctx.db,
    classifier: ctx.classifier,
    matcher: ctx.matcher,
    clock: ctx.clock,
    notifier: ctx.notifier,
    threadWindowHours: ctx.config.threadWindowHours,
  };
}
