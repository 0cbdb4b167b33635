import { z } from 'zod';

const url = z.string().trim().min(1).max(2048);
const eventTypes = z.array(z.string().min(1).max(64)).min(1).max(30);
const secret = z.string().min(24, 'a signing secret needs at least 24 characters').max(256);
const description = z.string().max(200);

export const createSubscriptionSchema = z
  .object({
    /** http(s) URL that receives the POSTs */
    url,
    /** event types (case.created, sla.breached, alert.raised, …) or families (case.*, alert.*) */
    eventTypes,
    description: description.optional(),
    /** the signing secret; generated (whsec_…) when left out, and shown once in the response */
    secret: secret.optional(),
  })
  .strict();

export const patchSubscriptionSchema = z
  .object({
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    description: description.nullable().optional(),
    /** true re-enables a subscription disabled after failures (its failure count starts again from 0) */
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to change' });

export const rotateSecretSchema = z.object({ secret: secret.optional() }).strict();

export const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
