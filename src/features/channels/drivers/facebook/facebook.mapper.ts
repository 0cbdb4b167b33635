import { z } from 'zod';
import type { InboundMessage } from '../../../ingest/index.ts';
import { buildInboundMessage } from '../shared/inbound.builder.ts';

const idString = z.union([z.string(), z.number()]).transform(String);

const changeValue = z.object({
  item: z.string().optional(),
  verb: z.string().optional(),
  message: z.string().optional(),
  review_text: z.string().optional(),
  comment_id: idString.nullable().optional(),
  post_id: idString.optional(),
  parent_id: idString.optional(),
  open_graph_story_id: idString.optional(),
  from: z.object({ id: idString, name: z.string().optional() }).optional(),
  sender_id: idString.optional(),
  sender_name: z.string().optional(),
  reviewer_id: idString.optional(),
  reviewer_name: z.string().optional(),
  created_time: z.number().optional(),
});

const messagingItem = z.object({
  sender: z.object({ id: idString }),
  recipient: z.object({ id: idString }).optional(),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      reply_to: z.object({ mid: z.string() }).optional(),
      attachments: z.array(z.object({ type: z.string() })).optional(),
    })
    .optional(),
  postback: z.object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() }).optional(),
});

const entrySchema = z.object({
  id: idString,
  time: z.number().optional(),
  changes: z.array(z.object({ field: z.string(), value: z.unknown() })).max(1000).optional(),
  messaging: z.array(z.unknown()).max(1000).optional(),
  standby: z.array(z.unknown()).max(1000).optional(),
});

const bodySchema = z.object({ object: z.string(), entry: z.array(z.unknown()).max(1000) });

export interface FacebookMapped {
  message: InboundMessage;
  /** Seconds since the epoch the platform stamped the entry with (for the replay window). */
  entryTime: number | null;
}

export interface FacebookWebhookResult {
  messages: FacebookMapped[];
  skipped: { id: string | null; reason: string }[];
}

// Meta stamps Page entries in seconds and Messenger entries in milliseconds.
function toSeconds(time: number | undefined): number | null {
  if (time === undefined || !Number.isFinite(time) || time <= 0) return null;
  return time > 1e11 ? Math.floor(time / 1000) : time;
}

function isoOfSeconds(seconds: number | null | undefined): string | undefined {
  return seconds ? new Date(seconds * 1000).toISOString() : undefined;
}

/**
 * Maps a Page webhook body: new feed posts and comments (public), mentions, reviews, and Messenger messages and
 * postbacks (private). The Page's own posts and echoes are recorded as outbound; edits, removals, hides, reactions,
 * delivery and read receipts change nothing and are skipped with a reason.
 */
export function mapFacebookWebhook(body: unknown): FacebookWebhookResult {
  const result: FacebookWebhookResult = { messages: [], skipped: [] };
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success || parsed.data.object !== 'page') {
    result.skipped.push({ id: null, reason: 'not a Page webhook body' });
    return result;
  }
  for (const rawEntry of parsed.data.entry) {
    const entry = entrySchema.safeParse(rawEntry);
    if (!entry.success) {
      result.skipped.push({ id: null, reason: 'malformed entry' });
      continue;
    }
    const pageId = entry.data.id;
    const entryTime = toSeconds(entry.data.time);
    for (const change of entry.data.changes ?? []) mapChange(change, pageId, entryTime, result);
    for (const item of [...(entry.data.messaging ?? []), ...(entry.data.standby ?? [])]) mapMessaging(item, pageId, entryTime, result);
  }
  return result;
}

function mapChange(change: { field: string; value: unknown }, pageId: string, entryTime: number | null, result: FacebookWebhookResult): void {
  const value = changeValue.safeParse(change.value);
  if (!value.success) {
    result.skipped.push({ id: null, reason: `malformed ${change.field} change` });
    return;
  }
  const v = value.data;
  const id = v.comment_id ?? v.post_id ?? v.open_graph_story_id ?? null;
  if (!['feed', 'mention', 'ratings'].includes(change.field)) {
    result.skipped.push({ id, reason: `field ${change.field} is not a conversation` });
    return;
  }
  if (v.verb !== 'add') {
    result.skipped.push({ id, reason: `verb ${v.verb ?? 'missing'}` });
    return;
  }
  const text = change.field === 'ratings' ? v.review_text : v.message;
  if (!id || !text || !['comment', 'post', 'status', 'rating'].includes(v.item ?? '')) {
    result.skipped.push({ id, reason: `${v.item ?? 'item'} without text` });
    return;
  }
  const authorId = v.from?.id ?? v.sender_id ?? v.reviewer_id;
  const authorName = v.from?.name ?? v.sender_name ?? v.reviewer_name;
  const own = authorId === pageId;
  // A mention may carry no author at all; each such post then stands for its own unknown author.
  const message = buildInboundMessage({
    externalId: id,
    direction: own ? 'outbound' : 'inbound',
    text,
    author: { platform: 'facebook', externalId: authorId ?? `unknown:${id}`, displayName: authorName ?? (authorId ? undefined : 'Facebook user') },
    senderName: own ? authorName ?? 'Page' : undefined,
    replyToExternalId: v.item === 'comment' ? v.parent_id : undefined,
    isPublic: true,
    sentAt: isoOfSeconds(v.created_time ?? entryTime),
    raw: change,
  });
  if (message) result.messages.push({ message, entryTime });
  else result.skipped.push({ id, reason: 'invalid fields' });
}

function mapMessaging(raw: unknown, pageId: string, entryTime: number | null, result: FacebookWebhookResult): void {
  const item = messagingItem.safeParse(raw);
  if (!item.success) {
    result.skipped.push({ id: null, reason: 'receipt or unsupported messaging event' });
    return;
  }
  const m = item.data;
  const sentAt = m.timestamp ? new Date(m.timestamp).toISOString() : isoOfSeconds(entryTime);
  if (m.message) {
    const echo = m.message.is_echo === true || m.sender.id === pageId;
    const customerId = echo ? m.recipient?.id : m.sender.id;
    const text = m.message.text ?? (m.message.attachments?.length ? `[${m.message.attachments.map((a) => a.type).join(', ')} attachment]` : '');
    const message = buildInboundMessage({
      externalId: m.message.mid,
      direction: echo ? 'outbound' : 'inbound',
      text,
      author: { platform: 'facebook', externalId: customerId ?? m.sender.id },
      senderName: echo ? 'Page' : undefined,
      replyToExternalId: m.message.reply_to?.mid,
      isPublic: false,
      sentAt,
      raw,
    });
    if (message) result.messages.push({ message, entryTime });
    else result.skipped.push({ id: m.message.mid, reason: 'invalid message fields' });
    return;
  }
  if (m.postback) {
    const externalId = m.postback.mid ?? `postback:${m.sender.id}:${m.timestamp ?? entryTime ?? 0}`;
    const message = buildInboundMessage({
      externalId,
      text: m.postback.title ?? m.postback.payload ?? '[button]',
      author: { platform: 'facebook', externalId: m.sender.id },
      isPublic: false,
      sentAt,
      raw,
    });
    if (message) result.messages.push({ message, entryTime });
    return;
  }
  result.skipped.push({ id: null, reason: 'delivery or read receipt' });
}
