import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { hashToken } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { webformConfigOf } from '../channels/index.ts';
import type { WebformConfig } from '../channels/index.ts';
import { appendEvent } from '../events/index.ts';
import { findPersonalData } from './composer/index.ts';
import { checkPrivateLinkToken, issuePrivateLinkToken, privateLinkTokenPattern } from './private-link.token.ts';
import { findPrivateLinkByTokenHash, insertPrivateLink, markPrivateLinkUsed } from './private-link.repository.ts';

/**
 * Secure links to a private web-form conversation about one case: posted in public where the customer cannot be
 * messaged privately. The page shows the brand's private message and takes the customer's answer, with an email
 * address for the replies; it never shows what the customer wrote, as anyone who reads the public post can open it.
 */

/** The page's greeting when the agent's private message held personal data it must not show. */
export const genericIntroduction =
  'Thanks for getting in touch. Tell us what happened here — only our care team will read it — and we will answer you by email.';

export interface CreatedLink {
  id: string;
  url: string;
  expiresAt: Date;
}

/** Where links are served: the web form's `publicUrl`, else PARLEY_PUBLIC_URL. */
export function linkBaseOf(webformConfig: Record<string, unknown>, fallback: string | null | undefined): string | null {
  const base = webformConfigOf(webformConfig).publicUrl ?? fallback ?? null;
  return base ? base.replace(/\/+$/, '') : null;
}

/** The page's own text for the private message: shown only when it carries no personal data. */
export function introductionOf(privateText: string): string | null {
  return findPersonalData(privateText).length === 0 ? privateText : null;
}

/** A token and its URL, before anything is stored (the public post that carries it is checked first). */
export function draftPrivateLink(
  secretKey: Buffer,
  input: { workspaceId: string; caseId: string; channelConfig: Record<string, unknown>; baseUrl: string; now: Date },
): { id: string; token: string; url: string; expiresAt: Date } {
  const hours = webformConfigOf(input.channelConfig).privateLinkHours;
  const expiresAt = new Date(input.now.getTime() + hours * 3_600_000);
  const token = issuePrivateLinkToken(secretKey, { workspaceId: input.workspaceId, caseId: input.caseId, expiresAt });
  return { id: randomUUID(), token, url: `${input.baseUrl}/p/${token}`, expiresAt };
}

/** Stores a drafted link in the caller's transaction: only the token's hash is kept. */
export async function storePrivateLink(
  tx: Queryable,
  link: { id: string; token: string; expiresAt: Date },
  input: { workspaceId: string; caseId: string; channelId: string; introText: string | null; createdBy: string | null; now: Date },
): Promise<void> {
  await insertPrivateLink(tx, {
    workspaceId: input.workspaceId,
    id: link.id,
    caseId: input.caseId,
    channelId: input.channelId,
    tokenHash: hashToken(link.token),
    introText: input.introText,
    createdBy: input.createdBy,
    at: input.now,
    expiresAt: link.expiresAt,
  });
}

/** A private conversation as its public page sees it. */
export interface PrivateConversation {
  workspaceId: string;
  linkId: string;
  caseId: string;
  channel: { id: string; kind: 'webform'; name: string; owned: boolean; config: WebformConfig };
  introduction: string;
  expiresAt: Date;
}

const gone = () => new AppError('not_found', 'this private link does not exist or has expired; write to us publicly and we will send a new one');

/**
 * The conversation a token opens, or "not found" — the same answer for a malformed, unknown, forged or expired token
 * and for a web form that was disabled since, so the link space reveals nothing.
 */
export async function openPrivateLink(db: Queryable, secretKey: Buffer, token: string, now: Date): Promise<PrivateConversation> {
  if (!privateLinkTokenPattern.test(token)) throw gone();
  const row = await findPrivateLinkByTokenHash(db, hashToken(token));
  if (!row) throw gone();
  const binding = { workspaceId: row.workspace_id, caseId: row.case_id, expiresAt: row.expires_at };
  if (!checkPrivateLinkToken(secretKey, token, binding)) throw gone();
  if (row.expires_at.getTime() <= now.getTime()) throw gone();
  if (row.channel_kind !== 'webform' || row.channel_config.enabled === false) throw gone();
  return {
    workspaceId: row.workspace_id,
    linkId: row.id,
    caseId: row.case_id,
    channel: { id: row.channel_id, kind: 'webform', name: row.channel_name, owned: row.channel_owned, config: webformConfigOf(row.channel_config) },
    introduction: row.intro_text ?? genericIntroduction,
    expiresAt: row.expires_at,
  };
}

/** The customer wrote through the link: counted, and recorded on the case. */
export async function recordPrivateLinkReply(db: Db, conversation: PrivateConversation, messageId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await markPrivateLinkUsed(tx, conversation.workspaceId, conversation.linkId, now);
    await appendEvent(tx, {
      workspaceId: conversation.workspaceId,
      type: 'reply.private_link_used',
      caseId: conversation.caseId,
      data: { linkId: conversation.linkId, messageId, channelId: conversation.channel.id },
    });
  });
}

