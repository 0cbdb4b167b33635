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
}
