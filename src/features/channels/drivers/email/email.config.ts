import { z } from 'zod';

const host = z.string().trim().min(1).max(255);
const port = z.number().int().min(1).max(65_535);

/** channel.config of an email channel (docs/CHANNELS.md); the passwords live in the sealed credentials. */
export const emailConfigSchema = z.object({
  /** The inbox's own address: the From of replies; mail from it (a Sent copy) is never a customer message. */
  address: z.email().max(254),
  fromName: z.string().trim().min(1).max(200).optional(),
  /** More addresses that are the brand (aliases, other team inboxes). */
  ownAddresses: z.array(z.email().max(254)).max(50).default([]),
  imap: z.object({
    host,
    port: port.default(993),
    /** TLS from the first byte (993); false for a plain connection that upgrades with STARTTLS when offered. */
    secure: z.boolean().default(true),
    mailbox: z.string().min(1).max(200).default('INBOX'),
    /** Wait for new mail with IDLE; without it (or when the server lacks IDLE) the mailbox is polled. */
    idle: z.boolean().default(true),
    pollSeconds: z.number().min(1).max(3_600).default(60),
    /** On the first connection to a mailbox, how far back to read. */
    backfillDays: z.number().min(0).max(365).default(7),
    maxMessageBytes: z.number().int().min(1_024).max(100_000_000).default(25_000_000),
  }),
  smtp: z
    .object({
      host,
      port: port.default(587),
      secure: z.boolean().default(false),
      /** Refuse to send unless the server upgrades to TLS (STARTTLS). */
      requireTls: z.boolean().default(false),
    })
    .optional(),
});
export type EmailConfig = z.infer<typeof emailConfigSchema>;

/** Credentials keys: imapUser, imapPassword; smtpUser, smtpPassword (default to the IMAP ones). */
export interface EmailCredentials {
  imapUser: string;
  imapPassword: string;
  smtpUser: string | undefined;
  smtpPassword: string | undefined;
}

export function emailCredentialsOf(credentials: Record<string, string>): EmailCredentials | null {
  const imapUser = credentials.imapUser ?? credentials.user;
  const imapPassword = credentials.imapPassword ?? credentials.password;
  if (!imapUser || !imapPassword) return null;
  return {
    imapUser,
    imapPassword,
    smtpUser: credentials.smtpUser ?? imapUser,
    smtpPassword: credentials.smtpPassword ?? imapPassword,
  };
}
