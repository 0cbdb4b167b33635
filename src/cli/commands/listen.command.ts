import type { Command } from 'commander';
import { z } from 'zod';
import { createContext } from '../../http/server.ts';
import type { AppContext } from '../../http/app-context.ts';
import { ingestDepsOf } from '../../http/app-context.ts';
import { createListenerSupervisor, streamRulesFromConfig } from '../../features/channels/index.ts';
import type { ChannelSyncRow, ListenerSupervisor, StreamRule } from '../../features/channels/index.ts';
import { defaultXRuleMaxLength, xStreamRulesOf } from '../../features/listening/index.ts';
import { configFromFlags } from '../context.ts';

/**
 * The rules an X filtered stream should carry: those written into the channel's config if any (an override),
 * otherwise the workspace's enabled listening rules translated to X's syntax. Rules X cannot filter are logged.
 */
export async function xStreamRulesFor(ctx: Pick<AppContext, 'db' | 'logger'>, row: ChannelSyncRow): Promise<StreamRule[] | null> {
  const configured = await streamRulesFromConfig(row);
  if (configured !== null) return configured;
  const limit = row.config.ruleMaxLength;
  const maxLength = typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : defaultXRuleMaxLength;
  const { rules, unfilterable } = await xStreamRulesOf(ctx.db, row.workspaceId, maxLength);
  if (unfilterable.length > 0) {
    ctx.logger.warn({ channelId: row.id, unfilterable }, 'some listening rules cannot be filtered on X; posts they want arrive only through other rules');
  }
  return rules;
}

/** How quickly listeners fail over between processes; the supervisor's defaults otherwise (15 s scans, 45 s leases). */
export interface ListenTuning {
  scanIntervalMs?: number;
  /** A crashed process's channels are taken over once its leases run out. */
  leaseTtlMs?: number;
}

const listenFlagsSchema = z
  .object({
    scanInterval: z.coerce.number().int().min(100).max(3_600_000).optional(),
    leaseTtl: z.coerce.number().int().min(1_000).max(3_600_000).optional(),
  })
  .refine((f) => f.leaseTtl === undefined || f.leaseTtl >= 2 * (f.scanInterval ?? 15_000), {
    message: 'must be at least twice the scan interval, or leases run out between renewals',
    path: ['leaseTtl'],
  });

/** Starts the listeners of every enabled stream and feed channel in this process (`parley listen` and `parley start`). */
export async function startListeners(ctx: AppContext, tuning: ListenTuning = {}): Promise<ListenerSupervisor> {
  const supervisor = createListenerSupervisor({
    scanIntervalMs: tuning.scanIntervalMs,
    leaseTtlMs: tuning.leaseTtlMs,
    db: ctx.db,
    secretKey: ctx.secretKey,
    ingest: ingestDepsOf(ctx),
    logger: ctx.logger.child({ role: 'listen' }),
    clock: ctx.clock,
    streamRules: (row) => xStreamRulesFor(ctx, row),
  });
  await supervisor.start();
  return supervisor;
}

async function runListen(program: Command, raw: Record<string, unknown>): Promise<void> {
  const parsed = listenFlagsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const config = configFromFlags(program.opts());
  const ctx = await createContext(config);
  const supervisor = await startListeners(ctx, { scanIntervalMs: parsed.data.scanInterval, leaseTtlMs: parsed.data.leaseTtl });
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
    .option('--scan-interval <ms>', 'how often to look for new, changed or orphaned channels (default 15000)')
    .option('--lease-ttl <ms>', "how long a channel stays with a process that stopped renewing it, e.g. after a crash (default 45000)")
    .action((raw: Record<string, unknown>) => runListen(program, raw));
}
