import type { Db } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { loadCasePolicies } from './case-policy.repository.ts';
import { findCase, presentCase, updateCase } from './case.repository.ts';
import type { CaseSummary } from './case.types.ts';
import { escalatedState, recordEscalation } from './escalation.state.ts';
import { listRoutableTeams } from './team.repository.ts';

export interface EscalationRequest {
  /** The tier to escalate to; one above the current tier when absent. */
  tier?: number;
  reason: string;
}

/** An agent escalates a case up the ladder; the tier's clocks start and the tier is notified by the event. */
export async function escalateCase(db: Db, principal: Principal, caseId: string, request: EscalationRequest, now: Date): Promise<CaseSummary> {
  const ws = principal.workspaceId;
  await db.transaction(async (tx) => {
    const current = await findCase(tx, ws, caseId, true);
    if (!current) throw notFound('case');
    const policies = await loadCasePolicies(tx, ws);
    const fromTier = Number(current.escalation_tier);
    const top = policies.escalation.tiers.length - 1;
    const toTier = request.tier ?? fromTier + 1;
    if (toTier > top) {
      throw new AppError('validation_failed', `the ladder's top tier is ${top} (${policies.escalation.tiers[top].name})`, [
        { path: 'tier', message: `at most ${top}` },
      ]);
    }
    if (toTier <= fromTier) {
      throw new AppError('conflict', `the case is already at tier ${fromTier} (${policies.escalation.tiers[fromTier]?.name ?? 'unknown'})`);
    }
    if (current.status === 'resolved' || current.status === 'closed') {
      throw new AppError('conflict', 'a resolved case cannot be escalated; reopen it first');
    }
    const teams = await listRoutableTeams(tx, ws);
    const decision = { toTier, trigger: 'agent' as const, reason: request.reason.trim() };
    const state = escalatedState(policies, teams, {
      tier: fromTier,
      topic: current.topic,
      language: current.language,
      requiredSkills: current.required_skills,
      nextResponseDueAt: current.next_response_due_at,
      resolutionDueAt: current.resolution_due_at,
      owesResponse: current.next_response_due_at !== null,
      assigneeId: current.assignee_id,
    }, toTier, now);
    await updateCase(tx, ws, caseId, state.change);
    await recordEscalation(tx, { workspaceId: ws, caseId, fromTier, decision, state, actorUserId: principal.userId });
  });
  const row = await findCase(db, ws, caseId);
  if (!row) throw notFound('case');
  return presentCase(row);
}
