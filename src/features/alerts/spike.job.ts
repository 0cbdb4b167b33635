import type { Db, Queryable } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { repeatEvery } from '../../platform/repeat.ts';
import type { EventNotifier } from '../events/index.ts';
import { loadAlertPolicy } from './alert-policy.repository.ts';
import type { SpikeDimension } from './alert-policy.schema.ts';
import { endSpikeAlert, raiseAlert } from './alert.raiser.ts';
import { findAlertIdByDedupeKey } from './alert.repository.ts';
import { SpikeDetector } from './spike.detector.ts';
import type { SeriesRef, SpikeOutput, SpikeStarted } from './spike.detector.ts';
import { latestSettledCursor, listAlertWorkspaceIds, listComplaintsAfter, lockDetector, saveDetector, seriesNames } from './spike-state.repository.ts';

export interface SpikeJobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  notifier: EventNotifier;
}

export interface SpikeJobOptions {
  /** Messages received less than this long ago wait for the next run (transactions still committing). */
  settleSeconds?: number;
  /** How far back a workspace's first run starts, so its baselines learn from recent history. */
  bootstrapHours?: number;
  /** Complaints read per workspace per run; the rest waits for the next run. */
  batchSize?: number;
}

export const spikeJobIntervalMs = 5_000;
const defaults = { settleSeconds: 2, bootstrapHours: 2, batchSize: 5_000 };

export interface SpikeRunResult {
  workspaces: number;
  complaints: number;
  raised: number;
  ended: number;
}

function dedupeKeyOf(spikeId: string): string {
  return `spike:${spikeId}`;
}

function titleOf(started: SpikeStarted, label: string): string {
  const what: Record<SpikeDimension, string> = { topic: 'topic', rule: 'rule', channel: 'channel' };
  const expected = started.expected < 10 ? started.expected.toFixed(1) : String(Math.round(started.expected));
  return `Complaint spike — ${what[started.dimension]} ${label}: ${started.count} in ${started.windowSeconds} s (expected ${expected})`;
}

/**
 * One pass for one workspace, in one transaction: reads the complaints received since the last pass, feeds them to
 * the workspace's spike detector (restored from the database) in arrival order at their own post times, moves the
 * detector's clock to now, stores the alerts it raised or ended with their events, and saves state and cursor.
 * Another process running the same workspace at the same moment skips it (the detector row is locked).
 */
async function runWorkspace(deps: SpikeJobDeps, workspaceId: string, options: Required<SpikeJobOptions>): Promise<Omit<SpikeRunResult, 'workspaces'> | null> {
  return deps.db.transaction(async (tx) => {
    const policy = await loadAlertPolicy(tx, workspaceId);
    if (!policy.spike.enabled) return null;
    const locked = await lockDetector(tx, workspaceId, options.bootstrapHours);
    if (!locked) return null;
    const bootstrapping = locked.state === null;
    const detector = new SpikeDetector(policy.spike, locked.state);
    const now = deps.clock.now().getTime() - options.settleSeconds * 1000;
    const rows = await listComplaintsAfter(tx, workspaceId, locked.cursor, options.settleSeconds, options.batchSize);
    const outputs: SpikeOutput[] = [];
    for (const row of rows) {
      const series: SeriesRef[] = [
        ...row.topics.map((key) => ({ dimension: 'topic' as const, key })),
        ...row.ruleIds.map((key) => ({ dimension: 'rule' as const, key })),
        { dimension: 'channel', key: row.channelId },
      ];
      outputs.push(...detector.observe({ id: row.id, at: Math.min(row.sentAt.getTime(), now), authorKey: row.authorId, series }));
    }
    const caughtUp = rows.length < options.batchSize;
    if (caughtUp) outputs.push(...detector.advanceTo(now));
    const last = rows.at(-1);
    let cursor = last ? { receivedAt: last.receivedAt, messageId: last.id } : locked.cursor;
    if (caughtUp) cursor = (await latestSettledCursor(tx, workspaceId, cursor, options.settleSeconds)) ?? cursor;
    const result = await writeOutputs(tx, workspaceId, outputs, bootstrapping);
    const state = detector.toState();
    // A pass that read nothing and closed no bucket leaves nothing worth writing (the clock catches up next time).
    const idle = rows.length === 0 && outputs.length === 0 && !bootstrapping && state.bucket === locked.state?.bucket
      && cursor.messageId === locked.cursor.messageId;
    if (!idle) await saveDetector(tx, workspaceId, cursor, state);
    return { complaints: rows.length, ...result };
  });
}

