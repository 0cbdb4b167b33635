import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../../platform/errors.ts';
import { parseTwcsRecord, twcsColumns } from './twcs.schema.ts';
import type { SkipReason, TwcsColumn, TwcsRecord, TwcsTweet } from './twcs.schema.ts';

export type TwcsReadResult =
  | { ok: true; tweet: TwcsTweet }
  | { ok: false; reason: SkipReason; line: number };

/** What csv-parse yields with `info: true`. */
interface ParsedRecord {
  record: string[];
  info: { lines: number; records: number };
}

function isParsedRecord(value: unknown): value is ParsedRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { record, info } = value as Partial<ParsedRecord>;
  return Array.isArray(record) && record.every((f) => typeof f === 'string') && typeof info?.lines === 'number' && typeof info.records === 'number';
}

function columnIndexes(header: string[]): Record<TwcsColumn, number> {
  const names = header.map((h) => h.trim());
  const missing = twcsColumns.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new AppError('validation_failed', `not a twcs file: the header lacks ${missing.join(', ')}`);
  }
  const at = (column: TwcsColumn) => names.indexOf(column);
  return {
    tweet_id: at('tweet_id'),
    author_id: at('author_id'),
    inbound: at('inbound'),
    created_at: at('created_at'),
    text: at('text'),
    response_tweet_id: at('response_tweet_id'),
    in_response_to_tweet_id: at('in_response_to_tweet_id'),
  };
}

function pick(fields: string[], at: Record<TwcsColumn, number>): TwcsRecord {
  return {
    tweet_id: fields[at.tweet_id],
    author_id: fields[at.author_id],
    inbound: fields[at.inbound],
    created_at: fields[at.created_at],
    text: fields[at.text],
    response_tweet_id: fields[at.response_tweet_id],
    in_response_to_tweet_id: fields[at.in_response_to_tweet_id],
  };
}

/** csv-parse counts a bare CR as a line break; the lines reported here are LF lines, as an editor numbers them. */
function countBareCarriageReturns(fields: string[]): number {
  let count = 0;
  for (const field of fields) count += field.match(/\r(?!\n)/g)?.length ?? 0;
  return count;
}

/**
 * Reads a twcs CSV file record by record. Only LF and CRLF end a record: the Kaggle dump has bare CRs inside
 * unquoted text fields (tweet 3399 in the first 5,000 rows), which an RFC 4180 reader would split in two.
 * A record the CSV parser rejects, or one with the wrong number of fields, is reported as malformed, never thrown.
 */
export async function* readTwcs(source: string | Readable): AsyncGenerator<TwcsReadResult> {
  const input = typeof source === 'string' ? fs.createReadStream(source) : source;
  // Records the parser rejected, with how many records it had produced before each one (to keep file order).
  const rejected: { after: number }[] = [];
  const parser = parse({
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    // Tweets put quotes inside unquoted fields (`a "word" here`); keep them as text.
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: () => {
      rejected.push({ after: parser.info.records });
      return undefined;
    },
    info: true,
  });
  input.on('error', (error: Error) => parser.destroy(error));
  input.pipe(parser);

  let indexes: Record<TwcsColumn, number> | null = null;
  let width = 0;
  let previousEnd = 0;
  let bareCarriageReturns = 0;
  for await (const value of parser as AsyncIterable<unknown>) {
    if (!isParsedRecord(value)) throw new Error('csv-parse returned an unexpected record shape');
    while (rejected.length > 0 && rejected[0].after < value.info.records) {
      rejected.shift();
      yield { ok: false, reason: 'malformed-record', line: previousEnd + 1 };
    }
    const line = previousEnd + 1;
    bareCarriageReturns += countBareCarriageReturns(value.record);
    previousEnd = value.info.lines - bareCarriageReturns;
    if (value.record.length === 1 && value.record[0] === '') continue;
    if (indexes === null) {
      indexes = columnIndexes(value.record);
      width = value.record.length;
      continue;
    }
    if (value.record.length !== width) {
      yield { ok: false, reason: 'malformed-record', line };
      continue;
    }
    const result = parseTwcsRecord(pick(value.record, indexes), line);
    yield result.ok ? result : { ok: false, reason: result.reason, line };
  }
  for (const _ of rejected.splice(0)) yield { ok: false, reason: 'malformed-record', line: previousEnd + 1 };
  if (indexes === null) throw new AppError('validation_failed', 'not a twcs file: it is empty');
}
