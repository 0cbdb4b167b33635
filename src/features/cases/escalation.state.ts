import type { Queryable } from '../../platform/db/db.ts';
import { appendEvent } from '../events/index.ts';
import type { CasePolicies } from './case-policy.schema.ts';
import type { CaseChange } from './case.repository.ts';
import type { EscalationDecision } from './escalation.rules.ts';
import { routeCase } from './routing.ts';
import type { RoutableTeam } from './routing.ts';
import { tierDueTimes } from './sla.ts';

/** The parts of a case an escalation reads. */
export interface EscalationSubject {
  tier: number;
  topic: string | null;
  language: string | null;
  requiredSkills: string[];
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  owesResponse: boolean;
  assigneeId: string | null;
}

export interface EscalatedState {
  change: CaseChange;
  tierName: string;
  teamName: string | null;
}

/**
 * What a case becomes when it reaches a higher tier: the tier's clocks start, it is routed to a team of that tier,
 * and — when such a team exists — it leaves its frontline assignee for that team's queue.
 */
export function escalatedState(policies: CasePolicies, teams: readonly RoutableTeam[], subject: EscalationSubject, toTier: number, at: Date): EscalatedState {
  const change: CaseChange = { escalationTier: toTier, escalatedAt: at };
  const due = tierDueTimes(policies.sla, policies.escalation, toTier, at, subject);
  if (due) {
    change.nextResponseDueAt = due.nextResponseDueAt;
    change.resolutionDueAt = due.resolutionDueAt;
    change.nextResponseBreachedAt = null;
    change.resolutionBreachedAt = null;
  }
  const route = routeCase(teams, { topic: subject.topic, language: subject.language, skills: subject.requiredSkills, tier: toTier });
  if (route) {
    change.teamId = route.teamId;
    if (subject.assigneeId) change.assigneeId = null;
  }
  return { change, tierName: policies.escalation.tiers[toTier]?.name ?? `tier ${toTier}`, teamName: route?.teamName ?? null };
}

/** The `case.escalated` event: from, to, reason and trigger, and the tier (and team) it notifies. */
export async function recordEscalation(
  tx: Queryable,
  input: { workspaceId: string; caseId: string; fromTier: number; decision: EscalationDecision; state: EscalatedState; actorUserId?: string | null },
): Promise<void> {
  await appendEvent(tx, {
    workspaceId: input.workspaceId,
    type: 'case.escalated',
    caseId: input.caseId,
    actorUserId: input.actorUserId ?? null,
    data: {
      from: input.fromTier,
      to: input.decision.toTier,
      reason: input.decision.reason,
      trigger: input.decision.trigger,
      notify: { tier: input.decision.toTier, tierName: input.state.tierName, teamId: input.state.change.teamId ?? null, teamName: input.state.teamName },
    },
  });
}
