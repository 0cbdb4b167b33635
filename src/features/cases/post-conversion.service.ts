import type { Db } from '../../platform/db/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Principal } from '../accounts/index.ts';
import { appendEvent } from '../events/index.ts';
import { applyInboundToCase, openCase } from './case.lifecycle.ts';
import { findOpenCaseOfCustomer } from './case.repository.ts';
import { attachMessageToCase, findConvertiblePost, lockCustomerThreading } from './post-conversion.repository.ts';

export interface PostConversion {
  caseId: string;
  /** false when the post already belonged to a case (nothing changed). */
  converted: boolean;
  /** true when a new case was opened; false when the post joined the customer's open case. */
  caseCreated: boolean;
}

export interface PostConversionOptions {
  /** The ingest pipeline's threading window: an open case with activity this recent takes the post. */
  threadWindowHours: number;
}

/**
 * An agent turns a post no case took (listening heard it, but it was labelled spam or left to monitor) into work:
 * threaded as the ingest pipeline would have threaded it — the customer's recent open case, otherwise a new case
 * with SLA clocks from the post's own time — in one transaction with its event. Idempotent: a post that already
 * has a case answers with that case.
 */
export async function convertPostToCase(db: Db, principal: Principal, messageId: string, options: PostConversionOptions): Promise<PostConversion> {
  const ws = principal.workspaceId;
  return db.transaction(async (tx) => {
    const seen = await findConvertiblePost(tx, ws, messageId);
    if (!seen) throw notFound('post');
    if (seen.caseId) return { caseId: seen.caseId, converted: false, caseCreated: false };
    if (!seen.customerId || !seen.labels) {
      throw new AppError('validation_failed', 'this post has no author or no classification to open a case from', [{ path: 'id', message: 'not convertible' }]);
    }
    await lockCustomerThreading(tx, ws, seen.customerId);
    // Re-read under the lock: a concurrent conversion or a merge may have moved it meanwhile.
    const post = await findConvertiblePost(tx, ws, messageId, true);
    if (!post) throw notFound('post');
    if (post.caseId) return { caseId: post.caseId, converted: false, caseCreated: false };
    if (post.customerId !== seen.customerId || !post.customerId || !post.labels) {
      throw new AppError('conflict', "the post's customer changed while converting it; try again");
    }

    const since = new Date(post.sentAt.getTime() - options.threadWindowHours * 3_600_000);
    const openCaseId = await findOpenCaseOfCustomer(tx, ws, post.customerId, since);
    let caseId: string;
    if (openCaseId) {
      caseId = openCaseId;
      await attachMessageToCase(tx, ws, post.id, caseId);
      await applyInboundToCase(tx, { workspaceId: ws, caseId, labels: post.labels, at: post.sentAt, text: post.text });
    } else {
      // openCase counts the message it opens for as one more contact because the pipeline calls it before storing
      // the message; this post is stored already, so the case opens as of just before it to count it once.
      caseId = await openCase(tx, {
        workspaceId: ws,
        customerId: post.customerId,
        channel: post.channel,
        labels: post.labels,
        text: post.text,
        at: new Date(post.sentAt.getTime() - 1),
      });
      await attachMessageToCase(tx, ws, post.id, caseId);
    }
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'case.updated',
      caseId,
      actorUserId: principal.userId,
      data: { reason: 'listening.converted', messageId: post.id, caseCreated: openCaseId === null },
    });
    return { caseId, converted: true, caseCreated: openCaseId === null };
  });
}
