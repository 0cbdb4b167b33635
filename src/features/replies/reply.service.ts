import type { Db, Queryable } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findUser, hasRole } from '../accounts/index.ts';
import type { Principal } from '../accounts/index.ts';
import { findCase } from '../cases/index.ts';
import { channelKinds } from '../channels/index.ts';
import type { ChannelKind } from '../channels/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import type { ApprovalSettings } from './approval.rules.ts';
import { closeOutbox } from './outbox.repository.ts';
import { recordSentReply } from './reply.recorder.ts';
import { checkDraft, lengthOptionsOf } from './reply.draft.ts';
import { holdReasonsFor, initialStatusOf, prepareReply, releaseParts, writeReply } from './reply.writer.ts';
import type { NewReplyInput } from './reply.writer.ts';
import {
  findReply,
  findReplyChannel,
  findTargetMessage,
  findThreadReplies,
  listCaseReplies,
  listRepliesByStatus,
  loadApprovalSettings,
  presentReply,
  saveApprovalSettings,
  updateReply,
} from './reply.repository.ts';
import type { ReplyRow } from './reply.repository.ts';
import type { ReplyStatus, ReplyThreadView, ReplyView } from './reply.types.ts';
import { releaseNextPart, stopThreadAfter } from './thread.delivery.ts';
import type { ThreadPart } from './thread.delivery.ts';

export interface ReplyDeps {
  db: Db;
  clock: Clock;
  notifier: EventNotifier;
}

export type { NewReplyInput } from './reply.writer.ts';

function isChannelKind(kind: string): kind is ChannelKind {
  return (channelKinds as readonly string[]).includes(kind);
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ path, message }]);
}

/**
 * Writes a reply. A connector channel's reply and its outbox row are written in one transaction with its event, so
 * nothing is lost or sent twice whatever happens next; a reply that an approval rule holds gets no outbox row until
 * a supervisor approves it. No platform is called here: delivery workers do that.
 */
export async function createReply(deps: ReplyDeps, principal: Principal, caseId: string, input: NewReplyInput): Promise<ReplyView> {
  const ids = await writePrepared(deps, principal, caseId, { ...input, split: false });
  return getReply(deps.db, principal, ids[0]);
}

/**
 * Writes a reply as a thread of numbered posts, each chained to the one before it on the platform (X, Bluesky,
 * Mastodon). Every part is its own reply with its own status; a draft that fits one post is one ordinary reply.
 */
export async function createReplyThread(deps: ReplyDeps, principal: Principal, caseId: string, input: NewReplyInput): Promise<ReplyThreadView> {
  const ids = await writePrepared(deps, principal, caseId, { ...input, split: true });
  const parts = await Promise.all(ids.map((id) => getReply(deps.db, principal, id)));
  return { threadId: parts[0]?.thread?.id ?? null, parts };
}

async function writePrepared(deps: ReplyDeps, principal: Principal, caseId: string, input: NewReplyInput): Promise<string[]> {
  const prepared = await prepareReply(deps.db, deps.clock, principal, caseId, input);
  const now = deps.clock.now();
  const ids = await deps.db.transaction((tx) => writeReply(tx, prepared, now));
  deps.notifier.notify(principal.workspaceId);
  return ids;
}

export async function getReply(db: Queryable, principal: Principal, replyId: string): Promise<ReplyView> {
  const row = await findReply(db, principal.workspaceId, replyId);
  if (!row) throw notFound('reply');
  return presentReply(row);
}

export async function getCaseReplies(db: Queryable, principal: Principal, caseId: string): Promise<ReplyView[]> {
  const caseRow = await findCase(db, principal.workspaceId, caseId);
  if (!caseRow) throw notFound('case');
  return listCaseReplies(db, principal.workspaceId, caseId);
}

export async function getRepliesByStatus(db: Queryable, principal: Principal, statuses: ReplyStatus[], limit: number): Promise<ReplyView[]> {
  return listRepliesByStatus(db, principal.workspaceId, statuses, limit);
}

function requireSupervisor(principal: Principal, action: string): void {
  if (!hasRole(principal.role, 'supervisor')) throw new AppError('forbidden', `only supervisors and admins can ${action} a held reply`);
}

