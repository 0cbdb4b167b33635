import { z } from 'zod';

export const equityQuerySchema = z
  .object({
    /** ISO date (inclusive) or date-time; default 30 days before `to` */
    from: z.string().max(40).optional(),
    /** ISO date (inclusive, through the end of that day, UTC) or date-time (exclusive); default now */
    to: z.string().max(40).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
