import { z } from 'zod';

export const matchedPostsQuerySchema = z
  .object({
    /** only posts that matched this rule */
    rule: z.uuid().optional(),
    /** `true`: only posts no case took */
    unconverted: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();
