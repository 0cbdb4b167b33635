import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import type { EventNotifier } from '../events/index.ts';
import type { ReplyView, createReply } from '../replies/index.ts';
import { explainNonOpportunity, findOpportunity, listOpportunities } from './opportunity.repository.ts';
import type { Opportunity, OpportunityCursor } from './opportunity.repository.ts';

export interface OpportunityPage {
  opportunities: Opportunity[];
  nextCursor: string | null;
}

function encodeCursor(cursor: OpportunityCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): OpportunityCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      typeof value === 'object' && value !== null &&
      'sentAt' in value && typeof value.sentAt === 'string' && !Number.isNaN(Date.parse(value.sentAt)) &&
      'id' in value && typeof value.id === 'string' && /^[0-9a-f-]{36}$/i.test(value.id)
    ) {
      return { sentAt: value.sentAt, id: value.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 'cursor is not one this API returned');
}

/** The opportunity list, newest first, with keyset pagination over (sent at, id). */
export async function getOpportunities(
  db: Db,
  principal: Principal,
  filter: { from: Date; to: Date; limit: number; cursor?: string },
): Promise<OpportunityPage> {
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const rows = await listOpportunities(db, principal.workspaceId, { from: filter.from, to: filter.to, limit: filter.limit + 1, after });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    opportunities: page,
    nextCursor: rows.length > filter.limit && last ? encodeCursor({ sentAt: last.sentAt, id: last.messageId }) : null,
  };
}

// An offer already on its way (or waiting for approval, or sent) is not made twice; after a rejection or a failed
// delivery someone may propose a new one.
const outreachInProgress = new Set(['held', 'queued', 'sending', 'sent', 'manual', 'unknown']);

export interface OutreachInput {
  text: string;
  /** A private message where the platform has one (X, Mastodon, Facebook). */
  private?: boolean;
}

/**
 * Proposes an offer to a competitor's unhappy customer. Nothing goes out here: the offer is a reply to their post
 * that is always held for a supervisor's approval (`competitor_customer`), through the reply approval queue.
 *
 * The reply is written by the replies feature, handed in by the caller, so that competitor watch (which the ingest
 * pipeline uses for poaching detection) never pulls replies, and through it the channel drivers, into ingest.
 *
 * Why the principal is evaluated as an agent: the approval rules skip a supervisor's own replies, but an offer to a
 * competitor's customer must always have a second look, whoever writes it. The reply keeps its real author.
 */
export async function requestOutreach(
  deps: { db: Db; clock: Clock; notifier: EventNotifier; createReply: typeof createReply },
  principal: Principal,
  messageId: string,
  input: OutreachInput,
): Promise<ReplyView> {
  const ws = principal.workspaceId;
  const opportunity = await findOpportunity(deps.db, ws, messageId);
  if (!opportunity) {
    const why = await explainNonOpportunity(deps.db, ws, messageId);
    if (why === 'opted_out') throw new AppError('conflict', 'this customer opted out of offers: they are never contacted');
    throw notFound('opportunity');
  }
  if (!opportunity.caseId) throw new AppError('conflict', 'this post has no case to reply on');
  if (opportunity.outreach && outreachInProgress.has(opportunity.outreach.status)) {
    throw new AppError('conflict', `an offer to this post is already ${opportunity.outreach.status}`);
  }
  const reply = await deps.createReply(deps, { ...principal, role: 'agent' }, opportunity.caseId, {
    text: input.text,
    inReplyToMessageId: messageId,
    private: input.private,
  });
  if (reply.status !== 'held' || !reply.holdReasons.some((r) => r.rule === 'competitor_customer')) {
    // Unreachable while the approval rules hold every reply to a post that matched a competitor rule; say so loudly.
    throw new AppError('internal', `the offer was not held for approval (status ${reply.status})`);
  }
  return reply;
}
