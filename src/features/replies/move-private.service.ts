import type { Principal } from '../accounts/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { channelKinds, supportsPrivateReply } from '../channels/index.ts';
import type { ChannelKind } from '../channels/index.ts';
import { findReplyChannel, findLatestInbound } from './reply.repository.ts';
import { checkDraft, createReply } from './reply.service.ts';
import type { ReplyDeps } from './reply.service.ts';
import type { ReplyView } from './reply.types.ts';

export interface MovePrivateInput {
  /** The short public answer; a default acknowledgement when omitted. */
  acknowledgement?: string;
  /** What is said in private: where account details can be asked for and given. */
  privateText: string;
}

export const defaultAcknowledgement = "Sorry about this — we've sent you a private message so we can look into your account safely.";

/**
 * Public to private in one action: a short public acknowledgement under the customer's post, and the conversation
 * carried on in the platform's private channel (X DM, Mastodon direct status, Messenger). Both drafts are checked
 * before either is written, so the action never leaves half done by a rule the second reply would break.
 */
export async function moveToPrivate(deps: ReplyDeps, principal: Principal, caseId: string, input: MovePrivateInput): Promise<{ public: ReplyView; private: ReplyView }> {
  const ws = principal.workspaceId;
  const target = await findLatestInbound(deps.db, ws, caseId, null);
  if (!target) throw notFound('a customer message on this case');
  const channel = await findReplyChannel(deps.db, ws, target.channelId);
  if (!channel) throw notFound('channel');
  const kind = channelKinds.find((k): k is ChannelKind => k === channel.kind);
  if (!kind) throw notFound('channel');
  if (!target.isPublic) {
    throw new AppError('validation_failed', 'the conversation is already private; reply to it directly', [{ path: 'caseId', message: 'already private' }]);
  }
  if (!supportsPrivateReply(kind) || kind === 'email' || kind === 'phone' || kind === 'webform') {
    throw new AppError(
      'validation_failed',
      `${kind} has no private messages Parley can send; answer publicly without personal details and ask the customer to email or call`,
      [{ path: 'channel', message: `no private channel on ${kind}` }],
    );
  }
  const acknowledgement = input.acknowledgement?.trim() || defaultAcknowledgement;
  const handle = target.author?.handle ?? null;
  checkDraft(acknowledgement, kind, false, handle);
  checkDraft(input.privateText, kind, true, handle);
  const publicReply = await createReply(deps, principal, caseId, { text: acknowledgement, channelId: channel.id, inReplyToMessageId: target.id });
  const privateReply = await createReply(deps, principal, caseId, { text: input.privateText, channelId: channel.id, private: true, inReplyToMessageId: target.id });
  return { public: publicReply, private: privateReply };
}
