import type { Queryable } from '../../platform/db/db.ts';
import { appendEvent } from '../events/index.ts';
import { failPartsAfter, insertNextPartOutbox } from './reply-thread.repository.ts';

/** A part of a thread, as the transitions below need it. */
export interface ThreadPart {
  workspaceId: string;
  caseId: string;
  replyId: string;
  threadId: string;
  part: number;
  of: number;
}

/** In the transaction that records `part` as sent: the next part may leave now. */
export async function releaseNextPart(tx: Queryable, part: ThreadPart, at: Date): Promise<string | null> {
  if (part.part >= part.of) return null;
  return insertNextPartOutbox(tx, { workspaceId: part.workspaceId, threadId: part.threadId, afterPart: part.part, at });
}

/**
 * In the transaction that records `part` as failed: the parts after it are never sent (each would answer a post
 * that does not exist), and each says why, so the agent sees where the thread stopped.
 */
export async function stopThreadAfter(tx: Queryable, part: ThreadPart, cause: string, at: Date, actorUserId: string | null = null): Promise<string[]> {
  const reason = `not sent: part ${part.part} of ${part.of} failed (${cause})`.slice(0, 1000);
  const stopped = await failPartsAfter(tx, { workspaceId: part.workspaceId, threadId: part.threadId, afterPart: part.part, reason, at });
  for (const replyId of stopped) {
    await appendEvent(tx, {
      workspaceId: part.workspaceId,
      type: 'reply.failed',
      caseId: part.caseId,
      actorUserId,
      data: { replyId, reason, threadId: part.threadId, stoppedBy: part.replyId },
    });
  }
  return stopped;
}
