import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';
import { appendEvent } from '../events/index.ts';
import { loadCasePolicies } from './case-policy.repository.ts';
import { calendarOf } from './case-policy.schema.ts';
import type { CasePolicies } from './case-policy.schema.ts';
import { addBusinessMinutes } from './business-time.ts';
import { insertCase, lockCaseState, updateCase } from './case.repository.ts';
import type { CaseChange, CaseState } from './case.repository.ts';
import { loadCustomerFacts } from './customer-facts.repository.ts';
import type { CustomerFacts } from './customer-facts.repository.ts';
import { evaluateEscalation } from './escalation.rules.ts';
import { escalatedState, recordEscalation } from './escalation.state.ts';
import { assessNeed, maxPriority, priorityRank } from './priority.ts';
import { requiredSkillsOf, routeCase } from './routing.ts';
import { nextResponseDueAt, openingDueTimes, pausedBusinessMinutes, raisedDueTimes, shiftedDue } from './sla.ts';
import { listRoutableTeams } from './team.repository.ts';

export interface OpenCaseInput {
  workspaceId: string;
  customerId: string;
  channel: { id: string; kind: string };
  labels: Labels;
  text: string;
  at: Date;
}

const subjectLength = 140;
const dayMs = 86_400_000;

function subjectOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length === 0) return '(no text)';
  return line.length > subjectLength ? `${line.slice(0, subjectLength - 1)}…` : line;
}

async function factsAt(tx: Queryable, workspaceId: string, customerId: string, policies: CasePolicies, at: Date): Promise<CustomerFacts> {
  const windowMs = policies.escalation.rules.repeatContact.windowDays * dayMs;
  return loadCustomerFacts(tx, workspaceId, customerId, new Date(at.getTime() - windowMs), at);
}

/**
 * Opens a case for a customer's message that belongs to no open case. The pipeline calls it before it stores the
 * message, so that message is counted here as one more contact.
 */
export async function openCase(tx: Queryable, input: OpenCaseInput): Promise<string> {
  const ws = input.workspaceId;
  const policies = await loadCasePolicies(tx, ws);
  const facts = await factsAt(tx, ws, input.customerId, policies, input.at);
  const recentContacts = facts.recentContacts + 1;
  const need = assessNeed(
    { labels: input.labels, contacts: recentContacts, vulnerable: facts.vulnerable, channelKind: input.channel.kind, followers: facts.followers },
    policies.priority,
  );
  const due = openingDueTimes(policies.sla, need.priority, input.at);
  const topic = input.labels.topics[0] ?? null;
  const language = input.labels.lang || null;
  const requiredSkills = requiredSkillsOf(facts);
  const teams = await listRoutableTeams(tx, ws);
  const decision = evaluateEscalation(policies.escalation, { currentTier: 0, severity: need.severity, recentContacts, text: input.text });
  const subject = {
    tier: 0, topic, language, requiredSkills, owesResponse: true, assigneeId: null,
    nextResponseDueAt: due.firstResponseDueAt, resolutionDueAt: due.resolutionDueAt,
  };
  const escalated = decision ? escalatedState(policies, teams, subject, decision.toTier, input.at) : null;
  const route = routeCase(teams, { topic, language, skills: requiredSkills, tier: 0 });
  const id = randomUUID();
  await insertCase(tx, {
    workspaceId: ws,
    id,
    priority: need.priority,
    priorityRank: priorityRank[need.priority],
    priorityReason: need.reason,
    severity: need.severity,
    urgency: input.labels.urgency,
    topic,
    subject: subjectOf(input.text),
    customerId: input.customerId,
    channelId: input.channel.id,
    channelKind: input.channel.kind,
    at: input.at,
    needScore: need.score,
    language,
    requiredSkills,
    teamId: escalated?.change.teamId ?? route?.teamId ?? null,
    escalationTier: decision?.toTier ?? 0,
    escalatedAt: decision ? input.at : null,
    firstResponseDueAt: due.firstResponseDueAt,
    nextResponseDueAt: escalated?.change.nextResponseDueAt ?? due.firstResponseDueAt,
    resolutionDueAt: escalated?.change.resolutionDueAt ?? due.resolutionDueAt,
  });
  await appendEvent(tx, {
    workspaceId: ws,
    type: 'case.created',
    caseId: id,
    data: {
      priority: need.priority, severity: need.severity, needScore: need.score, channelKind: input.channel.kind,
      teamId: escalated?.change.teamId ?? route?.teamId ?? null,
    },
  });
  if (decision && escalated) await recordEscalation(tx, { workspaceId: ws, caseId: id, fromTier: 0, decision, state: escalated });
  return id;
}

export interface InboundToCase {
  workspaceId: string;
  caseId: string;
  labels: Labels;
  at: Date;
  /** The message's text, for the legal and safety escalation rules. */
  text?: string;
}

/**
 * A customer spoke again on an existing case (the pipeline has stored the message): count it, raise the need if it
 * grew, restart a paused SLA clock, reopen a resolved case, start the response clock and apply escalation rules.
 */
