import type { Command } from 'commander';
import { createContext, startServer } from '../../http/server.ts';
import { ensureWebBuild } from '../../http/web-build.ts';
import { ensureDemoWorkspace, startSimulator } from '../../features/demo/index.ts';
import type { Simulator } from '../../features/demo/index.ts';
import { configFromFlags } from '../context.ts';
import { startListeners } from './listen.command.ts';
import { startBackgroundWork } from './work.command.ts';

interface StartFlags {
  demo: boolean;
  /** Also run the listeners and the background work in this process (`start`, not `serve`). */
  allInOne?: boolean;
}

async function runServer(program: Command, flags: StartFlags): Promise<void> {
  const config = configFromFlags(program.opts());
  await ensureWebBuild(() => console.log('Building the web app…'));
  const ctx = await createContext(config);
  const server = await startServer(ctx);
  console.log(`Parley is listening on ${server.url} (database: ${ctx.db.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`);

  let simulator: Simulator | undefined;
  if (flags.demo) {
    const demo = await ensureDemoWorkspace(ctx.db, ctx.secretKey, config.dataDir);
    await ctx.matcher.reload?.();
    simulator = startSimulator({
      baseUrl: server.url,
      demo,
      intervalMs: config.demoIntervalMs,
      initialBurst: 6,
      logger: ctx.logger,
      runId: Date.now().toString(36),
    });
    console.log(`Demo workspace "${demo.login.workspace}": sign in at ${server.url} as ${demo.login.email} / ${demo.login.password}`);
    console.log(`A simulator is sending its customers' messages every ${Math.round(config.demoIntervalMs / 1000)} s.`);
  }

  const listeners = flags.allInOne ? await startListeners(ctx) : undefined;
  // `start` also does the work of `parley work` (delivery, SLA timers, escalation, assignment, callbacks), so the
  // embedded default needs no second process; `serve` leaves it to `work` processes.
  const work = flags.allInOne ? startBackgroundWork(ctx) : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    simulator?.stop();
    await listeners?.stop();
    await work?.stop();
    await server.close();
    await ctx.db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

export function registerServerCommands(program: Command): void {
  program
    .command('start')
    .description('run everything in one process: API, web app, and (unless --no-demo) the demo workspace and its simulator')
    .option('--no-demo', 'start clean, without the demo workspace')
    .action((flags: StartFlags) => runServer(program, { ...flags, allInOne: true }));

  program
    .command('serve')
    .description('run the HTTP API, web app and webhooks only')
    .action(() => runServer(program, { demo: false }));
}
