export { replyStatuses, holdRules } from './reply.types.ts';
export type { ReplyStatus, ReplyView, ReplyThreadView, ReplyThreadPosition, HoldReason, HoldRule } from './reply.types.ts';
export { defaultApprovalSettings, defaultLegalTerms, evaluateHold, findLegalTerms } from './approval.rules.ts';
export type { ApprovalSettings, ApprovalFacts } from './approval.rules.ts';
export {
  createReply,
  createReplyThread,
  getReply,
  getCaseReplies,
  getRepliesByStatus,
  approveReply,
  rejectReply,
  editHeldReply,
  confirmReply,
  getApprovalSettings,
  putApprovalSettings,
} from './reply.service.ts';
export type { ReplyDeps, NewReplyInput, Confirmation } from './reply.service.ts';
export { createOutboxWorker } from './outbox.worker.ts';
export type { OutboxWorker, OutboxWorkerOptions } from './outbox.worker.ts';
export { outboxRetryPolicy, retryDelayMs } from './outbox.backoff.ts';
export type { RetryPolicy } from './outbox.backoff.ts';
export { moveToPrivate } from './move-private.service.ts';
export type { MovePrivateInput, MovePrivateDeps, PrivateMoveView } from './move-private.service.ts';
export { privateRoutes, defaultAcknowledgement, emailAcknowledgement, linkAcknowledgement, refusedDmFollowUp } from './private-move.plan.ts';
export type { PrivateRoute } from './private-move.plan.ts';
export { openPrivateLink, recordPrivateLinkReply } from './private-link.service.ts';
export type { PrivateConversation } from './private-link.service.ts';
