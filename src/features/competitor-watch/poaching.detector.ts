import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/db.ts';
import { appendEvent } from '../events/index.ts';
import {
  findChurnSignalCase,
  findLatestOpenCase,
  findRepliedCustomerPost,
  insertChurnSignal,
  listChannelIdsOfKind,
} from './churn-signal.repository.ts';
import { findCompetitorAccountByHandle } from './competitor-account.repository.ts';
import { handleKeyOf } from './handle.ts';

/** An inbound reply, as the ingest pipeline sees it before listening. */
export interface ReplyPost {
  workspaceId: string;
  channel: { id: string; kind: string };
  externalId: string;
  replyToExternalId: string;
  authorPlatform: string;
  authorHandle: string;
  text: string;
  sentAt: Date;
}

export interface PoachingOutcome {
  /** The customer's open case that got the churn-risk event; null when they had none open. */
  caseId: string | null;
  /** The same reply was already recorded (a redelivery). */
  duplicate: boolean;
}

const excerptLength = 500;

/**
 * Poaching detection: a reply by a competitor's official account (configured per workspace and platform) to a post
 * of one of our customers. It is recorded once as a churn signal and, when the customer has an open case, as a
 * `case.churn_risk` event in that case's timeline — in the same transaction. The case itself is not touched: its
 * priority, deadlines and place in the fair queue stay as they were (a competitor speaking is not the customer's need).
 *
 * Returns null when the reply is not a competitor's answer to one of our customers; the pipeline then ingests it as
 * usual. Otherwise the competitor's words are not stored as a customer message: they would make the competitor's
 * account a customer with a case of its own.
 */
export async function detectPoaching(db: Db, post: ReplyPost): Promise<PoachingOutcome | null> {
  const handleKey = handleKeyOf(post.authorHandle);
  if (handleKey === '') return null;
  const account = await findCompetitorAccountByHandle(db, post.workspaceId, post.authorPlatform, handleKey);
  if (!account) return null;
  return db.transaction(async (tx) => {
    const ws = post.workspaceId;
    const seen = await findChurnSignalCase(tx, ws, post.channel.id, post.externalId);
    if (seen) return { caseId: seen.caseId, duplicate: true };
    const channelIds = await listChannelIdsOfKind(tx, ws, post.channel.kind);
    const customerPost = await findRepliedCustomerPost(tx, ws, channelIds, post.replyToExternalId);
    if (!customerPost) return null;
    const caseId = customerPost.caseOpen ? customerPost.caseId : await findLatestOpenCase(tx, ws, customerPost.customerId);
    const text = post.text.length > excerptLength ? `${post.text.slice(0, excerptLength - 1)}…` : post.text;
    const inserted = await insertChurnSignal(tx, {
      workspaceId: ws,
      id: randomUUID(),
      channelId: post.channel.id,
      externalId: post.externalId,
      competitorAccountId: account.id,
      competitor: account.competitor,
      platform: account.platform,
      handle: account.handle,
      customerId: customerPost.customerId,
      messageId: customerPost.messageId,
      caseId,
      text,
      sentAt: post.sentAt,
    });
    if (!inserted) return { caseId, duplicate: true };
    if (caseId) {
      await appendEvent(tx, {
        workspaceId: ws,
        type: 'case.churn_risk',
        caseId,
        data: {
          competitor: account.competitor,
          platform: account.platform,
          handle: account.handle,
          competitorAccountId: account.id,
          customerId: customerPost.customerId,
          messageId: customerPost.messageId,
          externalId: post.externalId,
          text,
          sentAt: post.sentAt.toISOString(),
        },
      });
    }
    return { caseId, duplicate: false };
  });
}
