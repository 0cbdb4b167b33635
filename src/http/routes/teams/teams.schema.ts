import { z } from 'zod';
import { assignmentModes } from '../../../features/cases/index.ts';

const tag = z.string().trim().toLowerCase().min(1).max(64);


const teamFields = {
  name: z.string().trim().min(1).max(100),
  /** Topics this team takes (empty: any topic). */
  topics: z.array(tag).max(50),
  /** Language codes this team takes (empty: any language). */
  languages: z.array(z.string().trim().toLowerCase().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, 'a language code such as en or pt-br')).max(30),
  skills: z.array(tag).max(30),
  /** The escalation tier this team works. */
  tier: z.number().int().min(0).max(5),
  assignment: z.enum(assignmentModes),
  members: z.array(z.object({ userId: z.uuid(), capacity: z.number().int().min(0).max(200) }).strict()).max(500),
};

export const createTeamSchema = z
  .object({
    name: teamFields.name,
    topics: teamFields.topics.default([]),
    languages: teamFields.languages.default([]),
    skills: teamFields.skills.default([]),
    tier: teamFields.tier.default(0),
    assignment: teamFields.assignment.default('pull'),
    members: teamFields.members.default([]),
  })
  .strict();

export const patchTeamSchema = z
  .object({
    name: teamFields.name.optional(),
    topics: teamFields.topics.optional(),
    languages: teamFields.languages.optional(),
    skills: teamFields.skills.optional(),
    tier: teamFields.tier.optional(),
    assignment: teamFields.assignment.optional(),
    members: teamFields.members.optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });
