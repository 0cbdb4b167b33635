import crypto from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { createTestDatabase, testDatabaseKind } from '../../../test/support/database.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { loadClassifier } from '../classification/index.ts';
import { createPassThroughMatcher } from '../listening/index.ts';
import { createEventNotifier } from '../events/index.ts';
import type { Classifier } from '../classification/index.ts';
import type { IngestDeps } from '../ingest/index.ts';
import { ensureImportTarget, importTwcs } from './index.ts';
import type { ImportSummary, ImportTarget } from './index.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'twcs-fixture.csv');

interface StoredMessage extends Record<string, unknown> {
  external_id: string;
  direction: 'inbound' | 'outbound';
  case_id: string | null;
  sender_name: string | null;
  reply_to_external_id: string | null;
  text: string;
  sent_at: Date;
}

// On PostgreSQL the import runs 4 groups side by side; on PGlite it is serial. The outcome must be the same.
describe(`importTwcs on the fixture (${testDatabaseKind})`, () => {
  let database: TestDatabase;
  let db: Db;
  let deps: IngestDeps;
  let target: ImportTarget;
  let first: ImportSummary;
  let messages: Map<string, StoredMessage>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    deps = {
      db,
      classifier: loadClassifier(),
      matcher: createPassThroughMatcher(),
      clock: fixedClock(new Date('2018-01-15T00:00:00Z')),
      notifier: createEventNotifier(),
      threadWindowHours: 72,
    };
    target = await ensureImportTarget(db, { workspaceSlug: 'fixture', secretKey: () => crypto.randomBytes(32) });
    first = await importTwcs(deps, target.channel, fixture, { concurrency: 4 });
    const rows = await db.query<StoredMessage>(
      `SELECT external_id, direction, case_id, sender_name, reply_to_external_id, text, sent_at FROM message WHERE workspace_id = $1`,
      [target.workspace.id],
    );
    messages = new Map(rows.map((r) => [r.external_id, r]));
  });

  afterAll(async () => {
    await database?.drop();
  });

  const stored = (id: string): StoredMessage => {
    const message = messages.get(id);
    if (!message) throw new Error(`message ${id} was not stored`);
    return message;
  };

  it('summarizes what it read, stored and skipped', () => {
    expect(first).toMatchObject({
      rows: 16,
      messages: 10,
      inbound: 6,
      outbound: 4,
      duplicates: 1,
      // 101 (joined by 102, 103, 104), 105 (joined by 106 and by 107, within 72 h), 108 (13 days later).
      cases: 3,
      // {101 102 103 104} {105 106} {107} {108 109} {110}
      threads: 5,
      customers: 3,
      skippedTotal: 5,
    });
    expect(first.skipped).toEqual([
      { reason: 'malformed-record', count: 1, lines: [17] },
      { reason: 'missing-tweet-id', count: 1, lines: [15] },
      { reason: 'invalid-inbound', count: 1, lines: [16] },
      { reason: 'unparseable-created-at', count: 2, lines: [14, 18] },
    ]);
  });

  it('stores each tweet once, brand replies as outbound messages signed by the brand', async () => {
    expect([...messages.keys()].sort()).toEqual(['101', '102', '103', '104', '105', '106', '107', '108', '109', '110']);
    expect(stored('102')).toMatchObject({ direction: 'outbound', sender_name: 'AcmeCare', reply_to_external_id: '101' });
    expect(stored('101')).toMatchObject({ direction: 'inbound', sender_name: null, reply_to_external_id: null });
    expect(stored('104').text).toBe('@AcmeCare \r\rDone: sent it');
    expect(stored('102').text).toContain('!\nCan you DM us');
    expect(stored('103').sent_at.toISOString()).toBe('2017-10-30T10:06:00.000Z');
    const authors = await db.query<{ handle: string }>(`SELECT handle FROM author WHERE workspace_id = $1 ORDER BY handle`, [
      target.workspace.id,
    ]);
    expect(authors.map((a) => a.handle)).toEqual(['201', '202', '203']);
  });

  it('threads replies into their parent’s case, the parent stored first even when dated after the reply', () => {
    const caseOf = (id: string) => stored(id).case_id;
    expect(caseOf('101')).not.toBeNull();
    for (const id of ['102', '103', '104']) expect(caseOf(id)).toBe(caseOf('101'));
    expect(caseOf('106')).toBe(caseOf('105'));
    expect(caseOf('107')).toBe(caseOf('105'));
    expect(caseOf('108')).not.toBe(caseOf('105'));
    expect(caseOf('109')).toBe(caseOf('108'));
    expect(stored('109').reply_to_external_id).toBe('108');
    expect(caseOf('110')).toBeNull();
    expect(stored('110').reply_to_external_id).toBe('999');
  });

  it('opens exactly the cases it reports', async () => {
    const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM cases WHERE workspace_id = $1`, [
      target.workspace.id,
    ]);
    expect(count).toBe(first.cases);
  });

  it('stores nothing twice when the same file is imported again into the same channel', async () => {
    const counts = async () =>
      db.query<{ messages: number; cases: number; events: number; customers: number }>(
        `SELECT (SELECT count(*)::int FROM message WHERE workspace_id = $1) AS messages,
                (SELECT count(*)::int FROM cases WHERE workspace_id = $1) AS cases,
                (SELECT count(*)::int FROM event WHERE workspace_id = $1) AS events,
                (SELECT count(*)::int FROM customer WHERE workspace_id = $1) AS customers`,
        [target.workspace.id],
      );
    const before = await counts();
    const again = await ensureImportTarget(db, { workspaceSlug: 'fixture', secretKey: () => crypto.randomBytes(32) });
    expect(again).toMatchObject({ workspaceCreated: false, channelCreated: false, channel: { id: target.channel.id } });
    const progress: number[] = [];
    const second = await importTwcs(deps, again.channel, fixture, { concurrency: 4, onProgress: ({ done }) => progress.push(done) });
    expect(second).toMatchObject({ messages: 0, duplicates: 11, cases: 0, threads: 5, skippedTotal: 5 });
    expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await counts()).toEqual(before);
  });
});

describe(`importTwcs when the database rejects a row (${testDatabaseKind})`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('skips that row with its reason and imports the rest', async () => {
    const real = loadClassifier();
    // A NUL character cannot be stored in jsonb (SQLSTATE class 22): the row's content is at fault.
    const classifier: Classifier = {
      version: real.version,
      classify: (text, options) => {
        const labels = real.classify(text, options);
        if (!text.includes('trap')) return labels;
        return { ...labels, explanation: { ...labels.explanation, complaint: [{ feature: 'char:"\u0000"', weight: 1 }] } };
      },
    };
    const deps: IngestDeps = {
      db: database.db,
      classifier,
      matcher: createPassThroughMatcher(),
      clock: fixedClock(new Date('2018-01-15T00:00:00Z')),
      notifier: createEventNotifier(),
      threadWindowHours: 72,
    };
    const target = await ensureImportTarget(database.db, { workspaceSlug: 'rejects', secretKey: () => crypto.randomBytes(32) });
    const csv =
      'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n' +
      '1,11,True,Tue Oct 31 10:00:00 +0000 2017,@AcmeCare hello,,\n' +
      '2,12,True,Tue Oct 31 10:01:00 +0000 2017,@AcmeCare a trap 😭,3,\n' +
      '3,AcmeCare,False,Tue Oct 31 10:02:00 +0000 2017,@12 Sorry!,,2\n';
    const summary = await importTwcs(deps, target.channel, Readable.from([Buffer.from(csv)]));
    expect(summary).toMatchObject({ messages: 2, inbound: 1, outbound: 1, skippedTotal: 1 });
    expect(summary.skipped).toEqual([{ reason: 'rejected-by-database', count: 1, lines: [3] }]);
  });
});
