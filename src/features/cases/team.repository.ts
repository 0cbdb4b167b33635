import type { Queryable } from '../../platform/db/db.ts';
import type { RoutableTeam } from './routing.ts';

export const assignmentModes = ['pull', 'round_robin'] as const;
export type AssignmentMode = (typeof assignmentModes)[number];

export interface TeamMemberView {
  userId: string;
  name: string;
  capacity: number;
  openCases: number;
}

export interface TeamView extends RoutableTeam {
  assignment: AssignmentMode;
  members: TeamMemberView[];
  createdAt: string;
}

export interface TeamInput {
  name: string;
  topics: string[];
  languages: string[];
  skills: string[];
  tier: number;
  assignment: AssignmentMode;
  members: { userId: string; capacity: number }[];
}

interface TeamRow extends Record<string, unknown> {
  id: string;
  name: string;
  topics: string[];
  languages: string[];
  skills: string[];
  tier: number;
  assignment: AssignmentMode;
  created_at: Date;
}

interface MemberRow extends Record<string, unknown> {
  team_id: string;
  user_id: string;
  name: string;
  capacity: number;
  open_cases: number | string;
}

/** The teams routing chooses from: cheap, no members. */
export async function listRoutableTeams(db: Queryable, workspaceId: string): Promise<RoutableTeam[]> {
  const rows = await db.query<TeamRow>(
    `SELECT id, name, topics, languages, skills, tier FROM team WHERE workspace_id = $1 ORDER BY lower(name), id`,
    [workspaceId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, topics: r.topics, languages: r.languages, skills: r.skills, tier: Number(r.tier) }));
}

export async function listTeams(db: Queryable, workspaceId: string, teamId?: string): Promise<TeamView[]> {
  const teams = await db.query<TeamRow>(
    `SELECT id, name, topics, languages, skills, tier, assignment, created_at FROM team
     WHERE workspace_id = $1 AND ($2::uuid IS NULL OR id = $2::uuid) ORDER BY lower(name), id`,
    [workspaceId, teamId ?? null],
  );
  if (teams.length === 0) return [];
  const members = await db.query<MemberRow>(
    `SELECT tm.team_id, tm.user_id, u.name, tm.capacity,
       (SELECT count(*) FROM cases c WHERE c.workspace_id = tm.workspace_id AND c.assignee_id = tm.user_id
          AND c.status IN ('new', 'open', 'waiting')) AS open_cases
     FROM team_member tm JOIN app_user u ON u.workspace_id = tm.workspace_id AND u.id = tm.user_id
     WHERE tm.workspace_id = $1 AND tm.team_id = ANY($2::uuid[]) ORDER BY lower(u.name), tm.user_id`,
    [workspaceId, teams.map((t) => t.id)],
  );
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    topics: t.topics,
    languages: t.languages,
    skills: t.skills,
    tier: Number(t.tier),
    assignment: t.assignment,
    createdAt: t.created_at.toISOString(),
    members: members
      .filter((m) => m.team_id === t.id)
      .map((m) => ({ userId: m.user_id, name: m.name, capacity: Number(m.capacity), openCases: Number(m.open_cases) })),
  }));
}

export async function teamNameTaken(db: Queryable, workspaceId: string, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM team WHERE workspace_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid)`,
    [workspaceId, name, exceptId],
  );
  return rows.length > 0;
}

export async function insertTeam(tx: Queryable, workspaceId: string, id: string, input: TeamInput): Promise<void> {
  await tx.query(
    `INSERT INTO team (workspace_id, id, name, topics, languages, skills, tier, assignment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [workspaceId, id, input.name, input.topics, input.languages, input.skills, input.tier, input.assignment],
  );
  await replaceMembers(tx, workspaceId, id, input.members);
}

export async function updateTeam(tx: Queryable, workspaceId: string, id: string, input: TeamInput): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE team SET name = $3, topics = $4, languages = $5, skills = $6, tier = $7, assignment = $8
     WHERE workspace_id = $1 AND id = $2 RETURNING id`,
    [workspaceId, id, input.name, input.topics, input.languages, input.skills, input.tier, input.assignment],
  );
  if (rows.length === 0) return false;
  await replaceMembers(tx, workspaceId, id, input.members);
  return true;
}

async function replaceMembers(tx: Queryable, workspaceId: string, teamId: string, members: TeamInput['members']): Promise<void> {
  // Keep last_assigned_at of members who stay, so round robin does not restart at every edit.
  await tx.query(`DELETE FROM team_member WHERE workspace_id = $1 AND team_id = $2 AND NOT (user_id = ANY($3::uuid[]))`, [
    workspaceId, teamId, members.map((m) => m.userId),
  ]);
  for (const m of members) {
    await tx.query(
      `INSERT INTO team_member (workspace_id, team_id, user_id, capacity) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, team_id, user_id) DO UPDATE SET capacity = EXCLUDED.capacity`,
      [workspaceId, teamId, m.userId, m.capacity],
    );
  }
}

/** Deletes a team; its cases go back to the shared queue. */
export async function deleteTeam(tx: Queryable, workspaceId: string, id: string): Promise<boolean> {
  await tx.query(`UPDATE cases SET team_id = NULL, updated_at = now() WHERE workspace_id = $1 AND team_id = $2`, [workspaceId, id]);
  const rows = await tx.query(`DELETE FROM team WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  return rows.length > 0;
}

/** The ids of the teams a user belongs to. */
export async function teamIdsOfUser(db: Queryable, workspaceId: string, userId: string): Promise<string[]> {
  const rows = await db.query<{ team_id: string }>(`SELECT team_id FROM team_member WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, userId]);
  return rows.map((r) => r.team_id);
}
