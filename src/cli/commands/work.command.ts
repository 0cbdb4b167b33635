import type { Command } from 'commander';
import { createContext } from '../../http/server.ts';
import type { AppContext } from '../../http/app-context.ts';
import { createOutboxWorker } from '../../features/replies/index.ts';
import type { OutboxWorker } from '../../features/replies/index.ts';
import { startCaseTimers } from '../../features/cases/index.ts';
import { runDueCallbacks } from '../../features/callbacks/index.ts';
import { configFromFlags } from '../context.ts';

const callbackIntervalMs = 5_000;

/** Starts outbox delivery in this process (`parley work` and `parley start`); workers in other processes coordinate through the database. */
export function startDelivery(ctx: AppContext): OutboxWorker {
  const worker = createOutboxWorker({
    db: ctx.db,
    secretKey: ctx.secretKey,
    logger: ctx.logger.child({ role: 'work' }),
    clock: ctx.clock,
    notifier: ctx.notifier,
  });
  worker.start();
  return worker;
}

/** Callbacks agents scheduled come due into the queue; idempotent, so any number of workers may run it. */
function startCallbackTimer(ctx: AppContext): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await runDueCallbacks(ctx, ctx.clock.now());
    } catch (error) {
      ctx.logger.warn({ err: error }, 'due callbacks failed; retrying on the next tick');
    }
    if (!stopped) timer = setTimeout(() => void tick(), callbackIntervalMs);
  };
  timer = setTimeout(() => void tick(), callbackIntervalMs);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * Everything a `work` process does: outbox delivery, SLA timers with escalation and round-robin assignment, and
 * due callbacks. Each step coordinates through the database, so several processes can run it side by side.
 */
export function startBackgroundWork(ctx: AppContext): BackgroundWork {
  const delivery = startDelivery(ctx);
  const caseTimers = startCaseTimers(ctx);
  const callbacks = startCallbackTimer(ctx);
  return {
    async stop() {
      caseTimers.stop();
      callbacks.stop();
      await delivery.stop();
    },
  };
}

async function runWork(program: Command): Promise<void> {
  const config = configFromFlags(program.opts());
  const ctx = await createContext(config);
  const worker = startBackgroundWork(ctx);
  console.log(`Parley work is running: outbox delivery, SLA timers, escalation, assignment, callbacks (database: ${ctx.db.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'stopping background work');
    await worker.stop();
    await ctx.db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

export function registerWorkCommand(program: Command): void {
  program
    .command('work')
    .description('run background work: reply delivery (retrying and reconciling), SLA timers, escalation, assignment and due callbacks; run several against one PostgreSQL to scale')
    .action(() => runWork(program));
}
