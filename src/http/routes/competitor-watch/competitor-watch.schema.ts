import { z } from 'zod';

const platform = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'platform must be lowercase letters, digits, - or _');

export const opportunitiesQuerySchema = z
  .object({
    /** ISO date (inclusive) or date-time; default 30 days before `to` */
    from: z.string().max(40).optional(),
    /** ISO date (through that day, UTC) or date-time (exclusive); default now */
    to: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(1024).optional(),
  })
  .strict();

export const churnRisksQuerySchema = z
  .object({
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const outreachSchema = z
  .object({
    /** the offer, as a reply to the post; held for a supervisor's approval */
    text: z.string().trim().min(1).max(10_000),
    /** a private message where the platform has one */
    private: z.boolean().optional(),
  })
  .strict();

const reason = z.string().trim().max(500).optional();

export const optOutSchema = z.union([
  z.object({ customerId: z.uuid(), reason }).strict(),
  z.object({ platform, handle: z.string().trim().min(1).max(256), reason }).strict(),
]);

export const competitorAccountSchema = z
  .object({
    /** the competitor's name, as reports and churn-risk events show it */
    competitor: z.string().trim().min(1).max(120),
    /** x, bluesky, mastodon, facebook, … (the platform of the channel its replies arrive on) */
    platform,
    /** the official account's handle, with or without @ */
    handle: z.string().trim().min(1).max(256),
  })
  .strict();
