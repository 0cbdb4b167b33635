import type { Db } from '../../platform/db/db.ts';
import { applyCallbackDueToCase } from '../cases/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import { claimDueCallbacks, markCallbackDue } from './callback.repository.ts';

const batchSize = 100;

/**
 * The worker's callback timer: every scheduled callback due by `now` is marked due, its case is put back in the
 * queue with the callback time as its response deadline, and a `callback.due` event is written — all in one
 * transaction per batch. Safe to run from several workers at once (rows are claimed with SKIP LOCKED).
 * Returns how many callbacks fell due.
 */
export async function runDueCallbacks(ctx: { db: Db; notifier?: EventNotifier }, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const workspaces = new Set<string>();
    const count = await ctx.db.transaction(async (tx) => {
      const due = await claimDueCallbacks(tx, now, batchSize);
      for (const callback of due) {
        await markCallbackDue(tx, callback.workspaceId, callback.id, now);
        await applyCallbackDueToCase(tx, { workspaceId: callback.workspaceId, caseId: callback.caseId, dueAt: new Date(callback.dueAt) });
        await appendEvent(tx, {
          workspaceId: callback.workspaceId, type: 'callback.due', caseId: callback.caseId,
          data: { callbackId: callback.id, dueAt: callback.dueAt, phone: callback.phone },
        });
        workspaces.add(callback.workspaceId);
      }
      return due.length;
    });
    for (const ws of workspaces) ctx.notifier?.notify(ws);
    total += count;
    if (count < batchSize) return total;
  }
}
