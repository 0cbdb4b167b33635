import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { createTestDatabase, testDatabaseKind } from '../../../test/support/database.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { loadClassifier } from '../classification/index.ts';
import { createPassThroughMatcher } from '../listening/index.ts';
import { createEventNotifier } from '../events/index.ts';
import { ensureImportTarget, importTwcs } from './index.ts';
import type { ImportSummary, ImportTarget } from './index.ts';

/*
 * Conformance of the twcs import on the real first 5,000 rows of the Kaggle dump. Every expected number is computed
 * here from the raw bytes with a deliberately plain method — a hand-written CSV scanner, Date.parse, a union-find —
 * sharing no code with the importer.
 *
 * The case count follows the pipeline's documented threading rule, simulated message by message in import order
 * (time, then tweet id; the test checks that this order already puts every parent before its replies):
 *   - a message that replies to a stored message joins that message's case (outbound ones too);
 *   - otherwise a customer's message joins that customer's open case with activity within the thread window
 *     (the most recent one), or opens a new case — unless the classifier calls it spam;
 *   - an outbound message that answers nothing with a case belongs to no case.
 * Nothing closes a case during an import, so every case stays open.
 */

const file = path.resolve('../shared/data/customer-support-twitter/twcs-first-5000.csv');
const threadWindowHours = 72;

interface Row {
  id: string;
  author: string;
  inbound: boolean;
  ms: number;
  text: string;
  parent: string | null;
  responses: string[];
}

/** RFC 4180 quoting, but only LF (or CRLF) ends a record: a lone CR is text. */
function scanCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

const toId = (value: string): string | null => (value === '' ? null : String(Math.trunc(Number(value))));

function readRows(): Row[] {
  const [header, ...records] = scanCsv(fs.readFileSync(file, 'utf8'));
  const col = (name: string) => header.indexOf(name);
  return records.map((r) => {
    expect(r).toHaveLength(header.length);
    return {
      id: r[col('tweet_id')],
      author: r[col('author_id')],
      inbound: r[col('inbound')] === 'True',
      ms: Date.parse(r[col('created_at')]),
      text: r[col('text')],
      parent: toId(r[col('in_response_to_tweet_id')]),
      responses: r[col('response_tweet_id')].split(',').filter((s) => s !== ''),
    };
  });
}

function countComponents(ids: string[], links: [string, string][]): number {
  const up = new Map(ids.map((id) => [id, id]));
  const root = (id: string): string => {
    let r = id;
    while (up.get(r) !== r) r = up.get(r) ?? r;
    return r;
  };
  for (const [a, b] of links) up.set(root(a), root(b));
  return new Set(ids.map(root)).size;
}

/** Groups ids by case and returns the groups as sorted strings, so two partitions compare with toEqual. */
function partition(caseOf: Map<string, string | null>): string[] {
  const groups = new Map<string, string[]>();
  for (const [id, c] of caseOf) if (c !== null) groups.set(c, [...(groups.get(c) ?? []), id]);
  return [...groups.values()].map((g) => g.sort().join(' ')).sort();
}

function simulateCases(rows: Row[]): Map<string, string | null> {
  const classifier = loadClassifier();
  const order = [...rows].sort((a, b) => a.ms - b.ms || Number(a.id) - Number(b.id));
  const caseOf = new Map<string, string | null>();
  const last = new Map<string, number>();
  const casesOfCustomer = new Map<string, string[]>();
  for (const row of order) {
    let c = row.parent === null ? null : (caseOf.get(row.parent) ?? null);
    if (row.inbound && c === null) {
      const since = row.ms - threadWindowHours * 3_600_000;
      const open = (casesOfCustomer.get(row.author) ?? []).filter((k) => (last.get(k) ?? 0) >= since);
      c = open.sort((a, b) => (last.get(b) ?? 0) - (last.get(a) ?? 0))[0] ?? null;
      if (c === null && classifier.classify(row.text).intent !== 'spam') {
        c = `case-${row.id}`;
        casesOfCustomer.set(row.author, [...(casesOfCustomer.get(row.author) ?? []), c]);
      }
    }
    if (c !== null) last.set(c, Math.max(last.get(c) ?? 0, row.ms));
    caseOf.set(row.id, c);
  }
  return caseOf;
}

