import type { Db } from '../../platform/db/db.ts';
import { notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import { markAlertAcknowledged, selectAlert } from './alert.repository.ts';
import { presentAlerts } from './alert-query.service.ts';
import type { AlertView } from './alert.types.ts';

/**
 * Acknowledges an alert for the caller's team. Idempotent: acknowledging it again returns it unchanged (with who
 * acknowledged it first) and writes nothing. A foreign or unknown id is "not found".
 */
export async function acknowledgeAlert(
  db: Db,
  notifier: EventNotifier,
  principal: Principal,
  id: string,
  at: Date,
  note: string | null,
): Promise<AlertView> {
  const ws = principal.workspaceId;
  const changed = await db.transaction(async (tx) => {
    const row = await markAlertAcknowledged(tx, ws, id, principal.userId, at);
    if (!row) return null;
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'alert.acknowledged',
      caseId: row.case_id,
      actorUserId: principal.userId,
      data: note ? { alertId: id, note } : { alertId: id },
    });
    return row;
  });
  if (changed) notifier.notify(ws);
  const row = changed ?? (await selectAlert(db, ws, id));
  if (!row) throw notFound('alert');
  return (await presentAlerts(db, ws, [row]))[0];
}
