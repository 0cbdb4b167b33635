import { z } from 'zod';
import type { InboundMessage } from '../../../ingest/index.ts';
import { buildInboundMessage } from '../shared/inbound.builder.ts';

// Account Activity bodies, validated loosely: unknown event kinds pass through untouched and are skipped.
const idString = z.union([z.string(), z.number()]).transform(String);

const v1User = z.object({
  id_str: z.string().optional(),
  id: idString.optional(),
  screen_name: z.string().optional(),
  name: z.string().optional(),
  followers_count: z.number().int().nonnegative().optional(),
});

const v1Tweet = z.object({
  id_str: z.string().optional(),
  id: idString.optional(),
  text: z.string().optional(),
  full_text: z.string().optional(),
  extended_tweet: z.object({ full_text: z.string() }).optional(),
  timestamp_ms: z.string().optional(),
  created_at: z.string().optional(),
  in_reply_to_status_id_str: z.string().nullable().optional(),
  retweeted_status: z.unknown().optional(),
  quoted_status_id_str: z.string().optional(),
  user: v1User,
});

const dmEvent = z.object({
  type: z.string(),
  id: idString,
  created_timestamp: z.string().optional(),
  message_create: z
    .object({
      sender_id: idString,
      target: z.object({ recipient_id: idString }).optional(),
      message_data: z.object({ text: z.string().default('') }),
    })
    .optional(),
});

const activitySchema = z.object({
  for_user_id: idString.optional(),
  tweet_create_events: z.array(z.unknown()).max(1000).optional(),
  direct_message_events: z.array(z.unknown()).max(1000).optional(),
  users: z.record(z.string(), v1User).optional(),
  user_event: z.object({ revoke: z.unknown().optional() }).optional(),
}).refine((b) => b.for_user_id !== undefined || b.user_event !== undefined, 'neither for_user_id nor user_event');

export interface XActivityResult {
  messages: InboundMessage[];
  skipped: { id: string | null; reason: string }[];
  /** The account owner revoked Parley's access: the channel must show it. */
  revoked: boolean;
}

function isoOf(timestampMs: string | undefined, createdAt: string | undefined): string | undefined {
  const ms = timestampMs ? Number(timestampMs) : createdAt ? Date.parse(createdAt) : Number.NaN;
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/**
 * Maps an Account Activity webhook body for the brand account `for_user_id`: mentions and replies become public
 * inbound messages, DMs private ones; the brand's own tweets and DMs are recorded as outbound (answers given on the
 * platform still count as responses); retweets collapse onto the original and are skipped.
 */
export function mapXAccountActivity(body: unknown): XActivityResult {
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) return { messages: [], skipped: [{ id: null, reason: 'not an Account Activity body' }], revoked: false };
  const activity = parsed.data;
  const owner = activity.for_user_id;
  const result: XActivityResult = { messages: [], skipped: [], revoked: activity.user_event?.revoke !== undefined };

  for (const raw of activity.tweet_create_events ?? []) {
    const tweet = v1Tweet.safeParse(raw);
    if (!tweet.success) {
      result.skipped.push({ id: null, reason: 'malformed tweet' });
      continue;
    }
    const t = tweet.data;
    const id = t.id_str ?? t.id;
    const authorId = t.user.id_str ?? t.user.id;
    if (!id || !authorId) {
      result.skipped.push({ id: id ?? null, reason: 'tweet without id or author' });
      continue;
    }
    if (t.retweeted_status !== undefined) {
      result.skipped.push({ id, reason: 'retweet' });
      continue;
    }
    const own = authorId === owner;
    const message = buildInboundMessage({
      externalId: id,
      direction: own ? 'outbound' : 'inbound',
      text: t.extended_tweet?.full_text ?? t.full_text ?? t.text ?? '',
      author: { platform: 'x', externalId: authorId, handle: t.user.screen_name, displayName: t.user.name, followerCount: t.user.followers_count },
      senderName: own ? t.user.screen_name : undefined,
      replyToExternalId: t.in_reply_to_status_id_str ?? t.quoted_status_id_str ?? undefined,
      isPublic: true,
      sentAt: isoOf(t.timestamp_ms, t.created_at),
      raw,
    });
    if (message) result.messages.push(message);
    else result.skipped.push({ id, reason: 'invalid tweet fields' });
  }

  for (const raw of activity.direct_message_events ?? []) {
    const event = dmEvent.safeParse(raw);
    if (!event.success || event.data.type !== 'message_create' || !event.data.message_create) {
      result.skipped.push({ id: event.success ? event.data.id : null, reason: 'not a message' });
      continue;
    }
    const dm = event.data.message_create;
    const own = dm.sender_id === owner;
    const user = activity.users?.[dm.sender_id];
    const message = buildInboundMessage({
      externalId: `dm:${event.data.id}`,
      direction: own ? 'outbound' : 'inbound',
      text: dm.message_data.text,
      author: { platform: 'x', externalId: dm.sender_id, handle: user?.screen_name, displayName: user?.name, followerCount: user?.followers_count },
      senderName: own ? user?.screen_name ?? 'brand' : undefined,
      isPublic: false,
      sentAt: isoOf(event.data.created_timestamp, undefined),
      raw,
    });
    if (message) result.messages.push(message);
    else result.skipped.push({ id: event.data.id, reason: 'invalid DM fields' });
  }
  return result;
}
