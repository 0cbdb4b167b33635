import type { Command } from 'commander';
import { createContext } from '../../http/server.ts';
import type { AppContext } from '../../http/app-context.ts';
import { createOutboxWorker } from '../../features/replies/index.ts';
import type { OutboxWorker } from '../../features/replies/index.ts';
import { configFromFlags } from '../context.ts';

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

async function runWork(program: Command): Promise<void> {
  const config = configFromFlags(program.opts());
  const ctx = await createContext(config);
  const worker = startDelivery(ctx);
  console.log(`Parley outbox delivery is running (database: ${ctx.db.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'stopping outbox delivery');
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
    .description('run outbox delivery: send queued replies through each channel, retrying and reconciling; run several against one PostgreSQL to scale')
    .action(() => runWork(program));
}
