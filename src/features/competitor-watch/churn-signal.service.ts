import type { Queryable } from '../../platform/db/db.ts';
import type { Principal } from '../accounts/index.ts';
import { listChurnSignals } from './churn-signal.repository.ts';
import type { ChurnSignal } from './churn-signal.repository.ts';

export async function getChurnSignals(db: Queryable, principal: Principal, filter: { from: Date; to: Date; limit: number }): Promise<ChurnSignal[]> {
  return listChurnSignals(db, principal.workspaceId, filter);
}