/** The held reply, locked — with every part of its thread when it is one (a thread is approved as a whole). */
async function lockHeld(tx: Queryable, principal: Principal, replyId: string): Promise<ReplyRow[]> {
  const row = await findReply(tx, principal.workspaceId, replyId, true);
  if (!row) throw notFound('reply');
  if (row.status !== 'held') throw new AppError('conflict', `the reply is ${row.status}, not held for approval`);
  if (!row.thread_id) return [row];
  const parts = await findThreadReplies(tx, principal.workspaceId, row.thread_id, true);
  const moved = parts.find((p) => p.status !== 'held');
  if (moved) throw new AppError('conflict', `part ${String(moved.thread_part)} of this thread is ${moved.status}, not held for approval`);
  return parts;
}

/**
 * A supervisor lets a held reply go: it enters the outbox (or waits for the agent to post it) in the same
 * transaction. Approving any part of a thread approves the thread.
 */
export async function approveReply(deps: ReplyDeps, principal: Principal, replyId: string, note: string | null): Promise<ReplyView> {
  requireSupervisor(principal, 'approve');
  const now = deps.clock.now();
  const ws = principal.workspaceId;
  await deps.db.transaction(async (tx) => {
    const parts = await lockHeld(tx, principal, replyId);
    const first = parts[0];
    if (first.delivery === 'logged') throw new AppError('conflict', 'a logged phone outcome is never held');
    for (const row of parts) {
      await updateReply(tx, ws, row.id, { status: initialStatusOf(row.delivery), reviewedBy: principal.userId, reviewedAt: now, reviewNote: note }, now);
      await appendEvent(tx, {
        workspaceId: ws, type: 'reply.approved', caseId: row.case_id, actorUserId: principal.userId,
        data: { replyId: row.id, note, reasons: row.hold_reasons, threadId: row.thread_id },
      });
    }
    await releaseParts(tx, {
      workspaceId: ws, caseId: first.case_id, channelId: first.channel_id, delivery: first.delivery, at: now, actorUserId: principal.userId,
      replyIds: parts.map((p) => p.id), threadId: first.thread_id,
    });
  });
  deps.notifier.notify(ws);
  return getReply(deps.db, principal, replyId);
}

/** Rejecting any part of a held thread rejects the thread. */
export async function rejectReply(deps: ReplyDeps, principal: Principal, replyId: string, reason: string): Promise<ReplyView> {
  requireSupervisor(principal, 'reject');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    for (const row of await lockHeld(tx, principal, replyId)) {
      await updateReply(tx, principal.workspaceId, row.id, { status: 'rejected', reviewedBy: principal.userId, reviewedAt: now, reviewNote: reason }, now);
      await appendEvent(tx, {
        workspaceId: principal.workspaceId, type: 'reply.rejected', caseId: row.case_id, actorUserId: principal.userId,
        data: { replyId: row.id, reason, threadId: row.thread_id },
      });
    }
  });
  deps.notifier.notify(principal.workspaceId);
  return getReply(deps.db, principal, replyId);
}

/**
 * Rewrites a held reply (its supervisor, or the agent who wrote it). It stays held; the hold reasons are worked out
 * again for the new words so the supervisor sees what is still true. A thread's parts are not rewritten one by one:
 * the thread is rejected and written again.
 */
export async function editHeldReply(deps: ReplyDeps, principal: Principal, replyId: string, draft: string): Promise<ReplyView> {
  const ws = principal.workspaceId;
  const current = await findReply(deps.db, ws, replyId);
  if (!current) throw notFound('reply');
  if (current.author_user_id !== principal.userId) requireSupervisor(principal, 'edit');
  if (current.thread_id) {
    throw new AppError('conflict', 'a held thread cannot be edited part by part; reject it and write the reply again');
  }
  const target = current.in_reply_to_message_id ? await findTargetMessage(deps.db, ws, current.in_reply_to_message_id) : null;
  const channel = await findReplyChannel(deps.db, ws, current.channel_id);
  const text = isChannelKind(current.channel_kind)
    ? checkDraft(draft, current.channel_kind, current.is_private, target?.author?.handle ?? null, lengthOptionsOf(channel?.config ?? {}))
    : draft;
  const reasons = await holdReasonsFor(deps.db, ws, text, target, await loadApprovalSettings(deps.db, ws));
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [row] = await lockHeld(tx, principal, replyId);
    if (row.text === text) return;
    // Reasons can only be re-derived, never dropped to none: a held reply always shows why it waits.
    await updateReply(tx, ws, replyId, { text, holdReasons: reasons.length > 0 ? reasons : row.hold_reasons }, now);
    await appendEvent(tx, {
      workspaceId: ws, type: 'reply.edited', caseId: row.case_id, actorUserId: principal.userId,
      data: { replyId, previousText: row.text, length: text.length },
    });
  });
  deps.notifier.notify(ws);
  return getReply(deps.db, principal, replyId);
}

