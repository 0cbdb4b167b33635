import { z } from 'zod';
import { heardGroupings, reportBuckets, reportGroupings } from '../../../features/insights/index.ts';

const period = {
  /** ISO date (inclusive) or date-time; default 30 days before `to` */
  from: z.string().max(40).optional(),
  /** ISO date (inclusive, through the end of that day, UTC) or date-time (exclusive); default now */
  to: z.string().max(40).optional(),
  format: z.enum(['json', 'csv']).default('json'),
};

export const equityQuerySchema = z.object(period).strict();

export const seriesReportQuerySchema = z
  .object({
    ...period,
    /** UTC days, or ISO weeks starting Monday */
    bucket: z.enum(reportBuckets).default('day'),
    groupBy: z.enum(reportGroupings).default('none'),
  })
  .strict();
export type SeriesReportQuery = z.infer<typeof seriesReportQuerySchema>;

export const heardUnansweredQuerySchema = z
  .object({
    ...period,
    bucket: z.enum(reportBuckets).default('week'),
    groupBy: z.enum(heardGroupings).default('none'),
  })
  .strict();

export const voiceOfCustomerQuerySchema = z
  .object({
    /** any date (YYYY-MM-DD) of the ISO week to report; default the last complete week */
    week: z.string().max(10).optional(),
    /** previous weeks forming the baseline */
    baselineWeeks: z.coerce.number().int().min(1).max(12).default(4),
    /** a rising phrase needs at least this many posts in the week */
    minSupport: z.coerce.number().int().min(1).max(1000).default(3),
    /** …and at least this lift over its baseline */
    minLift: z.coerce.number().min(1).max(100).default(2),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
