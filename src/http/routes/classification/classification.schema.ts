import { z } from 'zod';
import { intents, sentiments } from '../../../features/classification/index.ts';

const topic = z.string().trim().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'topics are lowercase words joined by -');

export const labelCorrectionSchema = z
  .object({
    complaint: z.boolean().optional(),
    sentiment: z.enum(sentiments).optional(),
    intent: z.enum(intents).optional(),
    topics: z.array(topic).max(20).optional(),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'a correction needs at least one label (complaint, sentiment, intent or topics)' });

export const correctionsExportQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(100_000).default(10_000) })
  .strict();
