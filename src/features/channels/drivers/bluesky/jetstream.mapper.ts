import { z } from 'zod';
import type { OwnAccounts } from '../shared/own-accounts.ts';
import { isOwnAccount } from '../shared/own-accounts.ts';
import type { MappedPost } from '../shared/inbound.builder.ts';
import { buildInboundMessage, normalizeLang, toIsoTime } from '../shared/inbound.builder.ts';

/**
 * Jetstream events (https://github.com/bluesky-social/jetstream) into Parley messages. Every field is hostile:
 * the event is validated, ids are checked against the AT Protocol's syntax, and anything unexpected is skipped.
 */

export const postCollection = 'app.bsky.feed.post';

const did = z.string().regex(/^did:[a-z]{1,32}:[a-zA-Z0-9._:%-]{1,2048}$/);
const recordKey = z.string().regex(/^[a-zA-Z0-9._:~-]{1,512}$/);
const postUri = z.string().regex(/^at:\/\/did:[a-z]{1,32}:[a-zA-Z0-9._:%-]{1,200}\/app\.bsky\.feed\.post\/[a-zA-Z0-9._:~-]{1,40}$/);
const strongRef = z.object({ uri: z.string().max(8192), cid: z.string().max(256).optional() });

const embedSchema = z.object({
  $type: z.string().max(128),
  record: z.unknown().optional(),
});

export const postRecordSchema = z.object({
  text: z.string().max(100_000),
  createdAt: z.string().max(64).optional(),
  langs: z.array(z.string().max(64)).max(16).optional(),
  reply: z.object({ parent: strongRef, root: strongRef }).optional(),
  embed: embedSchema.optional(),
});

export const jetstreamEventSchema = z.object({
  did,
  time_us: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  kind: z.string().max(32),
  commit: z
    .object({
      operation: z.string().max(32),
      collection: z.string().max(512),
      rkey: z.string().max(1024),
      cid: z.string().max(256).optional(),
      record: z.unknown().optional(),
    })
    .optional(),
});
export type JetstreamEvent = z.infer<typeof jetstreamEventSchema>;

export type JetstreamDecision =
  | { kind: 'post'; timeUs: number; post: MappedPost }
  | { kind: 'skip'; timeUs: number; reason: string }
  | { kind: 'invalid'; reason: string };

/** Parses one Jetstream text frame; never throws. */
export function parseJetstreamFrame(frame: string, own: OwnAccounts, now: Date): JetstreamDecision {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { kind: 'invalid', reason: 'frame is not JSON' };
  }
  const parsed = jetstreamEventSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', reason: 'frame is not a Jetstream event' };
  return mapJetstreamEvent(parsed.data, own, now);
}

/**
 * Only new posts become messages. Reposts (app.bsky.feed.repost) carry no text of their own, so they collapse onto
 * the original and are skipped. A quote post has its own words: it is ingested with the quoted post as its
 * `replyToExternalId`, which threads it with the original; a quote with no words of its own is skipped like a repost.
 */
export function mapJetstreamEvent(event: JetstreamEvent, own: OwnAccounts, now: Date): JetstreamDecision {
  const timeUs = event.time_us;
  const commit = event.commit;
  if (event.kind !== 'commit' || !commit) return { kind: 'skip', timeUs, reason: `kind ${event.kind}` };
  if (commit.collection !== postCollection) return { kind: 'skip', timeUs, reason: `collection ${commit.collection}` };
  if (commit.operation !== 'create') return { kind: 'skip', timeUs, reason: `operation ${commit.operation}` };
  if (!recordKey.safeParse(commit.rkey).success) return { kind: 'invalid', reason: 'record key is malformed' };
  const record = postRecordSchema.safeParse(commit.record);
  if (!record.success) return { kind: 'invalid', reason: 'post record is malformed' };
  if (isOwnAccount(own, { id: event.did })) return { kind: 'skip', timeUs, reason: 'own account' };

  const post = record.data;
  const text = post.text.trim();
  const parent = post.reply && postUri.safeParse(post.reply.parent.uri).success ? post.reply.parent.uri : undefined;
  const quoted = quotedPostUri(post.embed);
  if (text.length === 0) return { kind: 'skip', timeUs, reason: quoted ? 'quote without text' : 'no text' };

  const uri = `at://${event.did}/${postCollection}/${commit.rkey}`;
  const lang = normalizeLang(post.langs?.[0]);
  const message = buildInboundMessage({
    externalId: uri,
    direction: 'inbound',
    text: post.text,
    author: { platform: 'bluesky', externalId: event.did },
    replyToExternalId: parent ?? quoted,
    isPublic: true,
    sentAt: toIsoTime(post.createdAt, new Date(Math.floor(timeUs / 1000)), now),
    raw: { uri, cid: commit.cid ?? null, timeUs, lang, langs: post.langs ?? [], quoteOf: quoted ?? null },
  });
  if (!message) return { kind: 'invalid', reason: 'post does not fit an inbound message' };
  return { kind: 'post', timeUs, post: { message, lang } };
}

function quotedPostUri(embed: z.infer<typeof embedSchema> | undefined): string | undefined {
  if (!embed) return undefined;
  const ref =
    embed.$type === 'app.bsky.embed.record'
      ? strongRef.safeParse(embed.record)
      : embed.$type === 'app.bsky.embed.recordWithMedia'
        ? z.object({ record: strongRef }).transform((v) => v.record).safeParse(embed.record)
        : null;
  if (!ref?.success) return undefined;
  return postUri.safeParse(ref.data.uri).success ? ref.data.uri : undefined;
}
