import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { ErrorDetail } from '../../platform/errors.ts';
import { appendEvent } from '../events/index.ts';
import { findUser } from '../accounts/index.ts';
import type { Principal } from '../accounts/index.ts';
import { loadCasePolicies } from './case-policy.repository.ts';
import { deleteTeam, insertTeam, listTeams, teamNameTaken, updateTeam } from './team.repository.ts';
import type { TeamInput, TeamView } from './team.repository.ts';

async function checkTeam(db: Db, principal: Principal, input: TeamInput, teamId: string | null): Promise<void> {
  const ws = principal.workspaceId;
  const problems: ErrorDetail[] = [];
  const { escalation } = await loadCasePolicies(db, ws);
  if (input.tier >= escalation.tiers.length) problems.push({ path: 'tier', message: `the ladder has tiers 0 to ${escalation.tiers.length - 1}` });
  const seen = new Set<string>();
  for (const [i, member] of input.members.entries()) {
    if (seen.has(member.userId)) problems.push({ path: `members.${i}.userId`, message: 'listed twice' });
    seen.add(member.userId);
    if (!(await findUser(db, ws, member.userId))) problems.push({ path: `members.${i}.userId`, message: 'not a user of this workspace' });
  }
  if (problems.length > 0) throw new AppError('validation_failed', `${problems[0].path}: ${problems[0].message}`, problems);
  if (await teamNameTaken(db, ws, input.name, teamId)) throw new AppError('conflict', `a team named "${input.name}" already exists`);
}

export async function getTeams(db: Db, principal: Principal): Promise<TeamView[]> {
  return listTeams(db, principal.workspaceId);
}

export async function getTeam(db: Db, principal: Principal, teamId: string): Promise<TeamView> {
  const [team] = await listTeams(db, principal.workspaceId, teamId);
  if (!team) throw notFound('team');
  return team;
}

export async function createTeam(db: Db, principal: Principal, input: TeamInput): Promise<TeamView> {
  await checkTeam(db, principal, input, null);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await insertTeam(tx, principal.workspaceId, id, input);
    await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'team.created', actorUserId: principal.userId, data: { teamId: id, name: input.name } });
  });
  return getTeam(db, principal, id);
}

/** Applies a partial change; a `members` list replaces the team's members. */
export async function changeTeam(db: Db, principal: Principal, teamId: string, patch: Partial<TeamInput>): Promise<TeamView> {
  const current = await getTeam(db, principal, teamId);
  const input: TeamInput = {
    name: patch.name ?? current.name,
    topics: patch.topics ?? current.topics,
    languages: patch.languages ?? current.languages,
    skills: patch.skills ?? current.skills,
    tier: patch.tier ?? current.tier,
    assignment: patch.assignment ?? current.assignment,
    members: patch.members ?? current.members.map((m) => ({ userId: m.userId, capacity: m.capacity })),
  };
  await checkTeam(db, principal, input, teamId);
  await db.transaction(async (tx) => {
    if (!(await updateTeam(tx, principal.workspaceId, teamId, input))) throw notFound('team');
    await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'team.updated', actorUserId: principal.userId, data: { teamId, changed: Object.keys(patch) } });
  });
  return getTeam(db, principal, teamId);
}

export async function removeTeam(db: Db, principal: Principal, teamId: string): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await deleteTeam(tx, principal.workspaceId, teamId))) throw notFound('team');
    await appendEvent(tx, { workspaceId: principal.workspaceId, type: 'team.deleted', actorUserId: principal.userId, data: { teamId } });
  });
}
