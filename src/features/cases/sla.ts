import { addBusinessMinutes, businessMinutesBetween } from './business-time.ts';
import { calendarOf } from './case-policy.schema.ts';
import type { EscalationPolicy, SlaPolicy } from './case-policy.schema.ts';
import type { Priority } from './priority.ts';

// SLA due times are instants computed in business time. They are stored on the case, so the queue can order by the
// deadline of the answer the customer is owed with a plain ORDER BY, and the timer can find breaches with an index.

export const slaTargetKinds = ['first_response', 'next_response', 'resolution'] as const;
export type SlaTarget = (typeof slaTargetKinds)[number];

export interface OpeningDueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

export function openingDueTimes(sla: SlaPolicy, priority: Priority, openedAt: Date): OpeningDueTimes {
  const calendar = calendarOf(sla);
  const targets = sla.targets[priority];
  return {
    firstResponseDueAt: addBusinessMinutes(openedAt, targets.firstResponse, calendar),
    resolutionDueAt: addBusinessMinutes(openedAt, targets.resolution, calendar),
  };
}

/** When the brand's next answer is due for a customer message that arrived at `since` (after a first response). */
export function nextResponseDueAt(sla: SlaPolicy, priority: Priority, since: Date): Date {
  return addBusinessMinutes(since, sla.targets[priority].nextResponse, calendarOf(sla));
}

/**
 * Due times recomputed after a case's priority rose: each runs from the same start at the new priority's target,
 * plus the business minutes the clock has been paused, and never moves later than it already was.
 */
export function raisedDueTimes(
  sla: SlaPolicy,
  priority: Priority,
  c: { firstMessageAt: Date; pausedMinutes: number; firstResponseDueAt: Date | null; resolutionDueAt: Date | null },
): { firstResponseDueAt: Date | null; resolutionDueAt: Date | null } {
  const calendar = calendarOf(sla);
  const targets = sla.targets[priority];
  const first = addBusinessMinutes(c.firstMessageAt, targets.firstResponse + c.pausedMinutes, calendar);
  const resolution = addBusinessMinutes(c.firstMessageAt, targets.resolution + c.pausedMinutes, calendar);
  return { firstResponseDueAt: earlier(c.firstResponseDueAt, first), resolutionDueAt: earlier(c.resolutionDueAt, resolution) };
}

/** Business minutes a paused clock stood still between `pausedAt` and `resumedAt`. */
export function pausedBusinessMinutes(sla: SlaPolicy, pausedAt: Date, resumedAt: Date): number {
  return businessMinutesBetween(pausedAt, resumedAt, calendarOf(sla));
}

/** A due time moved on by the business minutes its clock was paused. */
export function shiftedDue(sla: SlaPolicy, due: Date | null, minutes: number): Date | null {
  if (!due || minutes <= 0) return due;
  return addBusinessMinutes(due, minutes, calendarOf(sla));
}

/**
 * The clocks of an escalation tier start when the case reaches it. A tier's clock never makes the customer wait
 * longer than the clock already running, unless that one has already run out (a breach escalates to a fresh clock).
 */
export function tierDueTimes(
  sla: SlaPolicy,
  escalation: EscalationPolicy,
  tier: number,
  at: Date,
  current: { nextResponseDueAt: Date | null; resolutionDueAt: Date | null; owesResponse: boolean },
): { nextResponseDueAt: Date | null; resolutionDueAt: Date | null } | null {
  const targets = escalation.tiers[tier]?.targets;
  if (!targets) return null;
  const calendar = calendarOf(sla);
  const keep = (existing: Date | null, fresh: Date) => (existing && existing > at ? earlier(existing, fresh) : fresh);
  return {
    nextResponseDueAt: current.owesResponse ? keep(current.nextResponseDueAt, addBusinessMinutes(at, targets.response, calendar)) : null,
    resolutionDueAt: keep(current.resolutionDueAt, addBusinessMinutes(at, targets.resolution, calendar)),
  };
}

function earlier(a: Date | null, b: Date): Date {
  return a && a.getTime() <= b.getTime() ? a : b;
}