export interface Confirmation {
  sent: boolean;
  url?: string;
  externalId?: string;
}

/**
 * An agent settles what Parley could not: a blog or forum reply they posted by hand (with its link), or a reply
 * left `unknown` by an interrupted attempt. Sent → recorded on the case like any delivered reply; not sent → failed.
 */
export async function confirmReply(deps: ReplyDeps, principal: Principal, replyId: string, input: Confirmation): Promise<ReplyView> {
  const ws = principal.workspaceId;
  const now = deps.clock.now();
  const author = await findUser(deps.db, ws, principal.userId);
  await deps.db.transaction(async (tx) => {
    const row = await findReply(tx, ws, replyId, true);
    if (!row) throw notFound('reply');
    if (row.status !== 'unknown' && row.status !== 'manual') {
      throw new AppError('conflict', `the reply is ${row.status}; only replies awaiting the agent or of unknown fate can be confirmed`);
    }
    if (input.sent && row.status === 'manual' && !input.url) throw invalid('url', 'record the link of the reply you posted on the site');
    await closeOutbox(tx, ws, replyId);
    const part = threadPartOf(row);
    if (!input.sent) {
      const reason = row.status === 'manual' ? 'the agent did not post it' : 'the agent checked: it was not posted';
      await updateReply(tx, ws, replyId, { status: 'failed', failureReason: reason }, now);
      await appendEvent(tx, { workspaceId: ws, type: 'reply.failed', caseId: row.case_id, actorUserId: principal.userId, data: { replyId, reason, via: 'agent' } });
      if (part) await stopThreadAfter(tx, part, reason, now, principal.userId);
      return;
    }
    const target = row.in_reply_to_message_id ? await findTargetMessage(tx, ws, row.in_reply_to_message_id) : null;
    await recordSentReply(tx, {
      workspaceId: ws,
      replyId,
      caseId: row.case_id,
      channelId: row.channel_id,
      isPrivate: row.is_private,
      senderName: author?.name ?? 'agent',
      replyToExternalId: target?.externalId ?? null,
      externalId: input.externalId ?? input.url ?? `reply:${replyId}`,
      url: input.url ?? null,
      text: row.text,
      at: now,
      via: 'agent',
      actorUserId: principal.userId,
    });
    // The agent's word settles this part of a thread as the worker's would: the next part may leave.
    if (part) await releaseNextPart(tx, part, now);
  });
  deps.notifier.notify(ws);
  return getReply(deps.db, principal, replyId);
}

function threadPartOf(row: ReplyRow): ThreadPart | null {
  if (!row.thread_id || row.thread_part === null || row.thread_size === null) return null;
  return { workspaceId: row.workspace_id, caseId: row.case_id, replyId: row.id, threadId: row.thread_id, part: Number(row.thread_part), of: Number(row.thread_size) };
}

export async function getApprovalSettings(db: Queryable, principal: Principal): Promise<ApprovalSettings> {
  return loadApprovalSettings(db, principal.workspaceId);
}

export async function putApprovalSettings(db: Queryable, principal: Principal, settings: ApprovalSettings): Promise<ApprovalSettings> {
  if (!hasRole(principal.role, 'admin')) throw new AppError('forbidden', 'only admins can change approval rules');
  await saveApprovalSettings(db, principal.workspaceId, settings);
  return loadApprovalSettings(db, principal.workspaceId);
}
