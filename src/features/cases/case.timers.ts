import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';
import { repeatEvery } from '../../platform/repeat.ts';
import { assignRoundRobin } from './case-assignment.service.ts';
import { listWorkspaceIds } from './sla-timer.repository.ts';
import { runSlaTimers } from './sla.timer.ts';

export interface CaseTimerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export const caseTimerIntervalMs = 5_000;

/** One pass of the case timers: SLA breaches (and the escalations they trigger), then round-robin assignment. */
export async function runCaseTimersOnce(deps: CaseTimerDeps): Promise<{ breaches: number; escalations: number; assigned: number }> {
  const now = deps.clock.now();
  const sla = await runSlaTimers(deps.db, now);
  let assigned = 0;
  for (const workspaceId of await listWorkspaceIds(deps.db)) assigned += await assignRoundRobin(deps.db, workspaceId, now);
  return { ...sla, assigned };
}

/**
 * Runs the case timers every few seconds until stopped. Runs never overlap; a failed run is logged and the next one
 * tries again (every step is idempotent). Any number of processes may run them against one database.
 */
export function startCaseTimers(deps: CaseTimerDeps, intervalMs = caseTimerIntervalMs): { stop(): void } {
  return repeatEvery('case timers', intervalMs, deps.logger, async () => {
    const outcome = await runCaseTimersOnce(deps);
    if (outcome.breaches + outcome.assigned > 0) deps.logger.info(outcome, 'case timers');
  });
}