export async function applyInboundToCase(tx: Queryable, input: InboundToCase): Promise<void> {
  const ws = input.workspaceId;
  const current = await lockCaseState(tx, ws, input.caseId);
  if (!current) throw new Error(`case ${input.caseId} vanished inside its transaction`);
  const policies = await loadCasePolicies(tx, ws);
  const facts = await factsAt(tx, ws, current.customer_id, policies, input.at);
  const inboundCount = Number(current.inbound_count) + 1;
  const contacts = Math.max(inboundCount, facts.recentContacts);
  const need = assessNeed(
    { labels: input.labels, severity: current.severity, contacts, vulnerable: facts.vulnerable, channelKind: current.channel_kind, followers: facts.followers },
    policies.priority,
  );
  const change: CaseChange = {
    messageCount: Number(current.message_count) + 1,
    inboundCount,
    lastMessageAt: maxDate(current.last_message_at, input.at),
    lastInboundAt: input.at,
    severity: need.severity,
    urgency: Math.max(Number(current.urgency), input.labels.urgency),
    topic: current.topic ?? input.labels.topics[0] ?? null,
    needScore: Math.max(Number(current.need_score), need.score),
    requiredSkills: requiredSkillsOf(facts),
  };
  let priority = current.priority;
  if (!current.priority_overridden) {
    priority = maxPriority(current.priority, need.priority);
    if (priority !== current.priority) {
      change.priority = priority;
      change.priorityRank = priorityRank[priority];
      change.priorityReason = need.reason;
    }
  }
  Object.assign(change, clockChanges(policies, current, priority, input.at));

  const reopened = current.status === 'resolved' || current.status === 'closed';
  if (reopened || current.status === 'waiting') change.status = 'open';
  if (reopened) change.resolvedAt = null;

  const decision = evaluateEscalation(policies.escalation, {
    currentTier: Number(current.escalation_tier), severity: need.severity, recentContacts: contacts, text: input.text,
  });
  const teams = decision || !current.team_id ? await listRoutableTeams(tx, ws) : [];
  const escalated = decision
    ? escalatedState(policies, teams, {
        tier: Number(current.escalation_tier),
        topic: change.topic ?? null,
        language: current.language,
        requiredSkills: change.requiredSkills ?? current.required_skills,
        nextResponseDueAt: change.nextResponseDueAt ?? current.next_response_due_at,
        resolutionDueAt: change.resolutionDueAt ?? current.resolution_due_at,
        owesResponse: true,
        assigneeId: current.assignee_id,
      }, decision.toTier, input.at)
    : null;
  if (escalated) Object.assign(change, escalated.change);
  else if (!current.team_id) {
    // A case nobody could route yet may be routable now that its topic is known.
    const route = routeCase(teams, { topic: change.topic ?? null, language: current.language, skills: change.requiredSkills ?? [], tier: Number(current.escalation_tier) });
    if (route) change.teamId = route.teamId;
  }

  await updateCase(tx, ws, input.caseId, change);
  await appendEvent(tx, {
    workspaceId: ws,
    type: reopened ? 'case.reopened' : 'case.updated',
    caseId: input.caseId,
    data: { reason: 'message.received', priority, inboundCount, needScore: change.needScore },
  });
  if (decision && escalated) {
    await recordEscalation(tx, { workspaceId: ws, caseId: input.caseId, fromTier: Number(current.escalation_tier), decision, state: escalated });
  }
}

/** How a new customer message moves the SLA clocks: restart a paused clock, reopen, and start the response clock. */
function clockChanges(policies: CasePolicies, current: CaseState, priority: CaseState['priority'], at: Date): CaseChange {
  const sla = policies.sla;
  const change: CaseChange = {};
  let firstDue = current.first_response_due_at;
  let resolutionDue = current.resolution_due_at;
  let pausedMinutes = Number(current.sla_paused_minutes);
  if (current.sla_paused_at) {
    const paused = pausedBusinessMinutes(sla, current.sla_paused_at, at);
    pausedMinutes += paused;
    change.slaPausedAt = null;
    change.slaPausedMinutes = pausedMinutes;
    if (!current.first_responded_at) firstDue = shiftedDue(sla, firstDue, paused);
    resolutionDue = shiftedDue(sla, resolutionDue, paused);
  }
  if (current.status === 'resolved' || current.status === 'closed') {
    resolutionDue = addResolutionFrom(policies, priority, at);
    change.resolutionBreachedAt = null;
  } else if (priority !== current.priority) {
    const raised = raisedDueTimes(sla, priority, {
      firstMessageAt: current.first_message_at, pausedMinutes, firstResponseDueAt: firstDue, resolutionDueAt: resolutionDue,
    });
    if (!current.first_responded_at) firstDue = raised.firstResponseDueAt;
    resolutionDue = raised.resolutionDueAt;
  }
  change.resolutionDueAt = resolutionDue;
  if (!current.first_responded_at) {
    change.firstResponseDueAt = firstDue;
    // An escalation tier's clock may already be shorter than the first-response target; keep the earlier.
    const tierNext = current.sla_paused_at ? shiftedDue(sla, current.next_response_due_at, pausedMinutes - Number(current.sla_paused_minutes)) : current.next_response_due_at;
    change.nextResponseDueAt = tierNext && firstDue && tierNext < firstDue ? tierNext : firstDue;
  } else if (current.next_response_due_at) {
    // Still owed an answer to an earlier message: that clock keeps running, only a higher priority shortens it.
    const raised = nextResponseDueAt(sla, priority, current.last_inbound_at ?? at);
    change.nextResponseDueAt = raised < current.next_response_due_at ? raised : current.next_response_due_at;
  } else {
    // A new round of the conversation: the priority's next-response target, or the tier's if that is shorter.
    const byPriority = nextResponseDueAt(sla, priority, at);
    const tierTargets = policies.escalation.tiers[Number(current.escalation_tier)]?.targets;
    const byTier = tierTargets ? addBusinessMinutes(at, tierTargets.response, calendarOf(sla)) : null;
    change.nextResponseDueAt = byTier && byTier < byPriority ? byTier : byPriority;
    change.nextResponseBreachedAt = null;
  }
  return change;
}

function addResolutionFrom(policies: CasePolicies, priority: CaseState['priority'], at: Date): Date {
  return openingDueTimes(policies.sla, priority, at).resolutionDueAt;
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
    nextResponseBreachedAt: answered ? null : undefined,
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
