import { z } from 'zod';

const topic = z.string().trim().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'topics are lowercase words joined by -');

export const articleSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(50_000),
    topics: z.array(topic).max(20).default([]),
  })
  .strict();

export const articlePatchSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    body: z.string().trim().min(1).max(50_000).optional(),
    topics: z.array(topic).max(20).optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });

export const articleQuerySchema = z
  .object({ q: z.string().trim().min(1).max(500).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) })
  .strict();

export const macroSchema = z
  .object({ name: z.string().trim().min(1).max(100), body: z.string().trim().min(1).max(5_000) })
  .strict();

export const macroPatchSchema = z
  .object({ name: z.string().trim().min(1).max(100).optional(), body: z.string().trim().min(1).max(5_000).optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.body !== undefined, { message: 'nothing to change' });

export const caseMacroParamsSchema = z.object({ id: z.string(), macroId: z.string() });