async function writeOutputs(tx: Queryable, workspaceId: string, outputs: SpikeOutput[], bootstrapping: boolean): Promise<{ raised: number; ended: number }> {
  // Replaying history on a first run: a spike that already ended in the replay is history, not news.
  const endedInBatch = new Set(outputs.flatMap((o) => (o.type === 'spike.ended' ? [o.spikeId] : [])));
  const starts = outputs.filter((o): o is SpikeStarted => o.type === 'spike.started' && !(bootstrapping && endedInBatch.has(o.spikeId)));
  const names = await seriesNames(
    tx, workspaceId,
    starts.filter((s) => s.dimension === 'rule').map((s) => s.key),
    starts.filter((s) => s.dimension === 'channel').map((s) => s.key),
  );
  let raised = 0;
  let ended = 0;
  for (const output of outputs) {
    switch (output.type) {
      case 'spike.started': {
        if (!starts.includes(output)) break;
        const label = output.dimension === 'topic' ? output.key : names.get(`${output.dimension}:${output.key}`) ?? output.key;
        const relatedTo = output.relatedSpikeId ? await findAlertIdByDedupeKey(tx, workspaceId, dedupeKeyOf(output.relatedSpikeId)) : null;
        const id = await raiseAlert(tx, {
          workspaceId,
          kind: 'spike',
          dedupeKey: dedupeKeyOf(output.spikeId),
          title: titleOf(output, label),
          score: Math.round(output.ratio * 10) / 10,
          dimension: output.dimension,
          seriesKey: output.key,
          messageId: null,
          caseId: null,
          exampleMessageIds: output.exampleIds,
          details: {
            label, count: output.count, expected: output.expected, ratio: output.ratio, pValue: output.pValue, windowSeconds: output.windowSeconds,
            baselinePerHour: output.baselinePerHour,
            // The alert of another series' open spike made by the same posts (one incident seen along two dimensions).
            relatedAlertId: relatedTo,
          },
          raisedAt: new Date(output.at),
          startedAt: new Date(output.windowStart),
        });
        if (id) raised += 1;
        break;
      }
      case 'spike.ended': {
        const id = await endSpikeAlert(tx, workspaceId, dedupeKeyOf(output.spikeId), new Date(output.at), {
          endReason: output.reason, posts: output.posts, peakBucketCount: output.peakBucketCount,
        });
        if (id) ended += 1;
        break;
      }
      default: {
        const unknown: never = output;
        throw new Error(`unknown spike output ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { raised, ended };
}

/** One pass over every workspace. A workspace that fails is logged and retried on the next pass. */
export async function runSpikeDetectionOnce(deps: SpikeJobDeps, options: SpikeJobOptions = {}): Promise<SpikeRunResult> {
  const settings: Required<SpikeJobOptions> = {
    settleSeconds: options.settleSeconds ?? defaults.settleSeconds,
    bootstrapHours: options.bootstrapHours ?? defaults.bootstrapHours,
    batchSize: options.batchSize ?? defaults.batchSize,
  };
  const total: SpikeRunResult = { workspaces: 0, complaints: 0, raised: 0, ended: 0 };
  for (const workspaceId of await listAlertWorkspaceIds(deps.db)) {
    try {
      const result = await runWorkspace(deps, workspaceId, settings);
      if (!result) continue;
      total.workspaces += 1;
      total.complaints += result.complaints;
      total.raised += result.raised;
      total.ended += result.ended;
      if (result.raised + result.ended > 0) deps.notifier.notify(workspaceId);
    } catch (error) {
      deps.logger.warn({ err: error, workspaceId }, 'spike detection failed for a workspace; retrying on the next pass');
    }
  }
  return total;
}

/**
 * Runs spike detection every few seconds until stopped (`parley work`, `parley start`). Passes never overlap; any
 * number of processes may run it against one database.
 */
export function startSpikeDetection(deps: SpikeJobDeps, intervalMs = spikeJobIntervalMs): { stop(): void } {
  return repeatEvery('spike detection', intervalMs, deps.logger, async () => {
    const result = await runSpikeDetectionOnce(deps);
    if (result.raised + result.ended > 0) deps.logger.info(result, 'spike detection');
  });
}
