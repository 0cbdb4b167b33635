import type { Labels } from '../classification/index.ts';

export const priorities = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof priorities)[number];
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const priorityRank: Record<Priority, number> = { urgent: 1, high: 2, normal: 3, low: 4 };

/** Default SLA targets in minutes, per priority. Issue-level SLA policies replace these per workspace. */
export const slaTargets: Record<Priority, { firstResponse: number; resolution: number }> = {
  urgent: { firstResponse: 60, resolution: 8 * 60 },
  high: { firstResponse: 4 * 60, resolution: 24 * 60 },
  normal: { firstResponse: 8 * 60, resolution: 72 * 60 },
  low: { firstResponse: 24 * 60, resolution: 120 * 60 },
};

export interface NeedAssessment {
  severity: Severity;
  priority: Priority;
  reason: string;
}

/**
 * Priority comes from the customer's need only: what the message says (complaint, urgency signals) and how often
 * they have had to ask. Channel, follower count and reach are deliberately not inputs (DESIGN principle 3).
 */
export function assessNeed(labels: Pick<Labels, 'complaint' | 'urgency' | 'urgencySignals' | 'intent'>, inboundCount: number): NeedAssessment {
  const reasons: string[] = [];
  let severity: Severity = 'low';
  if (labels.complaint) severity = 'medium';
  if (labels.urgency >= 0.3) severity = labels.complaint ? 'high' : 'medium';
  if (labels.urgencySignals.includes('safety') || labels.urgency >= 0.7) severity = 'critical';
  if (labels.urgencySignals.length > 0) reasons.push(`signals: ${labels.urgencySignals.join(', ')}`);

  let priority: Priority;
  switch (severity) {
    case 'critical':
      priority = 'urgent';
      break;
    case 'high':
      priority = 'high';
      break;
    case 'medium':
      priority = 'normal';
      break;
    case 'low':
      priority = labels.intent === 'question' || labels.intent === 'request' ? 'normal' : 'low';
      break;
    default: {
      const unreachable: never = severity;
      throw new Error(`unknown severity ${String(unreachable)}`);
    }
  }
  if (inboundCount >= 3 && priorityRank[priority] > priorityRank.high) {
    priority = 'high';
    reasons.push(`${inboundCount} contacts on this case`);
  }
  reasons.unshift(`severity ${severity}`);
  return { severity, priority, reason: reasons.join('; ') };
}

/** The more pressing of two priorities. */
export function maxPriority(a: Priority, b: Priority): Priority {
  return priorityRank[a] <= priorityRank[b] ? a : b;
}

const severityOrder: Severity[] = ['low', 'medium', 'high', 'critical'];
export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityOrder.indexOf(a) >= severityOrder.indexOf(b) ? a : b;
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}
