import type { Principal } from '../accounts/index.ts';
import { hasRole } from '../accounts/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findCase } from '../cases/index.ts';
import { channelKinds } from '../channels/index.ts';
import type { ChannelKind } from '../channels/index.ts';
import { appendEvent } from '../events/index.ts';
import { assertNoPersonalData } from './reply.draft.ts';
import { findLatestInbound, findReplyChannel, loadApprovalSettings } from './reply.repository.ts';
import { getReply } from './reply.service.ts';
import type { ReplyDeps } from './reply.service.ts';
import { holdReasonsFor, isPrivateByNature, prepareReply, senderNameOf, writeReply } from './reply.writer.ts';
import type { PreparedReply } from './reply.writer.ts';
import {
  chooseRoute,
  defaultAcknowledgement,
  emailAcknowledgement,
  linkAcknowledgement,
  prepareEmailTo,
  privateRoutesOf,
} from './private-move.plan.ts';
import type { PrivateRoute } from './private-move.plan.ts';
import { draftPrivateLink, storePrivateLink } from './private-link.service.ts';
import type { ReplyView } from './reply.types.ts';

export interface MovePrivateInput {
  /** The short public answer; a default acknowledgement for the route when omitted. */
  acknowledgement?: string;
  /** What is said in private: where account details can be asked for and given. */
  privateText: string;
  /** How to go private; `auto` (the default) takes the first possible of dm, email and link. */
  via?: PrivateRoute | 'auto';
}

export interface MovePrivateDeps extends ReplyDeps {
  secretKey: Buffer;
  /** PARLEY_PUBLIC_URL: where secure links point unless the web form channel names its own publicUrl. */
  publicUrl: string | undefined;
}

/** What moving to private did. */
export interface PrivateMoveView {
  route: PrivateRoute;
  public: ReplyView;
  /** The direct message or email; null for a secure link, whose private part waits on the link's page. */
  private: ReplyView | null;
  link: { id: string; url: string; expiresAt: string } | null;
}

function isChannelKind(kind: string): kind is ChannelKind {
  return (channelKinds as readonly string[]).includes(kind);
}

/**
 * Public to private in one action: a short public acknowledgement under the customer's post, and the conversation
 * carried on privately — in the platform's direct messages (X DM, Mastodon direct status, Messenger); where those
 * are closed (Bluesky, Messenger after 24 hours), by email to the customer's known address; else through a secure
 * link in the acknowledgement to a private web-form conversation about this case. Every draft is checked before
 * anything is written, and everything is written in one transaction with its events.
 */
export async function moveToPrivate(deps: MovePrivateDeps, principal: Principal, caseId: string, input: MovePrivateInput): Promise<PrivateMoveView> {
  const ws = principal.workspaceId;
  if (!(await findCase(deps.db, ws, caseId))) throw notFound('case');
  const target = await findLatestInbound(deps.db, ws, caseId, null);
  if (!target) throw notFound('a customer message on this case');
  const channel = await findReplyChannel(deps.db, ws, target.channelId);
  if (!channel || !isChannelKind(channel.kind)) throw notFound('channel');
  const kind = channel.kind;
  if (!target.isPublic || isPrivateByNature(kind)) {
    throw new AppError('validation_failed', 'the conversation is already private; reply to it directly', [{ path: 'caseId', message: 'already private' }]);
  }
  const options = await privateRoutesOf(deps.db, deps.clock, { workspaceId: ws, caseId, kind, channelId: channel.id, target, publicUrl: deps.publicUrl });
  const route = chooseRoute(input.via ?? 'auto', options);
  const custom = input.acknowledgement?.trim();
  const answer = { channelId: channel.id, inReplyToMessageId: target.id };
  const now = deps.clock.now();

  let publicReply: PreparedReply;
  let privateReply: PreparedReply | null = null;
  let link: ReturnType<typeof draftPrivateLink> | null = null;
  let linkChannelId: string | null = null;
  let emailIdentityId: string | null = null;
  switch (route) {
    case 'dm':
      publicReply = await prepareReply(deps.db, deps.clock, principal, caseId, { ...answer, text: custom || defaultAcknowledgement });
      privateReply = {
        ...(await prepareReply(deps.db, deps.clock, principal, caseId, { ...answer, text: input.privateText, private: true })),
        privateFallback: true,
        linkBaseUrl: options.linkBase,
      };
      break;
    case 'email': {
      if (!options.email.ok) throw new Error('email route chosen without an address');
      const email = options.email.value;
      publicReply = await prepareReply(deps.db, deps.clock, principal, caseId, { ...answer, text: custom || emailAcknowledgement });
      const holds = hasRole(principal.role, 'supervisor') ? [] : await holdReasonsFor(deps.db, ws, input.privateText, target, await loadApprovalSettings(deps.db, ws));
      privateReply = prepareEmailTo({
        workspaceId: ws, caseId, channelId: email.channel.id, address: email.address, text: input.privateText,
        authorUserId: principal.userId, senderName: await senderNameOf(deps.db, principal), holdReasons: holds,
      });
      emailIdentityId = email.identityId;
      break;
    }
    case 'link': {
      if (!options.link.ok) throw new Error('link route chosen without a web form');
      const { channel: webform, baseUrl } = options.link.value;
      // Whoever reads the public post can open the link: the page may ask for details, never show them.
      assertNoPersonalData(input.privateText, 'privateText', 'the private message is shown to whoever opens the link posted in public, and it');
      link = draftPrivateLink(deps.secretKey, { workspaceId: ws, caseId, channelConfig: webform.config, baseUrl, now });
      linkChannelId = webform.id;
      publicReply = await prepareReply(deps.db, deps.clock, principal, caseId, { ...answer, text: custom || linkAcknowledgement, suffix: ` ${link.url}` });
      break;
    }
    default: {
      const unreachable: never = route;
      throw new Error(`unknown private route ${String(unreachable)}`);
    }
  }

  const ids = await deps.db.transaction(async (tx) => {
    const [publicId] = await writeReply(tx, publicReply, now);
    const [privateId] = privateReply ? await writeReply(tx, privateReply, now) : [null];
    if (link && linkChannelId) {
      await storePrivateLink(tx, link, { workspaceId: ws, caseId, channelId: linkChannelId, introText: input.privateText, createdBy: principal.userId, now });
    }
    await appendEvent(tx, {
      workspaceId: ws,
      type: 'reply.moved_private',
      caseId,
      actorUserId: principal.userId,
      data: {
        route,
        publicReplyId: publicId,
        privateReplyId: privateId,
        privateChannelId: privateReply?.channelId ?? linkChannelId,
        emailIdentityId,
        linkId: link?.id ?? null,
        linkExpiresAt: link?.expiresAt.toISOString() ?? null,
      },
    });
    return { publicId, privateId };
  });
  deps.notifier.notify(ws);
  return {
    route,
    public: await getReply(deps.db, principal, ids.publicId),
    private: ids.privateId ? await getReply(deps.db, principal, ids.privateId) : null,
    link: link ? { id: link.id, url: link.url, expiresAt: link.expiresAt.toISOString() } : null,
  };
}
