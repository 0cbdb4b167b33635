import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { deleteCompetitorAccount, insertCompetitorAccount, listCompetitorAccounts } from './competitor-account.repository.ts';
import type { CompetitorAccount } from './competitor-account.repository.ts';
import { handleKeyOf } from './handle.ts';

export interface NewCompetitorAccount {
  competitor: string;
  platform: string;
  handle: string;
}

export async function getCompetitorAccounts(db: Queryable, principal: Principal): Promise<CompetitorAccount[]> {
  return listCompetitorAccounts(db, principal.workspaceId);
}

/** Adds a competitor's official account; one handle per platform belongs to one competitor. */
export async function addCompetitorAccount(db: Queryable, principal: Principal, input: NewCompetitorAccount): Promise<CompetitorAccount> {
  const handleKey = handleKeyOf(input.handle);
  if (handleKey === '') throw new AppError('validation_failed', 'handle is empty', [{ path: 'handle', message: 'empty' }]);
  const created = await insertCompetitorAccount(db, {
    workspaceId: principal.workspaceId,
    id: randomUUID(),
    competitor: input.competitor.trim(),
    platform: input.platform,
    handle: input.handle.trim(),
    handleKey,
    createdBy: principal.userId,
  });
  if (!created) throw new AppError('conflict', `@${handleKey} on ${input.platform} is already a competitor account`);
  return created;
}

export async function removeCompetitorAccount(db: Queryable, principal: Principal, id: string): Promise<void> {
  if (!(await deleteCompetitorAccount(db, principal.workspaceId, id))) throw notFound('competitor account');
}
