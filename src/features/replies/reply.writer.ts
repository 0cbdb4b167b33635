import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findUser, hasRole } from '../accounts/index.ts';
import type { Principal } from '../accounts/index.ts';
import { findCase } from '../cases/index.ts';
import { channelKinds, deliveryModeOf, supportsPrivateReply } from '../channels/index.ts';
import type { ChannelKind, DeliveryMode } from '../channels/index.ts';
import { appendEvent } from '../events/index.ts';
import { evaluateHold } from './approval.rules.ts';
import type { ApprovalSettings } from './approval.rules.ts';
import { insertOutbox } from './outbox.repository.ts';
import { recordSentReply } from './reply.recorder.ts';
import { assertCanThread, checkDraft, checkThreadDraft, lengthOptionsOf } from './reply.draft.ts';
import {
  findCompetitorRules,
  findLastInboundAt,
  findLatestInbound,
  findReplyChannel,
  findTargetMessage,
  insertReply,
  loadApprovalSettings,
} from './reply.repository.ts';
import type { TargetMessage } from './reply.repository.ts';
import type { HoldReason, ReplyStatus } from './reply.types.ts';

export interface NewReplyInput {
  text: string;
  channelId?: string;
  private?: boolean;
  inReplyToMessageId?: string;
  /** Send a draft too long for one post as a numbered thread of chained posts (X, Bluesky, Mastodon). */
  split?: boolean;
  /** Text Parley appends to a single post (move-private's secure link); never taken from a request body. */
  suffix?: string;
}

/** A reply checked against every rule and ready to be written; nothing is stored yet. */
export interface PreparedReply {
  workspaceId: string;
  caseId: string;
  channelId: string;
  kind: ChannelKind;
  delivery: DeliveryMode;
  isPrivate: boolean;
  target: TargetMessage | null;
  /** The text of each post, in order: one for a lone reply, two or more for a thread. */
  parts: string[];
  holdReasons: HoldReason[];
  authorUserId: string;
  senderName: string;
  /** An email address written to when the reply answers no message on its channel. */
  recipientAddress: string | null;
  /** A move-private DM: a refusal by the platform falls back to email or a secure link (under linkBaseUrl). */
  privateFallback: boolean;
  linkBaseUrl: string | null;
}

const messengerWindowMs = 24 * 60 * 60_000;

function isChannelKind(kind: string): kind is ChannelKind {
  return (channelKinds as readonly string[]).includes(kind);
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ path, message }]);
}

/** Mail, web forms and phone calls are private by nature. */
export function isPrivateByNature(kind: ChannelKind): boolean {
  return kind === 'email' || kind === 'phone' || kind === 'webform';
}

/**
 * Decides everything about a reply before it is written: the channel and the message answered (defaults: the
 * message's channel, else the channel the customer last wrote on; the customer's newest message there), whether it
 * is private, the composer's rules, its parts when split, and the approval rules that hold it.
 */
export async function prepareReply(db: Db, clock: Clock, principal: Principal, caseId: string, input: NewReplyInput): Promise<PreparedReply> {
  const ws = principal.workspaceId;
  const caseRow = await findCase(db, ws, caseId);
  if (!caseRow) throw notFound('case');

  let target: TargetMessage | null = null;
  if (input.inReplyToMessageId) {
    target = await findTargetMessage(db, ws, input.inReplyToMessageId);
    if (!target || target.caseId !== caseId) throw invalid('inReplyToMessageId', 'inReplyToMessageId is not a message of this case');
  }
  const channelId = input.channelId ?? target?.channelId ?? (await findLatestInbound(db, ws, caseId, null))?.channelId ?? caseRow.channel_id;
  const channel = await findReplyChannel(db, ws, channelId);
  if (!channel || !isChannelKind(channel.kind)) throw invalid('channelId', 'channelId is not a channel of this workspace');
  if (target && target.channelId !== channel.id) {
    throw invalid('inReplyToMessageId', 'the message being answered arrived on another channel than channelId');
  }
  target ??= await findLatestInbound(db, ws, caseId, channel.id);

  const kind = channel.kind;
  const delivery = deliveryModeOf(kind);
  const isPrivate = isPrivateByNature(kind) ? true : (input.private ?? false);
  const handle = target?.author?.handle ?? null;
  const lengthOptions = lengthOptionsOf(channel.config);
  if (input.split) {
    // Checked first: on a channel that cannot chain posts, that is the answer the agent needs.
    assertCanThread(kind);
    if (isPrivate) throw invalid('split', 'a private reply is one message and cannot be sent as a thread; shorten it');
  }
  if (isPrivate && !supportsPrivateReply(kind)) {
    throw invalid('private', `${kind} has no private replies; answer publicly or choose another channel`);
  }
  if (delivery === 'connector' && !target) {
    throw invalid('channelId', `the customer has written nothing on this ${kind} channel to reply to`);
  }
  if (isPrivate) {
    const blocked = await privateReplyBlocker(db, clock, ws, kind, channel.id, target);
    if (blocked) throw invalid('private', blocked);
  }

  const parts = input.split
    ? checkThreadDraft(input.text, kind, handle, lengthOptions)
    : [checkDraft(input.text, kind, isPrivate, handle, lengthOptions, input.suffix)];
  // A supervisor's own reply is approved by its writer; a logged phone outcome already happened.
  const needsApproval = delivery !== 'logged' && !hasRole(principal.role, 'supervisor');
  const holdReasons = needsApproval ? await holdReasonsFor(db, ws, parts.join('\n'), target, await loadApprovalSettings(db, ws)) : [];
  return {
    workspaceId: ws,
    caseId,
    channelId: channel.id,
    kind,
    delivery,
    isPrivate,
    target,
    parts,
    holdReasons,
    authorUserId: principal.userId,
    senderName: await senderNameOf(db, principal),
    recipientAddress: null,
    privateFallback: false,
    linkBaseUrl: null,
  };
}

