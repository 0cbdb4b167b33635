import { z } from 'zod';
import { alertKinds, alertStatuses, spikeDimensions } from '../../../features/alerts/index.ts';

export const listAlertsQuerySchema = z
  .object({
    kind: z.enum(alertKinds).optional(),
    /** open (not yet acknowledged) or acknowledged */
    status: z.enum(alertStatuses).optional(),
    /** true: spikes still under way (and viral-risk alerts, which have no end); false: ended spikes */
    active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    dimension: z.enum(spikeDimensions).optional(),
    since: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
    until: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();

export const ackAlertSchema = z
  .object({
    /** Why or what was done, kept on the event. */
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

const count = z.number().int().min(0).max(2_000_000_000);

export const engagementReportSchema = z
  .object({
    /** The post's external id on this channel, as it was ingested. */
    externalId: z.string().trim().min(1).max(256),
    observedAt: z.iso.datetime({ offset: true }).optional(),
    replies: count.default(0),
    reposts: count.default(0),
    quotes: count.default(0),
    likes: count.default(0),
    followerCount: count.optional(),
  })
  .strict();

export const maxEngagementBatch = 500;

export const engagementBatchSchema = z
  .object({ snapshots: z.array(engagementReportSchema).min(1).max(maxEngagementBatch) })
  .strict();
