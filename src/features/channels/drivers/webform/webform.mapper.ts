import crypto from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage } from '../../../ingest/index.ts';
import { buildInboundMessage } from '../shared/inbound.builder.ts';
import { collapseWhitespace } from '../shared/html-text.converter.ts';

/** channel.config of a web-form channel (see docs/CHANNELS.md). */
export const webformConfigSchema = z.object({
  minFillSeconds: z.number().min(0).max(3600).default(3),
  maxAgeHours: z.number().min(1).max(24 * 30).default(24),
  maxLinks: z.number().int().min(0).max(50).default(2),
  maxLength: z.number().int().min(100).max(20_000).default(5_000),
  /** Where the public reaches Parley, for secure links to private conversations (PARLEY_PUBLIC_URL when unset). */
  publicUrl: z.url({ protocol: /^https?$/ }).max(2_048).optional(),
  /** How long a secure link to a private conversation stays open. */
  privateLinkHours: z.number().int().min(1).max(24 * 30).default(7 * 24),
});
export type WebformConfig = z.infer<typeof webformConfigSchema>;

export function webformConfigOf(config: Record<string, unknown>): WebformConfig {
  const parsed = webformConfigSchema.safeParse(config);
  return parsed.success ? parsed.data : webformConfigSchema.parse({});
}

/** The field bots fill and people never see; a filled honeypot is accepted silently and dropped. */
export const honeypotField = 'website';

const linkPattern = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;

export function countLinks(text: string): number {
  return text.match(linkPattern)?.length ?? 0;
}

export interface FormSubmission {
  name: string;
  email: string;
  subject?: string;
  message: string;
  token: string;
}

/**
 * A submission as a private message from the email identity it gives. The external id is derived from the form
 * token and the content, so a double-clicked submit is one message.
 */
export function mapFormSubmission(form: FormSubmission, now: Date): InboundMessage | null {
  const email = form.email.trim().toLowerCase();
  const subject = form.subject ? collapseWhitespace(form.subject) : '';
  const body = form.message.replace(/\r\n?/g, '\n').trim();
  const digest = crypto.createHash('sha256').update(`${form.token}\n${email}\n${body}`).digest('hex').slice(0, 40);
  return buildInboundMessage({
    externalId: `webform:${digest}`,
    direction: 'inbound',
    text: subject ? `${subject}\n\n${body}` : body,
    author: { platform: 'email', externalId: email, handle: email, displayName: collapseWhitespace(form.name) },
    isPublic: false,
    sentAt: now.toISOString(),
    raw: { source: 'webform', name: form.name, email, subject: subject || null },
  });
}

export interface PrivateLinkSubmission {
  name?: string;
  email: string;
  message: string;
  /** The fill-time token the page handed out. */
  token: string;
}

/**
 * A message written through a secure link about one case (move-private, where DMs are closed): private, from the
 * email identity the person gives — where answers go — and never linked to the case's customer on the strength of
 * the link alone, which was posted in public. A double-clicked submit is one message.
 */
export function mapPrivateLinkSubmission(form: PrivateLinkSubmission, linkId: string, now: Date): InboundMessage | null {
  const email = form.email.trim().toLowerCase();
  const name = form.name ? collapseWhitespace(form.name) : '';
  const body = form.message.replace(/\r\n?/g, '\n').trim();
  const digest = crypto.createHash('sha256').update(`${linkId}\n${form.token}\n${email}\n${body}`).digest('hex').slice(0, 40);
  return buildInboundMessage({
    externalId: `webform-link:${digest}`,
    direction: 'inbound',
    text: body,
    author: { platform: 'email', externalId: email, handle: email, displayName: name || email },
    isPublic: false,
    sentAt: now.toISOString(),
    raw: { source: 'private-link', linkId, name: name || null, email },
  });
}
