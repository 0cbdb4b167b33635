import type { DeliveryMode } from '../channels/index.ts';

/**
 * A reply's life: held (waiting for a supervisor) → queued → sending → sent, or failed (the platform's reason), or
 * unknown (an interrupted attempt Parley could not check: an agent confirms). Blog and forum replies wait in
 * `manual` until the agent posts them on the site and records the link; a rejected reply never leaves Parley.
 */
export const replyStatuses = ['held', 'queued', 'sending', 'sent', 'failed', 'unknown', 'manual', 'rejected'] as const;
export type ReplyStatus = (typeof replyStatuses)[number];

export const holdRules = ['high_reach', 'legal_terms', 'competitor_customer'] as const;
export type HoldRule = (typeof holdRules)[number];

/** Why a reply waits for a supervisor. */
export interface HoldReason {
  rule: HoldRule;
  message: string;
}

/**
 * Where a part of a thread stands in it. Part 1 enters the outbox when the thread is released; each later part only
 * once the part before it is recorded as sent, so until then it waits as `queued`.
 */
export interface ReplyThreadPosition {
  id: string;
  part: number;
  of: number;
}

/** A reply as the API shows it. */
export interface ReplyView {
  id: string;
  caseId: string;
  channel: { id: string; kind: string; name: string };
  authorUserId: string;
  inReplyToMessageId: string | null;
  text: string;
  private: boolean;
  delivery: DeliveryMode;
  status: ReplyStatus;
  holdReasons: HoldReason[];
  failureReason: string | null;
  externalId: string | null;
  url: string | null;
  messageId: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  /** Set when the reply is one part of a thread of posts. */
  thread: ReplyThreadPosition | null;
}

/** A reply written as a thread: every part, in order (one part when the text fitted in a single post). */
export interface ReplyThreadView {
  threadId: string | null;
  parts: ReplyView[];
}
