import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Sentiment } from './labels.ts';
import { sentiments } from './labels.ts';

/** Shared data lives beside the checkout (../shared/data), never inside it. PARLEY_SHARED_DATA overrides. */
export function resolveSharedDataDir(): string {
  return process.env.PARLEY_SHARED_DATA ?? path.resolve(process.cwd(), '../shared/data');
}

export interface ComplaintExample {
  id: string;
  text: string;
  complaint: boolean;
  domain: string;
}

export const randomDomains = new Set(['random_reply', 'random_tweet']);

const complaintRowSchema = z.tuple([z.string().regex(/^\d+$/), z.string(), z.enum(['0', '1']), z.string().min(1)]);

/** The ACL 2019 complaints corpus: `tweet_id,text,label,domain`, no header; ids stay strings (they exceed 2^53). */
export function loadComplaints(dataDir = resolveSharedDataDir()): ComplaintExample[] {
  const file = path.join(dataDir, 'complaints', 'complaints-data.csv');
  const records: unknown = parse(readFileSync(file, 'utf8'), { relax_column_count: false, bom: true });
  return z.array(complaintRowSchema).parse(records).map(([id, text, label, domain]) => ({
    id, text, complaint: label === '1', domain,
  }));
}

export interface SentimentExample {
  text: string;
  sentiment: Sentiment;
}

function readLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** TweetEval sentiment, one split. Lines are trimmed: the rebuilt train file pads each line with a space. */
export function loadTweetEvalSentiment(split: 'train' | 'val', dataDir = resolveSharedDataDir()): SentimentExample[] {
  const dir = path.join(dataDir, 'tweeteval-sentiment');
  const texts = readLines(path.join(dir, `${split}_text.txt`));
  const labels = readLines(path.join(dir, `${split}_labels.txt`));
  if (texts.length !== labels.length) throw new Error(`tweeteval ${split}: ${texts.length} texts but ${labels.length} labels`);
  return texts.map((text, i) => {
    const label = sentiments[Number(labels[i].trim())];
    if (label === undefined) throw new Error(`tweeteval ${split}: bad label on line ${i + 1}`);
    return { text: text.trim(), sentiment: label };
  });
}
