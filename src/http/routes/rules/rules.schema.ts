import { z } from 'zod';
import { maxQueryLength, ruleTags } from '../../../features/listening/index.ts';

// Longer than the parser's limit, so an over-long rule gets the parser's message with its column.
const query = z.string().max(maxQueryLength * 4);
const name = z.string().trim().min(1).max(120);


export const listRulesQuerySchema = z.object({ tag: z.enum(ruleTags).optional() }).strict();

export const createRuleSchema = z
  .object({
    name,
    tag: z.enum(ruleTags),
    /** The rule in Parley's rule language (docs/LISTENING.md). */
    query,
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateRuleBody = z.infer<typeof createRuleSchema>;

export const patchRuleSchema = z
  .object({
    name: name.optional(),
    tag: z.enum(ruleTags).optional(),
    query: query.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });
export type PatchRuleBody = z.infer<typeof patchRuleSchema>;

export const testRuleSchema = z
  .object({
    query,
    /** How many of the workspace's latest inbound messages to try. */
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type TestRuleBody = z.infer<typeof testRuleSchema>;
