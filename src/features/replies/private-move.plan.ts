import type { Queryable } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { ChannelKind } from '../channels/index.ts';
import { checkDraft } from './reply.draft.ts';
import { privateReplyBlocker } from './reply.writer.ts';
import type { PreparedReply } from './reply.writer.ts';
import type { TargetMessage } from './reply.repository.ts';
import { findCaseCustomerEmail, findFirstEnabledChannel } from './private-link.repository.ts';
import type { PrivateChannel } from './private-link.repository.ts';
import { linkBaseOf } from './private-link.service.ts';
import type { HoldReason } from './reply.types.ts';

/**
 * Where a public conversation can go private, in the order Parley tries them: the platform's own direct messages;
 * an email to the customer's known address; a secure link, posted in public, to a private web-form conversation.
 */
export const privateRoutes = ['dm', 'email', 'link'] as const;
export type PrivateRoute = (typeof privateRoutes)[number];

export const defaultAcknowledgement = "Sorry about this — we've sent you a private message so we can look into your account safely.";
export const emailAcknowledgement = "Sorry about this — we've emailed you so we can look into your account safely.";
export const linkAcknowledgement = 'Sorry about this — so we can look into your account safely, please continue privately here:';
/** Posted under the customer's post when a direct message was refused and no email address is known. */
export const refusedDmFollowUp = "We couldn't send you a private message — please continue privately here:";

type Possible<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface PrivateRouteOptions {
  dm: Possible<null>;
  email: Possible<{ identityId: string; address: string; channel: PrivateChannel }>;
  link: Possible<{ channel: PrivateChannel; baseUrl: string }>;
  /** Where a secure link would point, kept on a DM in case the platform refuses it later. */
  linkBase: string | null;
}

/** What is possible for this case now, and why not where it is not. */
export async function privateRoutesOf(
  db: Queryable,
  clock: Clock,
  input: { workspaceId: string; caseId: string; kind: ChannelKind; channelId: string; target: TargetMessage; publicUrl: string | undefined },
): Promise<PrivateRouteOptions> {
  const ws = input.workspaceId;
  const hasDms = input.kind === 'x' || input.kind === 'mastodon' || input.kind === 'facebook';
  const blocked = hasDms
    ? await privateReplyBlocker(db, clock, ws, input.kind, input.channelId, input.target)
    : `${input.kind} has no direct messages Parley can send`;

  const [address, emailChannel, webform] = await Promise.all([
    findCaseCustomerEmail(db, ws, input.caseId),
    findFirstEnabledChannel(db, ws, 'email'),
    findFirstEnabledChannel(db, ws, 'webform'),
  ]);
  let email: PrivateRouteOptions['email'];
  if (!address) email = { ok: false, reason: 'the customer has no known email address' };
  else if (!emailChannel) email = { ok: false, reason: 'there is no enabled email channel with SMTP settings to send from' };
  else email = { ok: true, value: { identityId: address.identityId, address: address.address, channel: emailChannel } };

  const linkBase = webform ? linkBaseOf(webform.config, input.publicUrl) : (input.publicUrl?.replace(/\/+$/, '') ?? null);
  let link: PrivateRouteOptions['link'];
  if (!webform) link = { ok: false, reason: 'there is no enabled web form channel to host a secure link' };
  else if (!linkBase) link = { ok: false, reason: "no public URL is known for secure links (set PARLEY_PUBLIC_URL or the web form channel's publicUrl)" };
  else link = { ok: true, value: { channel: webform, baseUrl: linkBase } };

  return { dm: blocked ? { ok: false, reason: blocked } : { ok: true, value: null }, email, link, linkBase };
}

/** The route asked for (or, for `auto`, the first possible), or a 422 saying what stands in the way. */
export function chooseRoute(via: PrivateRoute | 'auto', options: PrivateRouteOptions): PrivateRoute {
  if (via !== 'auto') {
    const option = options[via];
    if (option.ok) return via;
    throw new AppError('validation_failed', `cannot move to private by ${via}: ${option.reason}`, [{ path: 'via', message: option.reason }]);
  }
  const first = privateRoutes.find((route) => options[route].ok);
  if (first) return first;
  const reasons = privateRoutes.map((route) => {
    const option = options[route];
    return { path: `via.${route}`, message: option.ok ? '' : option.reason };
  });
  throw new AppError(
    'validation_failed',
    `cannot move this conversation to private: ${reasons.map((r) => r.message).join('; ')}. Add the customer's email address or set up a web form channel`,
    reasons,
  );
}

/** The private part as an email to a known address (it answers no message on the email channel). */
export function prepareEmailTo(input: {
  workspaceId: string;
  caseId: string;
  channelId: string;
  address: string;
  text: string;
  authorUserId: string;
  senderName: string;
  holdReasons: HoldReason[];
}): PreparedReply {
  return {
    workspaceId: input.workspaceId,
    caseId: input.caseId,
    channelId: input.channelId,
    kind: 'email',
    delivery: 'connector',
    isPrivate: true,
    target: null,
    parts: [checkDraft(input.text, 'email', true, null)],
    holdReasons: input.holdReasons,
    authorUserId: input.authorUserId,
    senderName: input.senderName,
    recipientAddress: input.address,
    privateFallback: false,
    linkBaseUrl: null,
  };
}
