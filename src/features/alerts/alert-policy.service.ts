import type { Db } from '../../platform/db/db.ts';
import type { Principal } from '../accounts/index.ts';
import { appendEvent } from '../events/index.ts';
import { forgetAlertPolicy, loadAlertPolicy, saveAlertPolicy } from './alert-policy.repository.ts';
import type { AlertPolicy } from './alert-policy.schema.ts';

export async function getAlertPolicy(db: Db, principal: Principal): Promise<AlertPolicy> {
  return loadAlertPolicy(db, principal.workspaceId);
}

/**
 * Replaces the workspace's alert policy (already validated and defaulted by its schema). It applies from now on:
 * stored recommendations and raised alerts keep what they were given.
 */
export async function putAlertPolicy(db: Db, principal: Principal, policy: AlertPolicy): Promise<AlertPolicy> {
  await db.transaction(async (tx) => {
    await saveAlertPolicy(tx, principal.workspaceId, policy, principal.userId);
    await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'policy.updated', actorUserId: principal.userId, data: { kind: 'alerts' } });
  });
  forgetAlertPolicy(principal.workspaceId);
  return loadAlertPolicy(db, principal.workspaceId);
}
