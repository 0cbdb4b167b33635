import type { Db } from '../../platform/db/db.ts';
import { appendEvent } from '../events/index.ts';
import type { Principal } from '../accounts/index.ts';
import { loadCasePolicies, saveCasePolicy } from './case-policy.repository.ts';
import type { CasePolicies, EscalationPolicy, PolicyKind, PriorityPolicy, SlaPolicy } from './case-policy.schema.ts';

export async function getCasePolicies(db: Db, principal: Principal): Promise<CasePolicies> {
  return loadCasePolicies(db, principal.workspaceId);
}

/**
 * Replaces one policy document (already validated by its schema). New due times and priorities apply to case
 * changes from now on; cases keep the clocks they were given.
 */
export async function putCasePolicy<K extends PolicyKind>(
  db: Db,
  principal: Principal,
  kind: K,
  document: K extends 'sla' ? SlaPolicy : K extends 'priority' ? PriorityPolicy : EscalationPolicy,
): Promise<CasePolicies> {
  await db.transaction(async (tx) => {
    await saveCasePolicy(tx, principal.workspaceId, kind, document, principal.userId);
    await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'policy.updated', actorUserId: principal.userId, data: { kind } });
  });
  return loadCasePolicies(db, principal.workspaceId);
}
