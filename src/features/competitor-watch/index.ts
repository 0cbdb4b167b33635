/**
 * Competitor watch (DESIGN principle 6): competitors' unhappy customers as an opportunity list with guardrails
 * (outreach only through reply approval, opt-outs respected), and competitors courting ours as churn-risk events.
 */
export { handleKeyOf } from './handle.ts';
export { getCompetitorAccounts, addCompetitorAccount, removeCompetitorAccount } from './competitor-account.service.ts';
export type { NewCompetitorAccount } from './competitor-account.service.ts';
export type { CompetitorAccount } from './competitor-account.repository.ts';
export { getOptOuts, recordOptOut, removeOptOut } from './opt-out.service.ts';
export type { NewOptOut, OptOutResult } from './opt-out.service.ts';
export type { OptOut } from './opt-out.repository.ts';
export { getOpportunities, requestOutreach } from './opportunity.service.ts';
export type { OpportunityPage, OutreachInput } from './opportunity.service.ts';
export type { Opportunity } from './opportunity.repository.ts';
export { detectPoaching } from './poaching.detector.ts';
export type { ReplyPost, PoachingOutcome } from './poaching.detector.ts';
export { getChurnSignals } from './churn-signal.service.ts';
export type { ChurnSignal } from './churn-signal.repository.ts';
