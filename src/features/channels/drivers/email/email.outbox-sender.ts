import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { ReconcileOutcome, SendConnector, SendRequest } from '../../send-connector.ts';
import { SendError, configString } from '../../send-connector.ts';

/**
 * Email replies over SMTP (also web-form replies, which answer the address the form was sent from): "Re: <subject>",
 * In-Reply-To and References so the customer's mail client threads it, and a Message-ID derived from the reply id.
 *
 * Exactly once, as far as mail allows: SMTP cannot be asked whether a message went out, but every attempt carries
 * the same Message-ID, which mail clients and archives de-duplicate — and a private email is never a second public
 * post — so an interrupted attempt is simply sent again.
 */

const smtpSchema = z.object({
  host: z.string().min(1).max(255),
  port: z.coerce.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false),
  /** Refuse to send without STARTTLS (off only for local test servers). */
  requireTls: z.boolean().default(true),
});

const address = z.string().email().max(320);
const addressLike = z.union([
  address,
  z.object({ address }).transform((a) => a.address),
  z.array(z.object({ address })).min(1).transform((a) => a[0].address),
  z.object({ value: z.array(z.object({ address })).min(1) }).transform((a) => a.value[0].address),
]);

const rawEmailSchema = z
  .object({
    messageId: z.string().max(1000).optional(),
    subject: z.string().max(2000).optional(),
    from: addressLike.optional(),
    replyTo: addressLike.optional(),
    email: address.optional(),
    references: z.union([z.string().max(20_000), z.array(z.string().max(1000)).max(200)]).optional(),
  })
  .loose();

export interface EmailReplyHeaders {
  to: string;
  subject: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
}

function messageIdPart(value: string): string | null {
  const match = /<[^<>\s]+@[^<>\s]+>/.exec(value);
  return match ? match[0] : null;
}

/**
 * Who the reply goes to and how it threads, from the message being answered — or, for an email that answers no
 * message on this channel (move-private writing to a customer's known address), the recipient the reply names.
 */
export function emailReplyHeadersOf(request: SendRequest, fromAddress: string): EmailReplyHeaders {
  const domain = fromAddress.split('@')[1] ?? 'parley.invalid';
  const messageId = `<reply-${request.replyId}@${domain}>`;
  if (request.recipient) {
    const recipient = address.safeParse(request.recipient);
    if (!recipient.success) throw new SendError('rejected', 'the reply\'s recipient is not an email address');
    const subject = request.subject.replace(/[\r\n]+/g, ' ').trim().slice(0, 200) || 'your message';
    return { to: recipient.data, subject, messageId, inReplyTo: null, references: [] };
  }
  const target = request.target;
  const raw = rawEmailSchema.safeParse(target?.raw);
  const data = raw.success ? raw.data : {};
  const authorAddress = address.safeParse(target?.author?.externalId);
  const to = data.replyTo ?? data.from ?? data.email ?? (authorAddress.success ? authorAddress.data : null);
  if (!to) throw new SendError('rejected', 'the message being answered has no email address to reply to');
  const parentId = (data.messageId && messageIdPart(data.messageId)) ?? (target ? messageIdPart(target.externalId) : null);
  const earlier = typeof data.references === 'string' ? (data.references.match(/<[^<>\s]+@[^<>\s]+>/g) ?? []) : (data.references ?? []).map((r) => messageIdPart(r)).filter((r): r is string => r !== null);
  const references = [...earlier, ...(parentId ? [parentId] : [])].slice(-20);
  const baseSubject = (data.subject ?? request.subject).replace(/[\r\n]+/g, ' ').trim() || 'your message';
  const subject = /^re:/i.test(baseSubject) ? baseSubject : `Re: ${baseSubject}`;
  return { to, subject, messageId, inReplyTo: parentId, references };
}

interface SmtpFailure {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

export function emailErrorOf(error: unknown): SendError {
  const failure: SmtpFailure = typeof error === 'object' && error !== null ? error : {};
  const code = typeof failure.code === 'string' ? failure.code : '';
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  const said = typeof failure.response === 'string' ? failure.response : typeof failure.message === 'string' ? failure.message : 'unknown error';
  if (code === 'EAUTH' || responseCode === 535 || responseCode === 534 || responseCode === 530) {
    return new SendError('auth', `the mail server refused the channel's login: ${said}`, { status: responseCode });
  }
  if (responseCode !== undefined && responseCode >= 500) return new SendError('rejected', `the mail server refused the reply: ${said}`, { status: responseCode });
  if (responseCode !== undefined && responseCode >= 400) return new SendError('temporary', `the mail server deferred the reply: ${said}`, { status: responseCode });
  // Before the server accepted DATA nothing was delivered; a socket that dies after it may have delivered.
  const beforeSending = code === 'ECONNECTION' || code === 'EDNS' || code === 'ETLS' || code === 'EENVELOPE';
  return new SendError('temporary', `the mail server could not be reached: ${said}`, { ambiguous: !beforeSending, cause: error });
}

export function createEmailSender(): SendConnector {
  return {
    async send(request, signal) {
      const smtp = smtpSchema.safeParse(request.channel.config.smtp);
      if (!smtp.success) throw new SendError('rejected', 'the email channel has no usable smtp setting ({ host, port, secure })');
      const fromAddress = configString(request.channel.config, 'fromAddress', '');
      if (!address.safeParse(fromAddress).success) throw new SendError('rejected', 'the email channel has no fromAddress setting');
      const headers = emailReplyHeadersOf(request, fromAddress);
      const user = request.channel.credentials.smtpUser;
      const pass = request.channel.credentials.smtpPassword;
      const transport = nodemailer.createTransport({
        host: smtp.data.host,
        port: smtp.data.port,
        secure: smtp.data.secure,
        requireTLS: smtp.data.requireTls && !smtp.data.secure,
        auth: user && pass ? { user, pass } : undefined,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      });
      const abort = () => transport.close();
      signal.addEventListener('abort', abort, { once: true });
      try {
        const fromName = configString(request.channel.config, 'fromName', request.channel.name);
        const info = await transport.sendMail({
          from: { name: fromName, address: fromAddress },
          to: headers.to,
          subject: headers.subject,
          text: request.text,
          messageId: headers.messageId,
          inReplyTo: headers.inReplyTo ?? undefined,
          references: headers.references.length > 0 ? headers.references : undefined,
          headers: { 'Auto-Submitted': 'no' },
        });
        const rejected = Array.isArray(info.rejected) ? info.rejected.length : 0;
        if (rejected > 0) throw new SendError('rejected', `the mail server refused the recipient ${headers.to}`);
        return { externalId: headers.messageId, url: null, text: request.text, raw: { messageId: headers.messageId, to: headers.to, subject: headers.subject } };
      } catch (error) {
        throw error instanceof SendError ? error : emailErrorOf(error);
      } finally {
        signal.removeEventListener('abort', abort);
        transport.close();
      }
    },

    async reconcile(): Promise<ReconcileOutcome> {
      return { state: 'safe_to_send' };
    },
  };
}
