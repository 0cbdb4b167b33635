import type { Queryable } from '../../platform/db/db.ts';
import { appendEvent } from '../events/index.ts';
import { insertAlert, markAlertEnded } from './alert.repository.ts';
import type { NewAlert } from './alert.types.ts';

/**
 * Stores an alert and its `alert.raised` event in the caller's transaction, so live (SSE) subscribers hear of it.
 * Raising is idempotent on the dedupe key: a repeat returns null and writes nothing. Cases are never touched — an
 * alert goes to the communications team, it does not move anyone in the queue.
 */
export async function raiseAlert(tx: Queryable, alert: NewAlert): Promise<string | null> {
  const id = await insertAlert(tx, alert);
  if (!id) return null;
  await appendEvent(tx, {
    workspaceId: alert.workspaceId,
    type: 'alert.raised',
    caseId: alert.caseId,
    data: { alertId: id, kind: alert.kind, title: alert.title, score: alert.score, dimension: alert.dimension, seriesKey: alert.seriesKey, messageId: alert.messageId },
  });
  return id;
}

/** Closes a spike alert (the rate is back at its baseline) with its `alert.ended` event; null if already closed. */
export async function endSpikeAlert(
  tx: Queryable,
  workspaceId: string,
  dedupeKey: string,
  endedAt: Date,
  details: Record<string, unknown>,
): Promise<string | null> {
  const id = await markAlertEnded(tx, workspaceId, dedupeKey, endedAt, details);
  if (!id) return null;
  await appendEvent(tx, { workspaceId, type: 'alert.ended', data: { alertId: id, ...details } });
  return id;
}
