import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/db.ts';
import { createLogger } from '../../platform/logger.ts';
import { systemClock } from '../../platform/clock.ts';
import { createWorkspace } from '../../features/accounts/index.ts';
import { createBaselineClassifier } from '../../features/classification/index.ts';
import { createPassThroughMatcher, createRule } from '../../features/listening/index.ts';
import { createEventNotifier } from '../../features/events/index.ts';
import { createChannel, createListenerSupervisor } from '../../features/channels/index.ts';
import { startFakeX } from '../../../test/fakes/x.fake.ts';
import type { FakeX } from '../../../test/fakes/x.fake.ts';
import { openMigratedMemoryDb, scaledTimers, waitFor } from '../../../test/support/listen.harness.ts';
import { xStreamRulesFor } from './listen.command.ts';

let db: Db;
let fake: FakeX;
const secretKey = crypto.randomBytes(32);
const logger = createLogger('silent');

beforeAll(async () => {
  db = await openMigratedMemoryDb();
  fake = await startFakeX({ token: 'x-token', rules: [{ id: '1', value: 'left alone', tag: 'someone-else' }] });
});
afterAll(async () => {
  await fake.close();
  await db.close();
});

describe('X stream rules from listening rules', () => {
  it("puts the workspace's enabled, filterable rules on the stream and leaves the others out", async () => {
    const ws = await createWorkspace(db, { slug: 'x-rules', name: 'X rules' });
    const rule = (name: string, query: string, enabled = true) =>
      createRule(db, { workspaceId: ws.id, createdBy: null, name, tag: 'brand', query, enabled });
    const brand = await rule('Brand', 'Acme (router OR modem) -giveaway');
    const fedi = await rule('Fediverse', 'from:acme@mastodon.social');
    await rule('Paused', 'acme outage', false);
    const other = await createWorkspace(db, { slug: 'x-rules-other', name: 'Other' });
    await createRule(db, { workspaceId: other.id, createdBy: null, name: 'Theirs', tag: 'brand', query: 'brightwave', enabled: true });
    const { channel } = await createChannel(db, secretKey, {
      workspaceId: ws.id, kind: 'x', name: 'X stream', owned: false, credentials: { bearerToken: 'x-token' }, config: { baseUrl: fake.baseUrl },
    });

    expect(await xStreamRulesFor({ db, logger }, { ...channel, workspaceId: ws.id, config: { ruleMaxLength: 10 }, credentialsEncrypted: null, syncCursor: null }))
      .toEqual([]);
    expect(await xStreamRulesFor({ db, logger }, { ...channel, workspaceId: ws.id, config: {}, credentialsEncrypted: null, syncCursor: null }))
      .toEqual([{ id: brand.id, value: 'acme (router OR modem) -giveaway', tag: 'brand' }]);

    const supervisor = createListenerSupervisor({
      db, secretKey, logger, timers: scaledTimers(100), scanIntervalMs: 60_000, healthRefreshMs: 0,
      ingest: { db, classifier: createBaselineClassifier(), matcher: createPassThroughMatcher(), clock: systemClock, notifier: createEventNotifier(), threadWindowHours: 72 },
      streamRules: (row) => xStreamRulesFor({ db, logger }, row),
    });
    await supervisor.start();
    try {
      await waitFor(() => fake.rules.some((r) => r.tag?.startsWith('parley:')), 20_000, 'Parley rules on the X stream');
      expect(fake.rules.map(({ value, tag }) => ({ value, tag })).sort((a, b) => a.value.localeCompare(b.value))).toEqual([
        { value: 'acme (router OR modem) -giveaway', tag: `parley:${brand.id}:brand` },
        { value: 'left alone', tag: 'someone-else' },
      ]);
      expect(fake.rules.some((r) => r.tag?.includes(fedi.id))).toBe(false);
    } finally {
      await supervisor.stop();
    }
  });
});
