import { z } from 'zod';
import { inboundMessageSchema, sanitizeText } from '../../../ingest/index.ts';
import type { InboundMessage, InboundMessageInput } from '../../../ingest/index.ts';

/** The longest text Parley stores for one message (see inbound.schema.ts). */
export const maxMessageTextLength = 20_000;

/** A post in Parley's shape plus what the listeners extract beside it (the payload-replay tests check both). */
export interface MappedPost {
  message: InboundMessage;
  lang: string | null;
}

/** Cuts text to Parley's limit without splitting a surrogate pair. */
export function clipText(text: string, max = maxMessageTextLength): string {
  if (text.length <= max) return text;
  const clipped = text.slice(0, max - 1);
  return `${/[\ud800-\udbff]$/.test(clipped) ? clipped.slice(0, -1) : clipped}…`;
}

/** Clips the strings a platform may overfill, then validates; a message that still fails is dropped (null). */
export function buildInboundMessage(candidate: InboundMessageInput): InboundMessage | null {
  const author = candidate.author;
  const parsed = inboundMessageSchema.safeParse({
    ...candidate,
    text: clipText(sanitizeText(candidate.text)),
    author: {
      ...author,
      handle: author.handle === undefined ? undefined : clipText(author.handle, 256),
      displayName: author.displayName === undefined ? undefined : clipText(author.displayName, 256),
    },
  });
  return parsed.success ? parsed.data : null;
}

const isoWithOffset = z.iso.datetime({ offset: true });

/**
 * A platform timestamp as ISO-8601, or the fallback when it is missing, unparseable or implausible (more than five
 * minutes in the future: client clocks are hostile input too).
 */
export function toIsoTime(value: string | undefined | null, fallback: Date, now: Date): string {
  if (value) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && ms <= now.getTime() + 5 * 60_000 && ms > Date.UTC(1990, 0, 1)) {
      const iso = new Date(ms).toISOString();
      if (isoWithOffset.safeParse(iso).success) return iso;
    }
  }
  return fallback.toISOString();
}

/** A BCP-47-ish language tag, lower-cased, or null. */
export function normalizeLang(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const tag = value.trim().toLowerCase();
  return /^[a-z]{2,3}(-[a-z0-9]{1,8}){0,3}$/.test(tag) ? tag : null;
}
