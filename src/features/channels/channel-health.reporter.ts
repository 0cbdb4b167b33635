import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ConnectorHealth, SyncStage } from './connector.ts';
import { healthReasonOf, recordChannelHealth, recordChannelNextAttempt } from './channel-sync.repository.ts';

/**
 * Turns a connector's frequent health reports into few writes: a change of state, reason or stage is written at
 * once; an unchanged report refreshes the row (last success, lag) at most every `refreshMs`. Writes run one at a
 * time and a failed write is logged, never thrown into the listener.
 */
export interface HealthReporter {
  report(health: ConnectorHealth | null, stage?: SyncStage): void;
  /** The listener is waiting out a back-off until `at` (shown on the channel until its next report). */
  waitingUntil(at: Date): void;
  /** Waits for the writes queued so far. */
  flush(): Promise<void>;
  readonly current: ConnectorHealth | null;
}

export interface HealthReporterOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  workspaceId: string;
  channelId: string;
  refreshMs?: number;
}

function signature(health: ConnectorHealth | null): string {
  if (!health) return '';
  // Lag seconds move all the time: only the state counts as a change.
  return health.state === 'failing' ? `failing:${healthReasonOf(health) ?? ''}` : health.state;
}

export function createHealthReporter(options: HealthReporterOptions): HealthReporter {
  const refreshMs = options.refreshMs ?? 10_000;
  let current: ConnectorHealth | null = null;
  let stage: SyncStage | null = null;
  let lastWriteAt = -Infinity;
  let chain: Promise<void> = Promise.resolve();

  const write = (health: ConnectorHealth | null, nextStage: SyncStage | null) => {
    const at = options.clock.now();
    lastWriteAt = at.getTime();
    chain = chain
      .then(() => recordChannelHealth(options.db, options.workspaceId, options.channelId, health, nextStage, at))
      .catch((error: unknown) => options.logger.warn({ err: error, channelId: options.channelId }, 'could not record channel health'));
  };

  return {
    report(health, nextStage) {
      const stageChanged = nextStage !== undefined && nextStage !== stage;
      const healthChanged = health !== null && signature(health) !== signature(current);
      // Every failure is counted, even a repeat of the last one.
      const repeatedFailure = health !== null && health.state === 'failing' && !healthChanged;
      if (nextStage !== undefined) stage = nextStage;
      if (health !== null) current = health;
      const due = options.clock.now().getTime() - lastWriteAt >= refreshMs;
      if (healthChanged || repeatedFailure || (health !== null && due)) write(health, stageChanged ? (nextStage ?? null) : null);
      else if (stageChanged) write(null, nextStage ?? null);
    },
    waitingUntil(at) {
      chain = chain
        .then(() => recordChannelNextAttempt(options.db, options.workspaceId, options.channelId, at))
        .catch((error: unknown) => options.logger.warn({ err: error, channelId: options.channelId }, 'could not record the next attempt'));
    },
    flush: () => chain,
    get current() {
      return current;
    },
  };
}
