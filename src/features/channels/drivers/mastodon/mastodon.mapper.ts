import { z } from 'zod';
import type { OwnAccounts } from '../shared/own-accounts.ts';
import { isOwnAccount } from '../shared/own-accounts.ts';
import type { MappedPost } from '../shared/inbound.builder.ts';
import { buildInboundMessage, normalizeLang, toIsoTime } from '../shared/inbound.builder.ts';
import { htmlToText } from '../shared/html-text.converter.ts';

/**
 * Mastodon statuses (REST entities and streaming frames) into Parley messages. `content` is HTML written by
 * strangers: it becomes plain text and no markup is kept.
 */

const id = z.string().regex(/^[0-9A-Za-z_-]{1,40}$/);

const accountSchema = z.object({
  id,
  username: z.string().max(256).optional(),
  acct: z.string().max(512),
  display_name: z.string().max(1_000).optional(),
  followers_count: z.number().int().min(0).optional(),
});

const baseStatusSchema = z.object({
  id,
  created_at: z.string().max(64).optional(),
  in_reply_to_id: id.nullish(),
  visibility: z.string().max(32).optional(),
  language: z.string().max(32).nullish(),
  uri: z.string().max(4_096).optional(),
  url: z.string().max(4_096).nullish(),
  spoiler_text: z.string().max(10_000).optional(),
  content: z.string().max(500_000),
  account: accountSchema,
});

export const statusSchema = baseStatusSchema.extend({
  reblog: baseStatusSchema.nullish(),
  quote: z.object({ quoted_status: z.object({ id }).nullish() }).nullish(),
});
export type MastodonStatus = z.infer<typeof statusSchema>;

const frameSchema = z.object({
  stream: z.array(z.string().max(200)).max(4).optional(),
  event: z.string().max(64).optional(),
  payload: z.string().optional(),
  error: z.string().max(500).optional(),
  status: z.number().int().optional(),
});

const notificationSchema = z.object({ type: z.string().max(64), status: z.unknown().optional() });

export type MastodonDecision =
  | { kind: 'post'; stream: string; statusId: string; post: MappedPost; createdAt: string | null }
  | { kind: 'skip'; stream: string | null; statusId: string | null; reason: string }
  | { kind: 'error'; message: string; status: number | null }
  | { kind: 'invalid'; reason: string };

/** The key of a frame's stream: `public`, `hashtag:acme`, `user`… (matches the channel's stream settings). */
export function streamKeyOf(stream: string[] | undefined): string | null {
  if (!stream || stream.length === 0) return null;
  return stream.slice(0, 2).join(':').toLowerCase();
}

/** Parses one WebSocket frame: `{stream, event, payload}` where an update's payload is JSON encoded again as a string. */
export function parseMastodonFrame(frame: string, own: OwnAccounts, now: Date): MastodonDecision {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { kind: 'invalid', reason: 'frame is not JSON' };
  }
  const parsed = frameSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', reason: 'frame is not a streaming event' };
  const { event, payload, error } = parsed.data;
  if (error) return { kind: 'error', message: error, status: parsed.data.status ?? null };
  const stream = streamKeyOf(parsed.data.stream) ?? 'unknown';
  if (event !== 'update' && event !== 'notification') return { kind: 'skip', stream, statusId: null, reason: `event ${event ?? 'none'}` };
  if (payload === undefined) return { kind: 'invalid', reason: `${event} without payload` };
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return { kind: 'invalid', reason: 'payload is not JSON' };
  }
  if (event === 'notification') {
    const notification = notificationSchema.safeParse(body);
    if (!notification.success) return { kind: 'invalid', reason: 'notification is malformed' };
    if (notification.data.type !== 'mention') return { kind: 'skip', stream, statusId: null, reason: `notification ${notification.data.type}` };
    body = notification.data.status;
  }
  const status = statusSchema.safeParse(body);
  if (!status.success) return { kind: 'invalid', reason: 'status is malformed' };
  return mapStatus(status.data, stream, own, now);
}

/**
 * A boost (reblog) is not a new message: it collapses onto the boosted status, ingested in its place (further
 * boosts are duplicates). A quote has its own words and references the quoted status via `replyToExternalId`.
 */
export function mapStatus(status: MastodonStatus, stream: string, own: OwnAccounts, now: Date): MastodonDecision {
  const original = status.reblog ? { ...status.reblog, reblog: null, quote: null } : status;
  const account = original.account;
  if (isOwnAccount(own, { id: account.id, handle: account.acct })) return { kind: 'skip', stream, statusId: status.id, reason: 'own account' };
  const body = htmlToText(original.content);
  const warning = original.spoiler_text ? htmlToText(original.spoiler_text) : '';
  const text = warning ? `${warning}\n\n${body}` : body;
  if (!text) return { kind: 'skip', stream, statusId: status.id, reason: 'no text' };
  const lang = normalizeLang(original.language);
  const quoted = original.quote?.quoted_status?.id ?? undefined;
  const message = buildInboundMessage({
    externalId: original.id,
    direction: 'inbound',
    text,
    author: {
      platform: 'mastodon',
      externalId: account.id,
      handle: account.acct,
      displayName: account.display_name || undefined,
      followerCount: account.followers_count,
    },
    replyToExternalId: original.in_reply_to_id ?? quoted,
    isPublic: original.visibility !== 'direct' && original.visibility !== 'private',
    sentAt: toIsoTime(original.created_at, now, now),
    raw: { lang, uri: original.uri ?? null, url: original.url ?? null, visibility: original.visibility ?? null, boostedBy: status.reblog ? status.account.acct : null },
  });
  if (!message) return { kind: 'invalid', reason: 'status does not fit an inbound message' };
  return { kind: 'post', stream, statusId: status.id, post: { message, lang }, createdAt: original.created_at ?? null };
}
