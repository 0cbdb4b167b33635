import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { ConnectorError } from '../../connector.ts';
import { emailConfigSchema, emailCredentialsOf } from './email.config.ts';
import { emailConnectorError } from './email.errors.ts';

export interface EmailReply {
  to: string;
  subject: string;
  text: string;
  /** The Message-ID being answered (`<id@host>`), i.e. the external id of the customer's email. */
  inReplyTo?: string;
  /** The thread's earlier Message-IDs, oldest first; the answered one is appended when missing. */
  references?: string[];
}

export interface EmailSendChannel {
  config: Record<string, unknown>;
  credentials: Record<string, string>;
}

/** "Re: " once, whatever the customer's client put there already. */
export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  return /^re:/i.test(trimmed) ? trimmed : `Re: ${trimmed || '(no subject)'}`;
}

/**
 * Sends one reply through the channel's SMTP server, threaded with In-Reply-To and References, and returns the
 * Message-ID it was sent with (the external id of the brand's message, so the customer's answer threads back).
 * Failures are thrown as ConnectorError (auth, network, permission, protocol, config); nothing is retried here.
 */
export async function sendEmailReply(channel: EmailSendChannel, reply: EmailReply): Promise<{ messageId: string }> {
  const parsed = emailConfigSchema.safeParse(channel.config);
  if (!parsed.success || !parsed.data.smtp) throw new ConnectorError('config', 'the email channel has no valid SMTP settings');
  const config = parsed.data;
  const smtp = parsed.data.smtp;
  const credentials = emailCredentialsOf(channel.credentials);
  const domain = config.address.split('@')[1] ?? 'parley.invalid';
  const messageId = `<${randomUUID()}@${domain}>`;
  const references = [...(reply.references ?? [])];
  if (reply.inReplyTo && !references.includes(reply.inReplyTo)) references.push(reply.inReplyTo);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    auth: credentials?.smtpUser && credentials.smtpPassword ? { user: credentials.smtpUser, pass: credentials.smtpPassword } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: config.fromName ? { name: config.fromName, address: config.address } : config.address,
      to: reply.to,
      subject: replySubject(reply.subject),
      text: reply.text,
      messageId,
      inReplyTo: reply.inReplyTo,
      references: references.length > 0 ? references : undefined,
      headers: { 'Auto-Submitted': 'no' },
    });
    return { messageId };
  } catch (error) {
    throw emailConnectorError(error, 'SMTP');
  } finally {
    transport.close();
  }
}