/**
 * Why a private reply to this message cannot go out on this channel now, or null: the platform has no private
 * messages (Bluesky, blogs), or Messenger's 24-hour window has closed.
 */
export async function privateReplyBlocker(
  db: Queryable,
  clock: Clock,
  ws: string,
  kind: ChannelKind,
  channelId: string,
  target: TargetMessage | null,
): Promise<string | null> {
  if (!supportsPrivateReply(kind)) return `${kind} has no private replies; answer publicly or choose another channel`;
  if (kind === 'facebook' && target?.author) {
    const last = await findLastInboundAt(db, ws, channelId, target.author.id);
    if (!last || clock.now().getTime() - last.getTime() > messengerWindowMs) {
      return "outside Messenger's 24-hour window: the customer last wrote more than 24 hours ago; answer publicly or by another channel";
    }
  }
  return null;
}

export async function senderNameOf(db: Queryable, principal: Principal): Promise<string> {
  return (await findUser(db, principal.workspaceId, principal.userId))?.name ?? 'agent';
}

export async function holdReasonsFor(db: Queryable, ws: string, text: string, target: TargetMessage | null, settings: ApprovalSettings): Promise<HoldReason[]> {
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

export function initialStatusOf(delivery: DeliveryMode): ReplyStatus {
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

/**
 * Writes a prepared reply in the caller's transaction — each part of a thread as its own reply row, with the outbox
 * row and event of whatever may leave now — and returns the ids, in order. A held reply gets no outbox row until a
 * supervisor approves it; of a thread, only the first part enters the outbox (the worker releases the next).
 */
export async function writeReply(tx: Queryable, prepared: PreparedReply, now: Date): Promise<string[]> {
  const ws = prepared.workspaceId;
  const ids = prepared.parts.map(() => randomUUID());
  const threadId = ids.length > 1 ? randomUUID() : null;
  const held = prepared.holdReasons.length > 0;
  const status: ReplyStatus = held ? 'held' : initialStatusOf(prepared.delivery);
  for (const [i, text] of prepared.parts.entries()) {
    await insertReply(tx, {
      workspaceId: ws,
      id: ids[i],
      caseId: prepared.caseId,
      channelId: prepared.channelId,
      authorUserId: prepared.authorUserId,
      inReplyToMessageId: prepared.target?.id ?? null,
      text,
      isPrivate: prepared.isPrivate,
      delivery: prepared.delivery,
      status,
      holdReasons: prepared.holdReasons,
      at: now,
      thread: threadId ? { id: threadId, part: i + 1, of: ids.length } : null,
      recipientAddress: prepared.recipientAddress,
      privateFallback: prepared.privateFallback,
      linkBaseUrl: prepared.linkBaseUrl,
    });
  }
  const actor = { workspaceId: ws, caseId: prepared.caseId, actorUserId: prepared.authorUserId };
  if (held) {
    for (const id of ids) {
      await appendEvent(tx, { ...actor, type: 'reply.held', data: { replyId: id, reasons: prepared.holdReasons, threadId } });
    }
    return ids;
  }
  if (prepared.delivery === 'logged') {
    await recordSentReply(tx, {
      workspaceId: ws, replyId: ids[0], caseId: prepared.caseId, channelId: prepared.channelId, isPrivate: true, senderName: prepared.senderName,
      replyToExternalId: prepared.target?.externalId ?? null, externalId: `callback:${ids[0]}`, url: null, text: prepared.parts[0],
      at: now, via: 'logged', actorUserId: prepared.authorUserId,
    });
    return ids;
  }
  await releaseParts(tx, {
    workspaceId: ws, caseId: prepared.caseId, channelId: prepared.channelId, delivery: prepared.delivery, at: now,
    actorUserId: prepared.authorUserId, replyIds: ids, threadId,
  });
  return ids;
}

/**
 * A reply (or every part of a thread) may leave: into the outbox for a connector — a thread's first part only, the
 * rest waiting their turn — or to the agent to post by hand.
 */
export async function releaseParts(
  tx: Queryable,
  input: {
    workspaceId: string; caseId: string; channelId: string; delivery: 'connector' | 'manual'; at: Date; actorUserId: string;
    replyIds: string[]; threadId: string | null;
  },
): Promise<void> {
  const actor = { workspaceId: input.workspaceId, caseId: input.caseId, actorUserId: input.actorUserId };
  for (const [i, replyId] of input.replyIds.entries()) {
    const thread = input.threadId ? { threadId: input.threadId, part: i + 1, of: input.replyIds.length } : {};
    if (input.delivery === 'manual') {
      await appendEvent(tx, { ...actor, type: 'reply.awaiting_agent', data: { replyId, reason: 'post it on the site, then confirm with its link', ...thread } });
      continue;
    }
    if (i === 0) {
      await insertOutbox(tx, { workspaceId: input.workspaceId, replyId, channelId: input.channelId, at: input.at });
      await appendEvent(tx, { ...actor, type: 'reply.queued', data: { replyId, channelId: input.channelId, ...thread } });
    } else {
      await appendEvent(tx, { ...actor, type: 'reply.queued', data: { replyId, channelId: input.channelId, ...thread, waitingFor: input.replyIds[i - 1] } });
    }
  }
}
