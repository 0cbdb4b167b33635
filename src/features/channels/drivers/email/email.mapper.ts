import { createHash } from 'node:crypto';
import type { InboundMessage } from '../../../ingest/index.ts';
import { buildInboundMessage, toIsoTime } from '../shared/inbound.builder.ts';
import { collapseWhitespace, htmlToText } from '../shared/html-text.converter.ts';
import type { ParsedEmail } from './email.parser.ts';

/**
 * An email → a private message from the sender's address. Threading: the Message-ID is the external id; the
 * message answers In-Reply-To, or else the last References entry. Automated mail (bounces, auto-replies, bulk) is
 * recognised and skipped, so it never opens a case.
 */

export type EmailMapping = { kind: 'message'; message: InboundMessage } | { kind: 'skip'; reason: string };

/** The longest HTML body converted; beyond it the rest of a huge marketing mail adds nothing. */
const maxHtmlChars = 1_000_000;

/** Why this is mail no person wrote to the brand, or null. */
export function automatedReason(email: ParsedEmail): string | null {
  if (email.contentType.startsWith('multipart/report')) return 'delivery or disposition report';
  const autoSubmitted = email.headers.get('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = email.headers.get('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (email.headers.has('x-autoreply') || email.headers.has('x-autorespond')) return 'auto-reply';
  const from = email.from?.address.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return 'bounce from a mail server';
  return null;
}

/** The new words of a reply: a trailing quoted block ("On … wrote:" then "> …" lines) is cut. */
export function stripTrailingQuote(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  while (end > 0 && (lines[end - 1].trim() === '' || lines[end - 1].startsWith('>'))) end -= 1;
  if (end === lines.length) return text;
  const attribution = end > 0 && /^(on\b.*wrote:|.*\bwrote:)$/i.test(lines[end - 1].trim()) ? end - 1 : end;
  const kept = lines.slice(0, attribution).join('\n').trim();
  return kept.length > 0 ? kept : text;
}

export function bodyTextOf(email: ParsedEmail): { text: string; htmlOnly: boolean } {
  if (email.text) return { text: collapseWhitespace(stripTrailingQuote(email.text)), htmlOnly: false };
  if (email.html) return { text: stripTrailingQuote(htmlToText(email.html.slice(0, maxHtmlChars))), htmlOnly: true };
  return { text: '', htmlOnly: false };
}

/** External ids are at most 256 characters; a longer Message-ID is hashed. */
function externalIdOf(id: string): string {
  return id.length <= 256 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

export interface EmailMapOptions {
  /** The brand's own addresses: mail from them is the brand talking (a Sent copy), never a customer. */
  ownAddresses: ReadonlySet<string>;
  now: Date;
  /** The raw source, hashed into an id for the rare message without a Message-ID. */
  source: Buffer | string;
  /** Where the message was read from (mailbox, UID), kept in raw. */
  origin?: Record<string, unknown>;
}

export function mapEmail(email: ParsedEmail, options: EmailMapOptions): EmailMapping {
  const automated = automatedReason(email);
  if (automated) return { kind: 'skip', reason: automated };
  if (!email.from) return { kind: 'skip', reason: 'no sender address' };
  const address = email.from.address.trim().toLowerCase();
  if (options.ownAddresses.has(address)) return { kind: 'skip', reason: 'sent by the brand' };
  const { text: body, htmlOnly } = bodyTextOf(email);
  const subject = collapseWhitespace(email.subject);
  const attachments = email.attachments;
  const attachmentNote = body || attachments.length === 0 ? '' : `(attachments only: ${attachments.map((a) => a.filename ?? a.contentType).join(', ')})`;
  const text = [subject, body || attachmentNote].filter((part) => part.length > 0).join('\n\n') || '(empty email)';
  const externalId = email.messageId
    ? externalIdOf(email.messageId)
    : `sha256:${createHash('sha256').update(options.source).digest('hex')}`;
  const parent = email.inReplyTo ?? email.references.at(-1) ?? null;
  const message = buildInboundMessage({
    externalId,
    direction: 'inbound',
    text,
    author: { platform: 'email', externalId: address, handle: address, displayName: collapseWhitespace(email.from.name) || undefined },
    replyToExternalId: parent && parent !== email.messageId ? externalIdOf(parent) : undefined,
    isPublic: false,
    sentAt: toIsoTime(email.date?.toISOString(), options.now, options.now),
    raw: {
      source: 'email',
      messageId: email.messageId,
      inReplyTo: email.inReplyTo,
      references: email.references.slice(-20),
      subject,
      from: address,
      to: email.to.slice(0, 50),
      cc: email.cc.slice(0, 50),
      htmlOnly,
      attachments: attachments.slice(0, 100),
      ...options.origin,
    },
  });
  return message ? { kind: 'message', message } : { kind: 'skip', reason: 'the email does not make a valid message' };
}
