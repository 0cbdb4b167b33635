import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';
import { applyOutboundToCase, findCase, findMessageByExternalId, insertMessage } from '../cases/index.ts';
import { appendEvent } from '../events/index.ts';
import { updateReply } from './reply.repository.ts';

/**
 * A reply reached the customer: it becomes an outbound message on the case through the same functions ingest uses,
 * so the case's first response time and response clock move exactly as for any answer from the brand.
 */
export interface SentReply {
  workspaceId: string;
  replyId: string;
  caseId: string;
  channelId: string;
  isPrivate: boolean;
  senderName: string;
  /** The platform id of the message being answered, for threading on the timeline. */
  replyToExternalId: string | null;
  externalId: string;
  url: string | null;
  text: string;
  raw?: Record<string, unknown>;
  at: Date;
  /** How Parley knows it was sent. */
  via: 'connector' | 'reconciled' | 'agent' | 'logged';
  actorUserId: string | null;
}

/** Inside the caller's transaction: outbound message, case update, reply row and `reply.sent` event. */
export async function recordSentReply(tx: Queryable, sent: SentReply): Promise<string> {
  // Lock the case before the message insert takes its foreign-key share lock: two replies on one case recorded at
  // once would otherwise each hold a share lock and wait for the other's update (a deadlock).
  await findCase(tx, sent.workspaceId, sent.caseId, true);
  const messageId = randomUUID();
  const inserted = await insertMessage(tx, {
    workspaceId: sent.workspaceId,
    id: messageId,
    channelId: sent.channelId,
    caseId: sent.caseId,
    authorId: null,
    senderName: sent.senderName,
    direction: 'outbound',
    externalId: sent.externalId,
    replyToExternalId: sent.replyToExternalId,
    isPublic: !sent.isPrivate,
    text: sent.text,
    raw: { ...sent.raw, replyId: sent.replyId, url: sent.url },
    labels: null,
    matchedRuleIds: [],
    sentAt: sent.at,
  });
  let storedId: string = messageId;
  if (inserted) {
    await applyOutboundToCase(tx, { workspaceId: sent.workspaceId, caseId: sent.caseId, at: sent.at });
  } else {
    // A listener heard the brand's own post first and stored it (and already counted it on the case): link to it.
    const existing = await findMessageByExternalId(tx, sent.workspaceId, sent.channelId, sent.externalId);
    if (!existing) throw new Error(`outbound message ${sent.externalId} neither inserted nor found`);
    storedId = existing.id;
  }
  await updateReply(
    tx,
    sent.workspaceId,
    sent.replyId,
    { status: 'sent', externalId: sent.externalId, externalUrl: sent.url, messageId: storedId, sentAt: sent.at, failureReason: null },
    sent.at,
  );
  await appendEvent(tx, {
    workspaceId: sent.workspaceId,
    type: 'reply.sent',
    caseId: sent.caseId,
    actorUserId: sent.actorUserId,
    data: { replyId: sent.replyId, externalId: sent.externalId, url: sent.url, messageId: storedId, via: sent.via },
  });
  return storedId;
}
