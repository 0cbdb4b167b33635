import type { Command } from 'commander';
import { createContext, startServer } from '../../http/server.ts';
import { ensureWebBuild } from '../../http/web-build.ts';
import { ensureDemoWorkspace, startSimulator } from '../../features/demo/index.ts';
import type { Simulator } from '../../features/demo/index.ts';
import { startCaseTimers } from '../../features/cases/index.ts';
import { configFromFlags } from '../context.ts';
import { startListeners } from './listen.command.ts';
import { startDelivery } from './work.command.ts';

interface StartFlags {
  demo: boolean;
  /** Also run the stream listeners and feed pollers in this process (`start`, not `serve`). */
  listen?: boolean;
}

async function runServer(program: Command, flags: StartFlags): Promise<void> {
  const config = configFromFlags(program.opts());
  await ensureWebBuild(() => console.log('Building the web app…'));
  const ctx = await createContext(config);
  const server = await startServer(ctx);
  // SLA breaches, escalation on breach and round-robin assignment (docs/FAIRNESS.md): part of `start`, not `serve`.
  const caseTimers = flags.listen ? startCaseTimers(ctx) : undefined;
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

  const listeners = flags.listen ? await startListeners(ctx) : undefined;
  // Outbox delivery runs in `start` too, so replies leave the embedded default without a second process.
  const delivery = flags.listen ? startDelivery(ctx) : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    simulator?.stop();
    caseTimers?.stop();
    await listeners?.stop();
    await delivery?.stop();
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
    .action((flags: StartFlags) => runServer(program, { ...flags, listen: true }));

  program
    .command('serve')
    .description('run the HTTP API, web app and webhooks only')
    .action(() => runServer(program, { demo: false }));
}
