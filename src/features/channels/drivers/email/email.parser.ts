import { simpleParser } from 'mailparser';
import type { AddressObject, HeaderValue, ParsedMail } from 'mailparser';

/**
 * A raw RFC 5322 message reduced to what Parley keeps: addresses, threading ids, subject, text parts, HTML parts
 * (converted to text by the mapper, never rendered) and attachment metadata — never attachment bytes.
 */
export interface ParsedEmail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  date: Date | null;
  from: { address: string; name: string } | null;
  to: string[];
  cc: string[];
  /** Plain-text parts, when the message has any. */
  text: string | null;
  /** HTML parts, when the message has no plain-text part to use instead. */
  html: string | null;
  attachments: { filename: string | null; contentType: string; size: number }[];
  /** Lower-cased header name → its raw value(s), for the automated-mail checks. */
  headers: Map<string, string>;
  contentType: string;
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: { address: string; name: string }[] = [];
  for (const object of objects) {
    for (const entry of object.value) {
      const members = entry.group ?? [entry];
      for (const member of members) if (member.address) out.push({ address: member.address, name: member.name });
    }
  }
  return out;
}

/** Message ids as `<id>`, one per entry, whatever whitespace or bracket style the sender used. */
export function messageIdsOf(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const bracketed = text.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return text.split(/\s+/).filter((part) => part.length > 0).map((part) => `<${part}>`);
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : 'value' in v && typeof v.value === 'string' ? v.value : '')).join(', ');
  if (value instanceof Date) return value.toISOString();
  if ('value' in value && typeof value.value === 'string') return value.value;
  if ('text' in value && typeof value.text === 'string') return value.text;
  return '';
}

export async function parseEmail(source: Buffer | string): Promise<ParsedEmail> {
  const mail: ParsedMail = await simpleParser(source, {
    // Parley converts HTML itself (features/channels/drivers/shared/html-text.converter.ts) and needs no HTML output.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const headers = new Map<string, string>();
  for (const [name, value] of mail.headers) headers.set(name.toLowerCase(), headerText(value));
  const contentType = mail.headers.get('content-type');
  const [from] = addressesOf(mail.from);
  return {
    messageId: messageIdsOf(mail.messageId)[0] ?? null,
    inReplyTo: messageIdsOf(mail.inReplyTo)[0] ?? null,
    references: messageIdsOf(mail.references),
    subject: mail.subject ?? '',
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    from: from ?? null,
    to: addressesOf(mail.to).map((a) => a.address),
    cc: addressesOf(mail.cc).map((a) => a.address),
    text: mail.text && mail.text.trim().length > 0 ? mail.text : null,
    html: typeof mail.html === 'string' && mail.html.trim().length > 0 ? mail.html : null,
    attachments: mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
    headers,
    contentType: contentType === undefined ? 'text/plain' : headerText(contentType).toLowerCase(),
  };
}
