import type { Command } from 'commander';
import { createContext } from '../../http/server.ts';
import type { AppContext } from '../../http/app-context.ts';
import { ingestDepsOf } from '../../http/app-context.ts';
import { createListenerSupervisor } from '../../features/channels/index.ts';
import type { ListenerSupervisor } from '../../features/channels/index.ts';
import { configFromFlags } from '../context.ts';

/** Starts the listeners of every enabled stream and feed channel in this process (`parley listen` and `parley start`). */
export async function startListeners(ctx: AppContext): Promise<ListenerSupervisor> {
  const supervisor = createListenerSupervisor({
    db: ctx.db,
    secretKey: ctx.secretKey,
    ingest: ingestDepsOf(ctx),
    logger: ctx.logger.child({ role: 'listen' }),
    clock: ctx.clock,
  });
  await supervisor.start();
  return supervisor;
}

async function runListen(program: Command): Promise<void> {
  const config = configFromFlags(program.opts());
  const ctx = await createContext(config);
  const supervisor = await startListeners(ctx);
  console.log(`Parley listeners are running (${supervisor.running().length} channels here; database: ${ctx.db.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'stopping listeners');
    await supervisor.stop();
    await ctx.db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  // The supervisor's timer is unref'd: this keeps the process alive until a signal.
  setInterval(() => undefined, 1 << 30);
}

export function registerListenCommand(program: Command): void {
  program
    .command('listen')
    .description('run the stream listeners and feed pollers (Bluesky, Mastodon, X, RSS/Atom); one leader per channel across processes')
    .action(() => runListen(program));
}
