import type { Queryable } from '../../platform/db/db.ts';
import { lockCaseState, updateCase } from './case.repository.ts';

/**
 * A callback the brand promised is due: the customer is owed an answer by the promised time, so the case is open
 * again and its next-response deadline is the callback time — it takes its fair place in the queue from then on.
 * The caller (features/callbacks) writes the `callback.due` event in the same transaction.
 */
export async function applyCallbackDueToCase(tx: Queryable, input: { workspaceId: string; caseId: string; dueAt: Date }): Promise<boolean> {
  const current = await lockCaseState(tx, input.workspaceId, input.caseId);
  if (!current) return false;
  const reopened = current.status === 'resolved' || current.status === 'closed';
  await updateCase(tx, input.workspaceId, input.caseId, {
    status: 'open',
    nextResponseDueAt: input.dueAt,
    resolvedAt: reopened ? null : undefined,
  });
  return true;
}
