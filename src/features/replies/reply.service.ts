import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findUser, hasRole } from '../accounts/index.ts';
import type { Principal } from '../accounts/index.ts';
import { findCase } from '../cases/index.ts';
import { channelKinds, deliveryModeOf, supportsPrivateReply } from '../channels/index.ts';
import type { ChannelKind } from '../channels/index.ts';
import { appendEvent } from '../events/index.ts';
import type { EventNotifier } from '../events/index.ts';
import { evaluateHold } from './approval.rules.ts';
import { composerChannelFor, findPersonalData, measureLength, splitIntoThread, withRequiredMentions } from './composer/index.ts';
import type { ComposerChannel, LengthOptions } from './composer/index.ts';
import type { ApprovalSettings } from './approval.rules.ts';
import { closeOutbox, insertOutbox } from './outbox.repository.ts';
import { recordSentReply } from './reply.recorder.ts';
import {
  findCompetitorRules,
  findLastInboundAt,
  findLatestInbound,
  findReply,
  findReplyChannel,
  findTargetMessage,
  insertReply,
  listCaseReplies,
  listRepliesByStatus,
  loadApprovalSettings,
  presentReply,
  saveApprovalSettings,
  updateReply,
} from './reply.repository.ts';
import type { ReplyRow, TargetMessage } from './reply.repository.ts';
import type { HoldReason, ReplyStatus, ReplyView } from './reply.types.ts';

export interface ReplyDeps {
  db: Db;
  clock: Clock;
  notifier: EventNotifier;
}

export interface NewReplyInput {
  text: string;
  channelId?: string;
  private?: boolean;
  inReplyToMessageId?: string;
}

const messengerWindowMs = 24 * 60 * 60_000;

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
  const ws = principal.workspaceId;
  const caseRow = await findCase(deps.db, ws, caseId);
  if (!caseRow) throw notFound('case');

  let target: TargetMessage | null = null;
  if (input.inReplyToMessageId) {
    target = await findTargetMessage(deps.db, ws, input.inReplyToMessageId);
    if (!target || target.caseId !== caseId) throw invalid('inReplyToMessageId', 'inReplyToMessageId is not a message of this case');
  }
  const channelId = input.channelId ?? target?.channelId ?? (await findLatestInbound(deps.db, ws, caseId, null))?.channelId ?? caseRow.channel_id;
  const channel = await findReplyChannel(deps.db, ws, channelId);
  if (!channel || !isChannelKind(channel.kind)) throw invalid('channelId', 'channelId is not a channel of this workspace');
  if (target && target.channelId !== channel.id) {
    throw invalid('inReplyToMessageId', 'the message being answered arrived on another channel than channelId');
  }
  target ??= await findLatestInbound(deps.db, ws, caseId, channel.id);

  const kind = channel.kind;
  const delivery = deliveryModeOf(kind);
  // Mail and phone calls are private by nature; elsewhere a private reply needs a private channel on the platform.
  const isPrivate = kind === 'email' || kind === 'phone' || kind === 'webform' ? true : (input.private ?? false);
  if (isPrivate && !supportsPrivateReply(kind)) {
    throw invalid('private', `${kind} has no private replies; answer publicly or choose another channel`);
  }
  if (delivery === 'connector' && !target) {
    throw invalid('channelId', `the customer has written nothing on this ${kind} channel to reply to`);
  }
  if (kind === 'facebook' && isPrivate && target?.author) {
    const last = await findLastInboundAt(deps.db, ws, channel.id, target.author.id);
    if (!last || deps.clock.now().getTime() - last.getTime() > messengerWindowMs) {
      throw invalid('private', "outside Messenger's 24-hour window: the customer last wrote more than 24 hours ago; answer publicly or by another channel");
    }
  }

  const text = checkDraft(input.text, kind, isPrivate, target?.author?.handle ?? null, lengthOptionsOf(channel.config));

  const settings = await loadApprovalSettings(deps.db, ws);
  // A supervisor's own reply is approved by its writer; a logged phone outcome already happened.
  const needsApproval = delivery !== 'logged' && !hasRole(principal.role, 'supervisor');
  const holdReasons = needsApproval ? await holdReasonsFor(deps.db, ws, text, target, settings) : [];
  const author = await findUser(deps.db, ws, principal.userId);
  const senderName = author?.name ?? 'agent';

  const id = randomUUID();
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const base = {
      workspaceId: ws,
      id,
      caseId,
      channelId: channel.id,
      authorUserId: principal.userId,
      inReplyToMessageId: target?.id ?? null,
      text,
      isPrivate,
      delivery,
      holdReasons,
      at: now,
    };
    if (holdReasons.length > 0) {
      await insertReply(tx, { ...base, status: 'held' });
      await appendEvent(tx, { workspaceId: ws, type: 'reply.held', caseId, actorUserId: principal.userId, data: { replyId: id, reasons: holdReasons } });
      return;
    }
    await insertReply(tx, { ...base, status: initialStatusOf(delivery) });
    if (delivery === 'logged') {
      await recordSentReply(tx, {
        workspaceId: ws, replyId: id, caseId, channelId: channel.id, isPrivate: true, senderName,
        replyToExternalId: target?.externalId ?? null, externalId: `callback:${id}`, url: null, text: text,
        at: now, via: 'logged', actorUserId: principal.userId,
      });
      return;
    }
    await release(tx, { workspaceId: ws, replyId: id, caseId, channelId: channel.id, delivery, at: now, actorUserId: principal.userId });
  });
  deps.notifier.notify(ws);
  return getReply(deps.db, principal, id);
}

