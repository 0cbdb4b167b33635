import type { Priority, Severity } from './priority.ts';

export const caseStatuses = ['new', 'open', 'waiting', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const openStatuses: readonly CaseStatus[] = ['new', 'open', 'waiting'];

export interface CaseSummary {
  id: string;
  status: CaseStatus;
  priority: Priority;
  priorityReason: string | null;
  severity: Severity;
  urgency: number;
  topic: string | null;
  subject: string;
  customer: { id: string; displayName: string };
  assigneeId: string | null;
  escalationTier: number;
  channel: { id: string; kind: string };
  messageCount: number;
  sentiment: string | null;
  firstMessageAt: string;
  lastMessageAt: string;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  /** The need score behind the priority (docs/FAIRNESS.md). */
  needScore: number;
  language: string | null;
  /** The team whose queue the case is routed to; null is the shared queue. */
  teamId: string | null;
  escalatedAt: string | null;
  sla: {
    /** The clocks stand still while the case waits on the customer. */
    paused: boolean;
    pausedSince: string | null;
    pausedMinutes: number;
    /** Breaches the SLA timer has recorded against the current due times. */
    breached: { firstResponse: boolean; nextResponse: boolean; resolution: boolean };
  };
  /** The agent answering the case holds a short lease on it. */
  lock: { userId: string; expiresAt: string } | null;
}
