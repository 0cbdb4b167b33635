export { caseStatuses, openStatuses } from './case.types.ts';
export type { CaseStatus, CaseSummary } from './case.types.ts';
export { priorities, severities, priorityRank, assessNeed, assessSeverity } from './priority.ts';
export type { Priority, Severity, NeedInput, NeedAssessment } from './priority.ts';
export { openCase, applyInboundToCase, applyOutboundToCase } from './case.lifecycle.ts';
export { findCaseOfMessage, findOpenCaseOfCustomer, findCase, presentCase, updateCase, lockCaseState } from './case.repository.ts';
export type { CaseChange, CaseState } from './case.repository.ts';
export { findMessageByExternalId, insertMessage, listCustomerTimeline } from './message.repository.ts';
export type { TimelineMessage } from './message.repository.ts';
export { getCaseDetail, getQueue, patchCase, addNote, encodeCursor, decodeCursor } from './case.service.ts';
export type { CaseDetail, QueuePage, CasePatch, NoteView } from './case.service.ts';
export { applyCallbackDueToCase } from './case-callback.lifecycle.ts';
export {
  slaPolicySchema, priorityPolicySchema, escalationPolicySchema, defaultSlaPolicy, neutralPriorityPolicy, defaultEscalationPolicy,
  policyKinds,
} from './case-policy.schema.ts';
export type { SlaPolicy, PriorityPolicy, EscalationPolicy, CasePolicies, PolicyKind } from './case-policy.schema.ts';
export { loadCasePolicies } from './case-policy.repository.ts';
export { getCasePolicies, putCasePolicy } from './case-policy.service.ts';
export { addBusinessMinutes, businessMinutesBetween } from './business-time.ts';
export type { BusinessCalendar } from './business-time.ts';
export { runSlaTimers } from './sla.timer.ts';
export type { SlaTimerResult } from './sla.timer.ts';
export { startCaseTimers, runCaseTimersOnce } from './case.timers.ts';
export type { CaseTimerDeps } from './case.timers.ts';
export { takeNextCase, assignRoundRobin } from './case-assignment.service.ts';
export { lockCase, unlockCase, lockLeaseMs } from './case-lock.service.ts';
export type { CaseLockView } from './case-lock.service.ts';
export { escalateCase } from './escalation.service.ts';
export type { EscalationRequest } from './escalation.service.ts';
export { escalationTriggers } from './escalation.rules.ts';
export type { EscalationTrigger } from './escalation.rules.ts';
export { getTeams, getTeam, createTeam, changeTeam, removeTeam } from './team.service.ts';
export { assignmentModes } from './team.repository.ts';
export type { TeamView, TeamInput, TeamMemberView, AssignmentMode } from './team.repository.ts';
export { convertPostToCase } from './post-conversion.service.ts';
export type { PostConversion, PostConversionOptions } from './post-conversion.service.ts';
export { correctLabels, exportCorrections } from './label-correction.service.ts';
export type { LabelCorrectionInput, LabelCorrectionView } from './label-correction.service.ts';
