import type { Queryable } from '../../platform/db/db.ts';
import type { ChannelKind } from '../channels/index.ts';
import { appendEvent } from '../events/index.ts';
import { composerChannelFor, measureLength, withRequiredMentions } from './composer/index.ts';
import { lengthOptionsOf } from './reply.draft.ts';
import { findTargetMessage } from './reply.repository.ts';
import { writeReply } from './reply.writer.ts';
import { prepareEmailTo, refusedDmFollowUp } from './private-move.plan.ts';
import { findCaseCustomerEmail, findFirstEnabledChannel } from './private-link.repository.ts';
import { draftPrivateLink, introductionOf, linkBaseOf, storePrivateLink } from './private-link.service.ts';

/** A move-private direct message the platform refused for good (the customer's DMs are closed, say). */
export interface RefusedDm {
  workspaceId: string;
  caseId: string;
  replyId: string;
  channelId: string;
  channelKind: ChannelKind;
  channelConfig: Record<string, unknown>;
  authorUserId: string;
  senderName: string;
  text: string;
  inReplyToMessageId: string | null;
  linkBaseUrl: string | null;
}

export type FallbackRoute = 'email' | 'link' | 'none';

/**
 * In the transaction that records the refusal, the conversation still goes private: by email to the customer's
 * known address (nothing more is said in public: the acknowledgement already went out), else by a second public
 * post with a secure link to a private web-form conversation. What happened is a `reply.private_fallback` event.
 * No rule holds these: the agent's words were already checked, and the link post is Parley's own.
 */
export async function fallBackFromRefusedDm(tx: Queryable, secretKey: Buffer, dm: RefusedDm, refusal: string, now: Date): Promise<FallbackRoute> {
  const ws = dm.workspaceId;
  const target = dm.inReplyToMessageId ? await findTargetMessage(tx, ws, dm.inReplyToMessageId) : null;
  const handle = target?.author?.handle ?? null;
  const privateText = withoutLeadingMention(dm.text, handle);
  const base = { workspaceId: ws, caseId: dm.caseId, authorUserId: dm.authorUserId, senderName: dm.senderName, holdReasons: [] };
  const event = (data: Record<string, unknown>) =>
    appendEvent(tx, { workspaceId: ws, type: 'reply.private_fallback', caseId: dm.caseId, data: { failedReplyId: dm.replyId, refusal, ...data } });

  const [address, emailChannel] = await Promise.all([findCaseCustomerEmail(tx, ws, dm.caseId), findFirstEnabledChannel(tx, ws, 'email')]);
  if (address && emailChannel) {
    const [replyId] = await writeReply(tx, prepareEmailTo({ ...base, channelId: emailChannel.id, address: address.address, text: privateText }), now);
    await event({ route: 'email', replyId, emailIdentityId: address.identityId });
    return 'email';
  }

  const webform = await findFirstEnabledChannel(tx, ws, 'webform');
  const linkBase = webform ? linkBaseOf(webform.config, dm.linkBaseUrl) : null;
  if (!webform || !linkBase || !target) {
    const why = !address ? 'the customer has no known email address' : 'there is no enabled email channel to send from';
    const noLink = !webform ? 'no web form channel for a secure link' : !linkBase ? 'no public URL for a secure link' : 'no public post to answer';
    await event({ route: 'none', reason: `${why}, and ${noLink}` });
    return 'none';
  }
  const link = draftPrivateLink(secretKey, { workspaceId: ws, caseId: dm.caseId, channelConfig: webform.config, baseUrl: linkBase, now });
  const channel = composerChannelFor(dm.channelKind);
  const text = withRequiredMentions(`${refusedDmFollowUp} ${link.url}`, channel, handle);
  if (!measureLength(text, channel, lengthOptionsOf(dm.channelConfig)).ok) {
    await event({ route: 'none', reason: 'the secure link does not fit in a post on this platform' });
    return 'none';
  }
  const [replyId] = await writeReply(
    tx,
    {
      ...base,
      channelId: dm.channelId,
      kind: dm.channelKind,
      delivery: 'connector',
      isPrivate: false,
      target,
      parts: [text],
      recipientAddress: null,
      privateFallback: false,
      linkBaseUrl: null,
    },
    now,
  );
  const introText = introductionOf(privateText);
  await storePrivateLink(tx, link, { workspaceId: ws, caseId: dm.caseId, channelId: webform.id, introText, createdBy: dm.authorUserId, now });
  await event({ route: 'link', replyId, linkId: link.id, linkExpiresAt: link.expiresAt.toISOString(), introductionShown: introText !== null });
  return 'link';
}

/** Mastodon's DM carried the customer's @handle, which an email or a web page does not need. */
function withoutLeadingMention(text: string, handle: string | null): string {
  if (!handle) return text;
  const mention = `@${handle.replace(/^@/, '')}`;
  return text.toLowerCase().startsWith(`${mention.toLowerCase()} `) ? text.slice(mention.length + 1) : text;
}
