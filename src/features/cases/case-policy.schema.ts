import { z } from 'zod';
import { isValidTimeZone, weekdays } from './business-time.ts';
import type { BusinessCalendar, Weekday } from './business-time.ts';

// The three policies a workspace can set for its cases. Each is one JSON document, validated here on the way in
// (HTTP) and on the way out of the database, so a malformed stored document can never reach the clock arithmetic.

const minutes = z.number().int().min(1).max(366 * 24 * 60);
const wallTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'use HH:MM (00:00 to 24:00)');

const openingSchema = z
  .object({ start: wallTime, end: wallTime })
  .strict()
  .refine((i) => i.start < i.end, { message: 'an opening must end after it starts' });

const dayHours = z
  .array(openingSchema)
  .max(6)
  .refine((list) => list.every((i, n) => n === 0 || list[n - 1].end <= i.start), {
    message: 'openings of a day must be in order and must not overlap',
  });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    message: 'not a calendar date',
  });

const targetSchema = z.object({ firstResponse: minutes, nextResponse: minutes, resolution: minutes }).strict();

export const slaPolicySchema = z
  .object({
    timeZone: z.string().min(1).max(64).refine(isValidTimeZone, { message: 'not an IANA time zone' }),
    businessHours: z.object({
      mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours,
    }).strict(),
    holidays: z.array(isoDate).max(400),
    targets: z.object({ urgent: targetSchema, high: targetSchema, normal: targetSchema, low: targetSchema }).strict(),
  })
  .strict()
  .refine((p) => weekdays.some((d) => p.businessHours[d].length > 0), {
    message: 'at least one day needs opening hours',
    path: ['businessHours'],
  });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

const channelKey = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a channel kind such as x, email or phone');

export const priorityPolicySchema = z
  .object({
    /** Points a channel kind adds to the need score. Empty by default: channel buys no place in line. */
    channelPoints: z.record(channelKey, z.number().int().min(-100).max(100)),
    /** Points per tenfold of the author's followers. 0 by default: reach buys no place in line. */
    reachPointsPerDecade: z.number().min(0).max(50),
  })
  .strict()
  .refine((p) => Object.keys(p.channelPoints).length <= 32, { message: 'at most 32 channel weights' });
export type PriorityPolicy = z.infer<typeof priorityPolicySchema>;

const tierTargets = z.object({ response: minutes, resolution: minutes }).strict();
const terms = z.array(z.string().trim().min(2).max(60)).max(100);
const tierRef = z.number().int().min(0).max(5);

export const escalationPolicySchema = z
  .object({
    tiers: z
      .array(z.object({ name: z.string().trim().min(1).max(60), targets: tierTargets.nullable() }).strict())
      .min(1)
      .max(6),
    rules: z
      .object({
        slaBreach: z.object({ enabled: z.boolean() }).strict(),
        repeatContact: z.object({ enabled: z.boolean(), contacts: z.number().int().min(2).max(50), windowDays: z.number().int().min(1).max(90), toTier: tierRef }).strict(),
        severity: z.object({ enabled: z.boolean(), severities: z.array(z.enum(['low', 'medium', 'high', 'critical'])).max(4), toTier: tierRef }).strict(),
        legalTerms: z.object({ enabled: z.boolean(), terms, toTier: tierRef }).strict(),
        safetyTerms: z.object({ enabled: z.boolean(), terms, toTier: tierRef }).strict(),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const rule of ['repeatContact', 'severity', 'legalTerms', 'safetyTerms'] as const) {
      if (p.rules[rule].toTier >= p.tiers.length) {
        ctx.addIssue({ code: 'custom', path: ['rules', rule, 'toTier'], message: `there is no tier ${p.rules[rule].toTier}` });
      }
    }
  });
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

const allDay = [{ start: '00:00', end: '24:00' }];

/** Around the clock in UTC, so a workspace that sets nothing gets plain elapsed-time clocks. */
export const defaultSlaPolicy: SlaPolicy = {
  timeZone: 'UTC',
  businessHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  holidays: [],
  targets: {
    urgent: { firstResponse: 60, nextResponse: 60, resolution: 8 * 60 },
    high: { firstResponse: 4 * 60, nextResponse: 2 * 60, resolution: 24 * 60 },
    normal: { firstResponse: 8 * 60, nextResponse: 4 * 60, resolution: 72 * 60 },
    low: { firstResponse: 24 * 60, nextResponse: 8 * 60, resolution: 120 * 60 },
  },
};

export const neutralPriorityPolicy: PriorityPolicy = { channelPoints: {}, reachPointsPerDecade: 0 };

export const defaultEscalationPolicy: EscalationPolicy = {
  tiers: [
    { name: 'frontline', targets: null },
    { name: 'specialist', targets: { response: 60, resolution: 24 * 60 } },
    { name: 'executive office', targets: { response: 60, resolution: 48 * 60 } },
  ],
  rules: {
    slaBreach: { enabled: true },
    repeatContact: { enabled: true, contacts: 3, windowDays: 7, toTier: 1 },
    severity: { enabled: true, severities: ['critical'], toTier: 1 },
    legalTerms: {
      enabled: true,
      terms: ['lawyer', 'attorney', 'solicitor', 'sue', 'suing', 'lawsuit', 'legal action', 'court', 'small claims',
        'class action', 'ombudsman', 'regulator', 'trading standards'],
      toTier: 2,
    },
    safetyTerms: {
      enabled: true,
      terms: ['gas leak', 'carbon monoxide', 'fire', 'smoke', 'electric shock', 'electrocuted', 'injured', 'injury', 'unsafe',
        'dangerous', 'life support', 'oxygen', 'medical emergency', 'hospital', 'suicide', 'self harm'],
      toTier: 1,
    },
  },
};

export function calendarOf(policy: SlaPolicy): BusinessCalendar {
  const hours: Record<Weekday, { start: string; end: string }[]> = { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] };
  for (const d of weekdays) hours[d] = policy.businessHours[d];
  return { timeZone: policy.timeZone, hours, holidays: policy.holidays };
}

export const policyKinds = ['sla', 'priority', 'escalation'] as const;
export type PolicyKind = (typeof policyKinds)[number];

export interface CasePolicies {
  sla: SlaPolicy;
  priority: PriorityPolicy;
  escalation: EscalationPolicy;
}

