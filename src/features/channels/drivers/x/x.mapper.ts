import { z } from 'zod';
import type { OwnAccounts } from '../shared/own-accounts.ts';
import { isOwnAccount } from '../shared/own-accounts.ts';
import type { MappedPost } from '../shared/inbound.builder.ts';
import { buildInboundMessage, normalizeLang, toIsoTime } from '../shared/inbound.builder.ts';

/**
 * X API v2 filtered-stream lines into Parley messages. Ids are kept as strings (they pass 2^53), and a payload
 * whose ids are numbers is refused rather than rounded.
 */

const id = z.string().regex(/^[0-9]{1,25}$/);

const tweetSchema = z.object({
  id,
  text: z.string().max(100_000),
  author_id: id.optional(),
  created_at: z.string().max(64).optional(),
  lang: z.string().max(32).optional(),
  conversation_id: id.optional(),
  in_reply_to_user_id: id.optional(),
  referenced_tweets: z.array(z.object({ type: z.string().max(32), id })).max(10).optional(),
  note_tweet: z.object({ text: z.string().max(100_000) }).optional(),
});
type Tweet = z.infer<typeof tweetSchema>;

const userSchema = z.object({
  id,
  username: z.string().max(64).optional(),
  name: z.string().max(256).optional(),
  public_metrics: z.object({ followers_count: z.number().int().min(0).max(2_000_000_000).optional() }).optional(),
});
type User = z.infer<typeof userSchema>;

const streamErrorSchema = z.object({
  title: z.string().max(200).optional(),
  detail: z.string().max(1000).optional(),
  type: z.string().max(300).optional(),
  disconnect_type: z.string().max(100).optional(),
});

export const streamLineSchema = z.object({
  data: tweetSchema.optional(),
  includes: z
    .object({
      users: z.array(z.unknown()).max(200).optional(),
      tweets: z.array(z.unknown()).max(200).optional(),
    })
    .optional(),
  matching_rules: z.array(z.object({ id: z.union([id, z.number()]).transform(String), tag: z.string().max(256).optional() })).max(1000).optional(),
  errors: z.array(streamErrorSchema).max(50).optional(),
});

export type XStreamDecision =
  | { kind: 'post'; post: MappedPost; createdAt: string | null; matchingRules: Array<{ id: string; tag?: string }> }
  | { kind: 'skip'; reason: string }
  | { kind: 'disconnect'; title: string; detail: string }
  | { kind: 'keepalive' }
  | { kind: 'invalid'; reason: string };

/** X escapes these three in tweet text (and only these). */
function unescapeTweetText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Parses one line of the stream; never throws. A blank line is X's keep-alive. */
export function parseXStreamLine(line: string, own: OwnAccounts, now: Date): XStreamDecision {
  if (line.trim() === '') return { kind: 'keepalive' };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: 'invalid', reason: 'line is not JSON' };
  }
  const parsed = streamLineSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', reason: 'line is not a filtered-stream message' };
  const message = parsed.data;
  if (!message.data) {
    const first = message.errors?.[0];
    if (first) return { kind: 'disconnect', title: first.title ?? 'error', detail: first.detail ?? first.disconnect_type ?? '' };
    return { kind: 'invalid', reason: 'line has no post' };
  }
  const users = new Map<string, User>();
  for (const raw of message.includes?.users ?? []) {
    const user = userSchema.safeParse(raw);
    if (user.success) users.set(user.data.id, user.data);
  }
  const tweets = new Map<string, Tweet>();
  for (const raw of message.includes?.tweets ?? []) {
    const tweet = tweetSchema.safeParse(raw);
    if (tweet.success) tweets.set(tweet.data.id, tweet.data);
  }
  return mapTweet(message.data, users, tweets, message.matching_rules ?? [], own, now);
}

/**
 * A retweet is not a new message: it collapses onto the original, which is ingested in its place when the stream
 * included it (ingest drops the second and later retweets of it as duplicates) and skipped otherwise. A quote has
 * its own words and is ingested with the quoted post as `replyToExternalId`; a reply keeps its parent instead.
 */
export function mapTweet(
  tweet: Tweet,
  users: Map<string, User>,
  tweets: Map<string, Tweet>,
  matchingRules: Array<{ id: string; tag?: string }>,
  own: OwnAccounts,
  now: Date,
): XStreamDecision {
  const retweetOf = tweet.referenced_tweets?.find((r) => r.type === 'retweeted')?.id;
  if (retweetOf) {
    const original = tweets.get(retweetOf);
    if (!original) return { kind: 'skip', reason: 'retweet of a post not included' };
    return mapTweet({ ...original, referenced_tweets: original.referenced_tweets?.filter((r) => r.type !== 'retweeted') }, users, tweets, matchingRules, own, now);
  }
  if (!tweet.author_id) return { kind: 'invalid', reason: 'post has no author (request the author_id field)' };
  const author = users.get(tweet.author_id);
  if (isOwnAccount(own, { id: tweet.author_id, handle: author?.username })) return { kind: 'skip', reason: 'own account' };

  const repliedTo = tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
  const quoted = tweet.referenced_tweets?.find((r) => r.type === 'quoted')?.id;
  const text = unescapeTweetText(tweet.note_tweet?.text ?? tweet.text);
  if (text.trim().length === 0) return { kind: 'skip', reason: 'no text' };
  const lang = tweet.lang === 'und' || tweet.lang === 'zxx' ? null : normalizeLang(tweet.lang);
  const built = buildInboundMessage({
    externalId: tweet.id,
    direction: 'inbound',
    text,
    author: {
      platform: 'x',
      externalId: tweet.author_id,
      handle: author?.username,
      displayName: author?.name,
      followerCount: author?.public_metrics?.followers_count,
    },
    replyToExternalId: repliedTo ?? quoted,
    isPublic: true,
    sentAt: toIsoTime(tweet.created_at, now, now),
    raw: { lang, conversationId: tweet.conversation_id ?? null, quoteOf: quoted ?? null, matchingRules },
  });
  if (!built) return { kind: 'invalid', reason: 'post does not fit an inbound message' };
  return { kind: 'post', post: { message: built, lang }, createdAt: tweet.created_at ?? null, matchingRules };
}
