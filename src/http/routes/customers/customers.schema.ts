import { z } from 'zod';
import { identityKinds } from '../../../features/identity/index.ts';

export const mergeParamsSchema = z.object({ id: z.string() });
export const suggestionParamsSchema = z.object({ id: z.string(), sid: z.string() });

export const customerSearchQuerySchema = z
  .object({
    /** part of a name, handle, email address or phone number */
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(1024).optional(),
  })
  .strict();

export const suggestionQuerySchema = z
  .object({ status: z.enum(['open', 'accepted', 'dismissed', 'all']).default('open') })
  .strict();

export const addIdentitySchema = z
  .object({
    kind: z.enum(identityKinds),
    /** required for handles: the platform (x, bluesky, …) */
    platform: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'platform must be lowercase letters, digits, - or _').optional(),
    value: z.string().trim().min(1).max(256),
    /** when the value belongs to another customer, merge the two (supervisors) instead of answering 409 */
    merge: z.boolean().default(false),
  })
  .strict();

export const mergeSchema = z
  .object({
    otherCustomerId: z.uuid(),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export const patchCustomerSchema = z
  .object({
    vulnerable: z.boolean(),
    /** why the customer needs extra care; required when setting the flag */
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .strict()
  .refine((p) => !p.vulnerable || (p.note ?? '').length > 0, { message: 'a note is required when flagging a customer', path: ['note'] });