/**
 * The composer's hard rules, enforced when a reply is written (the review endpoint shows the same findings while the
 * agent types): personal data never goes out in public, and a reply must fit the platform's length rule. Mentions the
 * platform needs for the reply to reach the customer are added.
 */
export function checkDraft(draft: string, kind: ChannelKind, isPrivate: boolean, customerHandle: string | null, options: LengthOptions = {}): string {
  const channel = composerChannelFor(kind);
  const text = withRequiredMentions(draft, channel, customerHandle);
  if (!isPrivate) {
    const personal = findPersonalData(text);
    if (personal.length > 0) {
      throw new AppError(
        'validation_failed',
        `this public reply contains personal data (${[...new Set(personal.map((p) => p.kind))].join(', ')}); move the conversation to a private channel instead`,
        personal.map((p) => ({ path: 'text', message: `${p.kind} at ${p.start}–${p.end}` })),
      );
    }
  }
  const length = measureLength(text, channel, options);
  if (!length.ok) {
    const parts = threadLength(text, channel, options);
    throw new AppError(
      'validation_failed',
      `the reply is ${length.count} ${length.unit}; ${kind} allows ${length.limit}${parts > 1 ? ` — shorten it or send it as ${parts} numbered parts` : ''}`,
      [{ path: 'text', message: `over the ${kind} limit` }],
    );
  }
  return text;
}

/** How many numbered parts the draft would make, or 0 when it cannot be split. */
function threadLength(text: string, channel: ComposerChannel, options: LengthOptions): number {
  try {
    return splitIntoThread(text, channel, options).length;
  } catch {
    return 0;
  }
}

/** A Mastodon instance sets its own limit: `config.characterLimit` on the channel (500 when unset). */
function lengthOptionsOf(config: Record<string, unknown>): LengthOptions {
  const limit = config.characterLimit;
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? { mastodonLimit: limit } : {};
}

function initialStatusOf(delivery: 'connector' | 'manual' | 'logged'): ReplyStatus {
  switch (delivery) {
    case 'connector':
      return 'queued';
    case 'manual':
      return 'manual';
    case 'logged':
      return 'sent';
    default: {
      const unreachable: never = delivery;
      throw new Error(`unknown delivery ${String(unreachable)}`);
    }
  }
}

async function holdReasonsFor(db: Queryable, ws: string, text: string, target: TargetMessage | null, settings: ApprovalSettings): Promise<HoldReason[]> {
  const competitorRules = target ? await findCompetitorRules(db, ws, target.matchedRuleIds) : [];
  return evaluateHold(
    {
      replyText: text,
      customerText: target?.text ?? null,
      authorFollowers: target?.author?.followerCount ?? null,
      authorHandle: target?.author?.handle ?? null,
      competitorRules,
    },
    settings,
  );
}

