import type { Db } from '../../platform/db/db.ts';
import { appendEvent } from '../events/index.ts';
import { loadCasePolicies } from './case-policy.repository.ts';
import { findCase, updateCase } from './case.repository.ts';
import { evaluateEscalation } from './escalation.rules.ts';
import { escalatedState, recordEscalation } from './escalation.state.ts';
import { claimBreach, listDueBreaches, listWorkspaceIds } from './sla-timer.repository.ts';
import { listRoutableTeams } from './team.repository.ts';

export interface SlaTimerResult {
  breaches: number;
  escalations: number;
}

const batchSize = 200;

/**
 * Records every SLA breach that has come due (`sla.breached`, once per due time) and applies the escalation
 * ladder's breach rule in the same transaction. Safe to run from several processes at once.
 */
export async function runSlaTimers(db: Db, now: Date): Promise<SlaTimerResult> {
  const result: SlaTimerResult = { breaches: 0, escalations: 0 };
  for (const workspaceId of await listWorkspaceIds(db)) {
    const due = await listDueBreaches(db, workspaceId, now, batchSize);
    if (due.length === 0) continue;
    const policies = await loadCasePolicies(db, workspaceId);
    const teams = await listRoutableTeams(db, workspaceId);
    for (const breach of due) {
      const escalated = await db.transaction(async (tx) => {
        if (!(await claimBreach(tx, workspaceId, breach, now))) return null;
        const current = await findCase(tx, workspaceId, breach.caseId, true);
        if (!current) return null;
        const tier = Number(current.escalation_tier);
        await appendEvent(tx, {
          workspaceId, type: 'sla.breached', caseId: breach.caseId,
          data: { target: breach.target, dueAt: breach.dueAt.toISOString(), tier, priority: current.priority },
        });
        const decision = evaluateEscalation(policies.escalation, {
          currentTier: tier, severity: current.severity, recentContacts: 0, breach: breach.target,
        });
        if (!decision) return false;
        const state = escalatedState(policies, teams, {
          tier,
          topic: current.topic,
          language: current.language,
          requiredSkills: current.required_skills,
          nextResponseDueAt: current.next_response_due_at,
          resolutionDueAt: current.resolution_due_at,
          owesResponse: current.next_response_due_at !== null,
          assigneeId: current.assignee_id,
        }, decision.toTier, now);
        await updateCase(tx, workspaceId, breach.caseId, state.change);
        await recordEscalation(tx, { workspaceId, caseId: breach.caseId, fromTier: tier, decision, state });
        return true;
      });
      if (escalated === null) continue;
      result.breaches += 1;
      if (escalated) result.escalations += 1;
    }
  }
  return result;
}
