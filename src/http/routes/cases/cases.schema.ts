import { z } from 'zod';
import { caseStatuses, priorities } from '../../../features/cases/index.ts';
import { channelKinds } from '../../../features/channels/index.ts';

const statusList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(z.enum(caseStatuses)).min(1));

export const queueQuerySchema = z
  .object({
    status: statusList.optional(),
    channel: z.enum(channelKinds).optional(),
    /** a user id, `me`, or `none` for unassigned cases */
    assignee: z.string().max(64).optional(),
    topic: z.string().max(64).optional(),
    /** a team id, or `none` for the shared queue (cases routed to no team) */
    team: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();


export const patchCaseSchema = z
  .object({
    status: z.enum(caseStatuses).optional(),
    assigneeId: z.uuid().nullable().optional(),
    priority: z.enum(priorities).optional(),
    priorityReason: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });

export const noteSchema = z.object({ body: z.string().trim().min(1).max(10_000) }).strict();

export const escalateSchema = z
  .object({
    tier: z.number().int().min(0).max(5).optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();
