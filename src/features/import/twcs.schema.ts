import { z } from 'zod';

/**
 * One row of the Kaggle "Customer Support on Twitter" (twcs) CSV, validated and normalized. The raw file writes
 * ids as integers or as pandas floats (`3.0`), `inbound` as `True`/`False`, and dates in the Twitter v1.1 format.
 */
export interface TwcsTweet {
  /** Physical line of the file where the record starts (1 = header). */
  line: number;
  tweetId: string;
  /** A brand's handle for outbound rows, an anonymised number for customers. */
  authorId: string;
  /** True when the author is a customer, false for the brand's own replies. */
  inbound: boolean;
  /** ISO 8601 in UTC. */
  createdAt: string;
  createdMs: number;
  text: string;
  inResponseTo: string | null;
  responseIds: string[];
}

export const twcsColumns = [
  'tweet_id',
  'author_id',
  'inbound',
  'created_at',
  'text',
  'response_tweet_id',
  'in_response_to_tweet_id',
] as const;
export type TwcsColumn = (typeof twcsColumns)[number];
export type TwcsRecord = Record<TwcsColumn, string>;

export const skipReasons = [
  'malformed-record',
  'missing-tweet-id',
  'invalid-tweet-id',
  'missing-author-id',
  'invalid-inbound',
  'unparseable-created-at',
  'invalid-reply-link',
  'invalid-message',
  'rejected-by-database',
] as const;
export type SkipReason = (typeof skipReasons)[number];

export const skipReasonLabels: Record<SkipReason, string> = {
  'malformed-record': 'malformed CSV record',
  'missing-tweet-id': 'missing tweet_id',
  'invalid-tweet-id': 'tweet_id is not an integer',
  'missing-author-id': 'missing author_id',
  'invalid-inbound': 'inbound is not True or False',
  'unparseable-created-at': 'unparseable created_at',
  'invalid-reply-link': 'in_response_to_tweet_id or response_tweet_id is not an integer',
  'invalid-message': 'does not fit the normalized message shape',
  'rejected-by-database': 'rejected by the database for its content',
};

// pandas writes an integer column with gaps as floats: `3.0`. Anything with a real fraction or an exponent
// is not an id (an exponent means digits were already lost).
const idPattern = /^(\d{1,20})(?:\.0*)?$/;

/** A tweet id as a canonical decimal string, or null when the text is not an integer id. */
export function parseTweetId(text: string): string | null {
  const match = idPattern.exec(text.trim());
  if (!match) return null;
  const digits = match[1].replace(/^0+(?=\d)/, '');
  return digits;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twitterDatePattern =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** Parses the Twitter v1.1 date `Tue Oct 31 22:10:47 +0000 2017` to epoch milliseconds, or null. */
export function parseTwitterDate(text: string): number | null {
  const match = twitterDatePattern.exec(text.trim());
  if (!match) return null;
  const [, monthName, day, hour, minute, second, sign, offsetHours, offsetMinutes, year] = match;
  const month = months.indexOf(monthName);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  const y = Number(year);
  // Date.UTC reads years 0–99 as 1900–1999; no tweet predates 1970 anyway.
  if (y < 1970 || month < 0 || d < 1 || h > 23 || mi > 59 || s > 59 || Number(offsetMinutes) > 59) return null;
  const local = Date.UTC(y, month, d, h, mi, s);
  // Date.UTC rolls 31 Feb over into March; a calendar day that does not exist is a bad date.
  if (new Date(local).getUTCDate() !== d) return null;
  const offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  return local - offset;
}

function issue(reason: SkipReason): { message: string } {
  return { message: reason };
}

const requiredId = (missing: SkipReason, invalid: SkipReason) =>
  z
    .string()
    .trim()
    .min(1, issue(missing))
    .transform((value, ctx) => {
      const id = parseTweetId(value);
      if (id === null) {
        ctx.addIssue({ code: 'custom', message: invalid });
        return z.NEVER;
      }
      return id;
    });

const optionalId = z.string().transform((value, ctx) => {
  if (value.trim() === '') return null;
  const id = parseTweetId(value);
  if (id === null) {
    ctx.addIssue({ code: 'custom', message: 'invalid-reply-link' });
    return z.NEVER;
  }
  return id;
});

const idList = z.string().transform((value, ctx) => {
  const ids: string[] = [];
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const id = parseTweetId(part);
    if (id === null) {
      ctx.addIssue({ code: 'custom', message: 'invalid-reply-link' });
      return z.NEVER;
    }
    ids.push(id);
  }
  return ids;
});

/** Validates one raw record; every failure carries a `SkipReason` as its message. */
export const twcsRecordSchema = z.object({
  tweet_id: requiredId('missing-tweet-id', 'invalid-tweet-id'),
  author_id: z.string().trim().min(1, issue('missing-author-id')).max(256, issue('missing-author-id')),
  inbound: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => v === 'true' || v === 'false', issue('invalid-inbound'))
    .transform((v) => v === 'true'),
  created_at: z.string().transform((value, ctx) => {
    const ms = parseTwitterDate(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'unparseable-created-at' });
      return z.NEVER;
    }
    return ms;
  }),
  text: z.string(),
  response_tweet_id: idList,
  in_response_to_tweet_id: optionalId,
});

function isSkipReason(value: string): value is SkipReason {
  return (skipReasons as readonly string[]).includes(value);
}

export type TwcsRowResult = { ok: true; tweet: TwcsTweet } | { ok: false; reason: SkipReason };

/** Normalizes one record read from the file, or says why it must be skipped. */
export function parseTwcsRecord(record: TwcsRecord, line: number): TwcsRowResult {
  const parsed = twcsRecordSchema.safeParse(record);
  if (!parsed.success) {
    // Report the first problem in column order, so a row with several faults is counted once and predictably.
    const first = twcsColumns
      .map((column) => parsed.error.issues.find((i) => i.path[0] === column))
      .find((i) => i !== undefined);
    const message = first?.message ?? '';
    return { ok: false, reason: isSkipReason(message) ? message : 'malformed-record' };
  }
  const r = parsed.data;
  return {
    ok: true,
    tweet: {
      line,
      tweetId: r.tweet_id,
      authorId: r.author_id,
      inbound: r.inbound,
      createdAt: new Date(r.created_at).toISOString(),
      createdMs: r.created_at,
      text: r.text,
      inResponseTo: r.in_response_to_tweet_id,
      responseIds: r.response_tweet_id,
    },
  };
}
