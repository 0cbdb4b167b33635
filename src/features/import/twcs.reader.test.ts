import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTwcs } from './twcs.reader.ts';
import type { TwcsReadResult } from './twcs.reader.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'twcs-fixture.csv');

async function readAll(source: string | Readable): Promise<TwcsReadResult[]> {
  const results: TwcsReadResult[] = [];
  for await (const result of readTwcs(source)) results.push(result);
  return results;
}

describe('readTwcs', () => {
  it('keeps the traps the fixture is made of', () => {
    const bytes = fs.readFileSync(fixture, 'utf8');
    expect(bytes).toMatch(/[^\n]\r\r[^\n]/);
    expect(bytes).toContain('"@201 Sorry to hear that!\nCan you DM us');
  });

  it('reads every record once, a bare CR in an unquoted field included', async () => {
    const results = await readAll(fixture);
    expect(results).toHaveLength(16);
    const tweets = results.flatMap((r) => (r.ok ? [r.tweet] : []));
    expect(tweets.map((t) => t.tweetId)).toEqual(['101', '102', '103', '104', '104', '105', '106', '107', '108', '109', '110']);
    const byId = new Map(tweets.map((t) => [t.tweetId, t]));
    expect(byId.get('104')?.text).toBe('@AcmeCare \r\rDone: sent it');
    expect(byId.get('102')?.text).toBe('@201 Sorry to hear that!\nCan you DM us your account number, please?');
    expect(byId.get('102')).toMatchObject({ line: 3, inbound: false, authorId: 'AcmeCare', inResponseTo: '101', responseIds: ['104'] });
    expect(byId.get('101')).toMatchObject({ line: 2, inbound: true, inResponseTo: null, responseIds: ['102', '103'] });
    expect(byId.get('103')).toMatchObject({ line: 5, createdAt: '2017-10-30T10:06:00.000Z' });
  });

  it('reports each bad row with its reason and line instead of throwing', async () => {
    const skipped = (await readAll(fixture)).flatMap((r) => (r.ok ? [] : [[r.reason, r.line]]));
    expect(skipped).toEqual([
      ['unparseable-created-at', 14],
      ['missing-tweet-id', 15],
      ['invalid-inbound', 16],
      ['malformed-record', 17],
      ['unparseable-created-at', 18],
    ]);
  });

  it('reads CRLF files, the Kaggle sample layout without the index column, and a BOM', async () => {
    const csv =
      '\uFEFFtweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\r\n' +
      '119237,105834,True,Wed Oct 11 06:55:44 +0000 2017,@AppleSupport it froze\r,119236,\r\n' +
      '119236,AppleSupport,False,Wed Oct 11 07:00:00 +0000 2017,"@105834 Sorry!\r\nDM us",,119237\r\n';
    const results = await readAll(Readable.from([Buffer.from(csv)]));
    expect(results.map((r) => r.ok && [r.tweet.tweetId, r.tweet.text, r.tweet.inResponseTo])).toEqual([
      ['119237', '@AppleSupport it froze\r', null],
      ['119236', '@105834 Sorry!\r\nDM us', '119237'],
    ]);
  });

  it('keeps stray quotes as text, and reports a quote never closed as one malformed record', async () => {
    const csv =
      'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n' +
      '1,11,True,Tue Oct 31 22:10:47 +0000 2017,"broken "quote" here,,\n' +
      '2,12,True,Tue Oct 31 22:10:48 +0000 2017,a "word" in quotes,,\n' +
      '3,13,True,Tue Oct 31 22:10:49 +0000 2017,"never closed,,\n' +
      '4,14,True,Tue Oct 31 22:10:50 +0000 2017,swallowed by the open quote,,\n';
    const results = await readAll(Readable.from([Buffer.from(csv)]));
    expect(results.map((r) => (r.ok ? [r.tweet.tweetId, r.tweet.text] : [r.reason, r.line]))).toEqual([
      ['1', '"broken "quote" here'],
      ['2', 'a "word" in quotes'],
      ['malformed-record', 4],
    ]);
  });

  it('refuses a file that is not in the twcs format', async () => {
    await expect(readAll(Readable.from([Buffer.from('id,body\n1,hello\n')]))).rejects.toThrow(/not a twcs file/);
  });
});
