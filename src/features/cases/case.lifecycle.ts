import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';
import { appendEvent } from '../events/index.ts';
import { insertCase, lockCaseState, updateCase } from './case.repository.ts';
import type { CaseChange } from './case.repository.ts';
import { addMinutes, assessNeed, maxPriority, maxSeverity, priorityRank, slaTargets } from './priority.ts';

export interface OpenCaseInput {
  workspaceId: string;
  customerId: string;
  channel: { id: string; kind: string };
  labels: Labels;
  text: string;
  at: Date;
}

const subjectLength = 140;

function subjectOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length === 0) return '(no text)';
  return line.length > subjectLength ? `${line.slice(0, subjectLength - 1)}…` : line;
}

/** Opens a case for a customer's message that belongs to no open case; it counts that first message. */
export async function openCase(tx: Queryable, input: OpenCaseInput): Promise<string> {
  const need = assessNeed(input.labels, 1);
  const id = randomUUID();
  const targets = slaTargets[need.priority];
  await insertCase(tx, {
    workspaceId: input.workspaceId,
    id,
    priority: need.priority,
    priorityRank: priorityRank[need.priority],
    priorityReason: need.reason,
    severity: need.severity,
    urgency: input.labels.urgency,
    topic: input.labels.topics[0] ?? null,
    subject: subjectOf(input.text),
    customerId: input.customerId,
    channelId: input.channel.id,
    channelKind: input.channel.kind,
    at: input.at,
    firstResponseDueAt: addMinutes(input.at, targets.firstResponse),
    resolutionDueAt: addMinutes(input.at, targets.resolution),
  });
  await appendEvent(tx, {
    workspaceId: input.workspaceId,
    type: 'case.created',
    caseId: id,
    data: { priority: need.priority, severity: need.severity, channelKind: input.channel.kind },
  });
  return id;
}

export interface InboundToCase {
  workspaceId: string;
  caseId: string;
  labels: Labels;
  at: Date;
}

/**
 * A customer spoke again on an existing case: count it, raise the need if it grew, reopen a resolved case, and start
 * the response clock.
 */
export async function applyInboundToCase(tx: Queryable, input: InboundToCase): Promise<void> {
  const current = await lockCaseState(tx, input.workspaceId, input.caseId);
  if (!current) throw new Error(`case ${input.caseId} vanished inside its transaction`);
  const inboundCount = Number(current.inbound_count) + 1;
  const need = assessNeed(input.labels, inboundCount);
  const change: CaseChange = {
    messageCount: Number(current.message_count) + 1,
    inboundCount,
    lastMessageAt: maxDate(current.last_message_at, input.at),
    lastInboundAt: input.at,
    severity: maxSeverity(current.severity, need.severity),
    urgency: Math.max(Number(current.urgency), input.labels.urgency),
    topic: current.topic ?? input.labels.topics[0] ?? null,
  };
  if (!current.priority_overridden) {
    const priority = maxPriority(current.priority, need.priority);
    if (priority !== current.priority) {
      change.priority = priority;
      change.priorityRank = priorityRank[priority];
      change.priorityReason = need.reason;
    }
  }
  const priority = change.priority ?? current.priority;
  // The clock for the brand's next answer starts at the first unanswered message.
  if (!current.next_response_due_at || change.priority) {
    const waitingSince = current.next_response_due_at ? (current.last_inbound_at ?? input.at) : input.at;
    change.nextResponseDueAt = addMinutes(waitingSince, slaTargets[priority].firstResponse);
  }
  const reopened = current.status === 'resolved' || current.status === 'closed';
  if (reopened || current.status === 'waiting') change.status = 'open';
  if (reopened) {
    change.resolvedAt = null;
    change.resolutionDueAt = addMinutes(input.at, slaTargets[priority].resolution);
  }
  await updateCase(tx, input.workspaceId, input.caseId, change);
  await appendEvent(tx, {
    workspaceId: input.workspaceId,
    type: reopened ? 'case.reopened' : 'case.updated',
    caseId: input.caseId,
    data: { reason: 'message.received', priority, inboundCount },
  });
}

/** The brand answered: the first response is recorded and nothing is owed until the customer speaks again. */
export async function applyOutboundToCase(tx: Queryable, input: { workspaceId: string; caseId: string; at: Date }): Promise<void> {
  const current = await lockCaseState(tx, input.workspaceId, input.caseId);
  if (!current) throw new Error(`case ${input.caseId} vanished inside its transaction`);
  const answered = !current.last_inbound_at || current.last_inbound_at <= input.at;
  await updateCase(tx, input.workspaceId, input.caseId, {
    messageCount: Number(current.message_count) + 1,
    lastMessageAt: maxDate(current.last_message_at, input.at),
    firstRespondedAt: current.first_responded_at ?? input.at,
    nextResponseDueAt: answered ? null : undefined,
    status: current.status === 'new' ? 'open' : undefined,
  });
  await appendEvent(tx, {
    workspaceId: input.workspaceId,
    type: 'case.updated',
    caseId: input.caseId,
    data: { reason: 'message.sent' },
  });
}

function maxDate(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