describe.skipIf(!fs.existsSync(file))(`twcs import conformance: first 5,000 rows of the Kaggle dump (${testDatabaseKind})`, () => {
  let rows: Row[];
  let database: TestDatabase;
  let db: Db;
  let target: ImportTarget;
  let summary: ImportSummary;

  beforeAll(async () => {
    rows = readRows();
    database = await createTestDatabase();
    db = database.db;
    target = await ensureImportTarget(db, { workspaceSlug: 'twcs', secretKey: () => crypto.randomBytes(32) });
    const deps = {
      db,
      classifier: loadClassifier(),
      matcher: createPassThroughMatcher(),
      clock: fixedClock(new Date('2018-01-15T00:00:00Z')),
      notifier: createEventNotifier(),
      threadWindowHours,
    };
    // Concurrency applies on PostgreSQL only (independent groups side by side); PGlite imports serially.
    summary = await importTwcs(deps, target.channel, file, { concurrency: 4 });
  }, 900_000);

  afterAll(async () => {
    await database?.drop();
  });

  it('reads exactly 5,000 records, tweet 3399 in one piece with its bare carriage returns', () => {
    expect(rows).toHaveLength(5000);
    const tweet = rows.find((r) => r.id === '3399');
    expect(tweet?.text).toBe('@AskPayPal \r\rI just love the start of email 😁 https://t.co/8u1Pf5rJoN');
    expect(rows.every((r) => /^\d+$/.test(r.id) && r.author !== '' && Number.isFinite(r.ms))).toBe(true);
    expect(summary.rows).toBe(5000);
    expect(summary.skipped).toEqual([]);
  });

  it('stores every tweet once, brand replies as outbound messages', async () => {
    const unique = new Set(rows.map((r) => r.id));
    const inbound = rows.filter((r) => r.inbound).length;
    expect(summary).toMatchObject({ messages: unique.size, inbound, outbound: rows.length - inbound, duplicates: 0 });
    const stored = await db.query<{ direction: string; n: number }>(
      `SELECT direction, count(*)::int AS n FROM message WHERE workspace_id = $1 GROUP BY direction ORDER BY direction`,
      [target.workspace.id],
    );
    expect(stored).toEqual([
      { direction: 'inbound', n: inbound },
      { direction: 'outbound', n: rows.length - inbound },
    ]);
    expect(summary.customers).toBe(new Set(rows.filter((r) => r.inbound).map((r) => r.author)).size);
  });

  it('reconstructs the threads: components of the reply links, in the file and as stored', async () => {
    const ids = new Set(rows.map((r) => r.id));
    // response_tweet_id agrees with in_response_to_tweet_id everywhere in this file, so the links are unambiguous.
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of rows) for (const child of r.responses) if (ids.has(child)) expect(byId.get(child)?.parent).toBe(r.id);
    const links = rows.flatMap((r): [string, string][] => (r.parent !== null && ids.has(r.parent) ? [[r.id, r.parent]] : []));
    const threads = countComponents([...ids], links);
    expect(summary.threads).toBe(threads);

    const stored = await db.query<{ external_id: string; reply_to_external_id: string | null }>(
      `SELECT external_id, reply_to_external_id FROM message WHERE workspace_id = $1`,
      [target.workspace.id],
    );
    const storedIds = stored.map((m) => m.external_id);
    const storedLinks = stored.flatMap((m): [string, string][] =>
      m.reply_to_external_id !== null && ids.has(m.reply_to_external_id) ? [[m.external_id, m.reply_to_external_id]] : [],
    );
    expect(countComponents(storedIds, storedLinks)).toBe(threads);
  });

  it('opens the cases the threading rule predicts, with the same messages in each', async () => {
    const ids = new Set(rows.map((r) => r.id));
    const ms = new Map(rows.map((r) => [r.id, r.ms]));
    // In this file every parent is older than its replies, so plain time order is a parents-first order.
    for (const r of rows) if (r.parent !== null && ids.has(r.parent)) expect(ms.get(r.parent)).toBeLessThan(r.ms);

    const predicted = simulateCases(rows);
    const predictedCases = new Set([...predicted.values()].filter((c) => c !== null)).size;
    expect(summary.cases).toBe(predictedCases);
    const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM cases WHERE workspace_id = $1`, [
      target.workspace.id,
    ]);
    expect(count).toBe(predictedCases);

    const stored = await db.query<{ external_id: string; case_id: string | null }>(
      `SELECT external_id, case_id FROM message WHERE workspace_id = $1`,
      [target.workspace.id],
    );
    expect(partition(new Map(stored.map((m) => [m.external_id, m.case_id])))).toEqual(partition(predicted));
  });
});
