import type { Labels } from '../classification/index.ts';
import type { PriorityPolicy } from './case-policy.schema.ts';

export const priorities = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof priorities)[number];
export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export const priorityRank: Record<Priority, number> = { urgent: 1, high: 2, normal: 3, low: 4 };

export type NeedLabels = Pick<Labels, 'complaint' | 'urgency' | 'urgencySignals' | 'intent'>;

/** Severity of one message from its classification: what is wrong and how badly. */
export function assessSeverity(labels: NeedLabels): Severity {
  if (labels.urgencySignals.includes('safety') || labels.urgency >= 0.7) return 'critical';
  if (labels.urgency >= 0.3) return labels.complaint ? 'high' : 'medium';
  if (labels.complaint) return 'medium';
  return 'low';
}

// The need score (docs/FAIRNESS.md). Points, not multipliers, so each input's effect can be read off the reason.
export const needPoints = {
  severity: { low: 0, medium: 20, high: 40, critical: 70 } satisfies Record<Severity, number>,
  /** Per unit of classifier urgency (0..1), rounded. */
  urgency: 10,
  /** An unanswered question or request is a need even without a complaint. */
  askedSomething: 15,
  /** The customer had to ask twice / three or more times (this case, or any case within the window). */
  secondContact: 15,
  repeatedContact: 40,
  vulnerable: 30,
};

/** Score thresholds of the priority tiers, highest first. */
export const tierThresholds: readonly { priority: Priority; minScore: number }[] = [
  { priority: 'urgent', minScore: 70 },
  { priority: 'high', minScore: 40 },
  { priority: 'normal', minScore: 15 },
  { priority: 'low', minScore: Number.NEGATIVE_INFINITY },
];

export interface NeedInput {
  labels: NeedLabels;
  /** A floor: the most severe thing the customer has said on this case so far. */
  severity?: Severity;
  /** How many times the customer has contacted the brand: the larger of this case's and the recent window's count. */
  contacts: number;
  vulnerable: boolean;
  /** Only read when a workspace policy weights them; neutral by default. */
  channelKind: string;
  followers: number | null;
}

export interface NeedAssessment {
  severity: Severity;
  priority: Priority;
  score: number;
  reason: string;
}

/**
 * The customer's need as a score and a priority tier. Inputs are what the customer said (severity, urgency, whether
 * they asked something), how often they had to ask, and whether they are vulnerable. Channel and reach add points
 * only when the workspace's priority policy says so; the neutral policy gives them none (DESIGN principle 3).
 */
export function assessNeed(input: NeedInput, policy: PriorityPolicy): NeedAssessment {
  const severity = input.severity ? maxSeverity(input.severity, assessSeverity(input.labels)) : assessSeverity(input.labels);
  const reasons = [`severity ${severity}`];
  let score = needPoints.severity[severity];
  const urgency = Math.round(Math.max(0, Math.min(1, input.labels.urgency)) * needPoints.urgency);
  score += urgency;
  if (input.labels.urgencySignals.length > 0) reasons.push(`signals: ${input.labels.urgencySignals.join(', ')}`);
  if (severity === 'low' && (input.labels.intent === 'question' || input.labels.intent === 'request')) {
    score += needPoints.askedSomething;
    reasons.push(`asked a ${input.labels.intent}`);
  }
  if (input.contacts >= 3) {
    score += needPoints.repeatedContact;
    reasons.push(`${input.contacts} contacts`);
  } else if (input.contacts === 2) {
    score += needPoints.secondContact;
    reasons.push('second contact');
  }
  if (input.vulnerable) {
    score += needPoints.vulnerable;
    reasons.push('vulnerable customer');
  }
  const channel = policy.channelPoints[input.channelKind] ?? 0;
  if (channel !== 0) {
    score += channel;
    reasons.push(`policy: ${input.channelKind} ${channel > 0 ? '+' : ''}${channel}`);
  }
  if (policy.reachPointsPerDecade > 0 && input.followers && input.followers > 0) {
    const reach = Math.round(Math.log10(1 + input.followers) * policy.reachPointsPerDecade);
    score += reach;
    reasons.push(`policy: reach +${reach}`);
  }
  // A critical problem is urgent whatever a policy subtracts.
  const priority = severity === 'critical' ? 'urgent' : priorityOfScore(score);
  return { severity, priority, score: Math.round(score), reason: reasons.join('; ') };
}

export function priorityOfScore(score: number): Priority {
  for (const tier of tierThresholds) if (score >= tier.minScore) return tier.priority;
  return 'low';
}

/** The more pressing of two priorities. */
export function maxPriority(a: Priority, b: Priority): Priority {
  return priorityRank[a] <= priorityRank[b] ? a : b;
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severities.indexOf(a) >= severities.indexOf(b) ? a : b;
}