/** The reply may leave: into the outbox for a connector, or to the agent to post by hand. */
async function release(
  tx: Queryable,
  input: { workspaceId: string; replyId: string; caseId: string; channelId: string; delivery: 'connector' | 'manual'; at: Date; actorUserId: string },
): Promise<void> {
  const actor = { workspaceId: input.workspaceId, caseId: input.caseId, actorUserId: input.actorUserId };
  if (input.delivery === 'connector') {
    await insertOutbox(tx, { workspaceId: input.workspaceId, replyId: input.replyId, channelId: input.channelId, at: input.at });
    await appendEvent(tx, { ...actor, type: 'reply.queued', data: { replyId: input.replyId, channelId: input.channelId } });
    return;
  }
  await appendEvent(tx, { ...actor, type: 'reply.awaiting_agent', data: { replyId: input.replyId, reason: 'post it on the site, then confirm with its link' } });
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

async function lockHeld(tx: Queryable, principal: Principal, replyId: string): Promise<ReplyRow> {
  const row = await findReply(tx, principal.workspaceId, replyId, true);
  if (!row) throw notFound('reply');
  if (row.status !== 'held') throw new AppError('conflict', `the reply is ${row.status}, not held for approval`);
  return row;
}

/** A supervisor lets a held reply go: it enters the outbox (or waits for the agent to post it) in the same transaction. */
export async function approveReply(deps: ReplyDeps, principal: Principal, replyId: string, note: string | null): Promise<ReplyView> {
  requireSupervisor(principal, 'approve');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const row = await lockHeld(tx, principal, replyId);
    if (row.delivery === 'logged') throw new AppError('conflict', 'a logged phone outcome is never held');
    await updateReply(tx, principal.workspaceId, replyId, { status: initialStatusOf(row.delivery), reviewedBy: principal.userId, reviewedAt: now, reviewNote: note }, now);
    await appendEvent(tx, {
      workspaceId: principal.workspaceId, type: 'reply.approved', caseId: row.case_id, actorUserId: principal.userId,
      data: { replyId, note, reasons: row.hold_reasons },
    });
    await release(tx, { workspaceId: principal.workspaceId, replyId, caseId: row.case_id, channelId: row.channel_id, delivery: row.delivery, at: now, actorUserId: principal.userId });
  });
  deps.notifier.notify(principal.workspaceId);
  return getReply(deps.db, principal, replyId);
}

export async function rejectReply(deps: ReplyDeps, principal: Principal, replyId: string, reason: string): Promise<ReplyView> {
  requireSupervisor(principal, 'reject');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const row = await lockHeld(tx, principal, replyId);
    await updateReply(tx, principal.workspaceId, replyId, { status: 'rejected', reviewedBy: principal.userId, reviewedAt: now, reviewNote: reason }, now);
    await appendEvent(tx, {
      workspaceId: principal.workspaceId, type: 'reply.rejected', caseId: row.case_id, actorUserId: principal.userId, data: { replyId, reason },
    });
  });
  deps.notifier.notify(principal.workspaceId);
  return getReply(deps.db, principal, replyId);
}

/**
 * Rewrites a held reply (its supervisor, or the agent who wrote it). It stays held; the hold reasons are worked out
 * again for the new words so the supervisor sees what is still true.
 */
export async function editHeldReply(deps: ReplyDeps, principal: Principal, replyId: string, draft: string): Promise<ReplyView> {
  const ws = principal.workspaceId;
  const current = await findReply(deps.db, ws, replyId);
  if (!current) throw notFound('reply');
  if (current.author_user_id !== principal.userId) requireSupervisor(principal, 'edit');
  const target = current.in_reply_to_message_id ? await findTargetMessage(deps.db, ws, current.in_reply_to_message_id) : null;
  const channel = await findReplyChannel(deps.db, ws, current.channel_id);
  const text = isChannelKind(current.channel_kind)
    ? checkDraft(draft, current.channel_kind, current.is_private, target?.author?.handle ?? null, lengthOptionsOf(channel?.config ?? {}))
    : draft;
  const reasons = await holdReasonsFor(deps.db, ws, text, target, await loadApprovalSettings(deps.db, ws));
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const row = await lockHeld(tx, principal, replyId);
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
    if (!input.sent) {
      const reason = row.status === 'manual' ? 'the agent did not post it' : 'the agent checked: it was not posted';
      await updateReply(tx, ws, replyId, { status: 'failed', failureReason: reason }, now);
      await appendEvent(tx, { workspaceId: ws, type: 'reply.failed', caseId: row.case_id, actorUserId: principal.userId, data: { replyId, reason, via: 'agent' } });
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
  });
  deps.notifier.notify(ws);
  return getReply(deps.db, principal, replyId);
}

export async function getApprovalSettings(db: Queryable, principal: Principal): Promise<ApprovalSettings> {
  return loadApprovalSettings(db, principal.workspaceId);
}

export async function putApprovalSettings(db: Queryable, principal: Principal, settings: ApprovalSettings): Promise<ApprovalSettings> {
  if (!hasRole(principal.role, 'admin')) throw new AppError('forbidden', 'only admins can change approval rules');
  await saveApprovalSettings(db, principal.workspaceId, settings);
  return loadApprovalSettings(db, principal.workspaceId);
}
