import type { Command } from 'commander';
import { z } from 'zod';
import { createContext } from '../../http/server.ts';
import type { AppContext } from '../../http/app-context.ts';
import { repeatEvery } from '../../platform/repeat.ts';
import { createOutboxWorker } from '../../features/replies/index.ts';
import type { OutboxWorker } from '../../features/replies/index.ts';
import { startCaseTimers } from '../../features/cases/index.ts';
import { runDueCallbacks } from '../../features/callbacks/index.ts';
import { startSpikeDetection } from '../../features/alerts/index.ts';
import { createWebhookWorker } from '../../features/webhooks-out/index.ts';
import { configFromFlags } from '../context.ts';

const callbackIntervalMs = 5_000;

/** Delivery timing an operator may tune; the outbox worker's defaults otherwise (60 s, 5 min). */
export interface DeliveryTuning {
  /** A platform call that takes longer is abandoned and treated as possibly delivered. */
  sendTimeoutMs?: number;
  /** A reply left `sending` this long by a vanished worker is reconciled by another (never below the send timeout + 30 s). */
  staleAfterMs?: number;
}

const workFlagsSchema = z.object({
  sendTimeout: z.coerce.number().int().min(1_000).max(600_000).optional(),
  staleAfter: z.coerce.number().int().min(1_000).max(86_400_000).optional(),
});

/** Starts outbox delivery in this process (`parley work` and `parley start`); workers in other processes coordinate through the database. */
export function startDelivery(ctx: AppContext, tuning: DeliveryTuning = {}): OutboxWorker {
  const worker = createOutboxWorker({
    db: ctx.db,
    secretKey: ctx.secretKey,
    logger: ctx.logger.child({ role: 'work' }),
    clock: ctx.clock,
    notifier: ctx.notifier,
    sendTimeoutMs: tuning.sendTimeoutMs,
    staleAfterMs: tuning.staleAfterMs,
  });
  worker.start();
  return worker;
}

/** Callbacks agents scheduled come due into the queue; idempotent, so any number of workers may run it. */
function startCallbackTimer(ctx: AppContext): { stop(): void } {
  return repeatEvery('due callbacks', callbackIntervalMs, ctx.logger, async () => {
    await runDueCallbacks(ctx, ctx.clock.now());
  });
}

export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * Everything a `work` process does: outbox delivery, SLA timers with escalation and round-robin assignment, and
 * due callbacks. Each step coordinates through the database, so several processes can run it side by side.
 */
export function startBackgroundWork(ctx: AppContext, tuning: DeliveryTuning = {}): BackgroundWork {
  const delivery = startDelivery(ctx, tuning);
  const caseTimers = startCaseTimers(ctx);
  const callbacks = startCallbackTimer(ctx);
  // Complaint-spike alerts (docs/ALERTS.md); viral risk is assessed at ingest and on engagement snapshots.
  const spikes = startSpikeDetection({ db: ctx.db, clock: ctx.clock, logger: ctx.logger.child({ role: 'alerts' }), notifier: ctx.notifier });
  // Outbound webhooks for case and alert events (docs/WEBHOOKS.md).
  const webhooks = createWebhookWorker({
    db: ctx.db, secretKey: ctx.secretKey, logger: ctx.logger.child({ role: 'work' }), clock: ctx.clock, allowPrivate: ctx.config.webhookAllowPrivate,
  });
  webhooks.start();
  return {
    async stop() {
      caseTimers.stop();
      callbacks.stop();
      spikes.stop();
      await webhooks.stop();
      await delivery.stop();
    },
  };
}

async function runWork(program: Command, raw: Record<string, unknown>): Promise<void> {
  const parsed = workFlagsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const config = configFromFlags(program.opts());
  const ctx = await createContext(config);
  const worker = startBackgroundWork(ctx, { sendTimeoutMs: parsed.data.sendTimeout, staleAfterMs: parsed.data.staleAfter });
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
    .option('--send-timeout <ms>', 'abandon a platform call after this long; the reply is then reconciled, never blindly re-sent (default 60000)')
    .option('--stale-after <ms>', "reconcile a reply another worker left sending this long, e.g. after it crashed (default 300000; at least send timeout + 30 s)")
    .action((raw: Record<string, unknown>) => runWork(program, raw));
}
