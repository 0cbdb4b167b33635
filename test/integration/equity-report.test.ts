import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { testDatabaseKind } from '../support/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { EquityReport } from '../../src/features/insights/index.ts';

const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

const minute = 60;
type Channel = Awaited<ReturnType<typeof createTestChannel>>;

/**
 * The fixture, every case with the same words (so the same severity), first responses in minutes:
 *   phone  (no followers)        10, 20, 60, and one never answered (sent 2026-01-20, 12 days before the report)
 *   x      50 / 5,000 / 2M / 2M  5, 15, 30, 40 — the first 2M case resolved at 90
 *   email  (no followers)        120, 240 — the first resolved at 300
 * plus two cases outside the period (before `from`, and exactly at the exclusive end).
 */
describe(`equity report (${testDatabaseKind})`, () => {
  let supervisor: string;
  let agent: string;
  let otherSupervisor: string;
  let severity: string;

  beforeAll(async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent']);
    [supervisor, agent] = users.map((u) => u.token);
    otherSupervisor = (await createWorkspaceWithUsers(t.ctx, ['supervisor'])).users[0].token;
    const phone = await createTestChannel(t.ctx, workspace.id, 'phone');
    const x = await createTestChannel(t.ctx, workspace.id, 'x');
    const email = await createTestChannel(t.ctx, workspace.id, 'email');

    let n = 0;
    const open = async (channel: Channel, start: string, author: { externalId: string; followerCount?: number }, answeredAfter: number | null, resolvedAfter?: number) => {
      n += 1;
      const sentAt = new Date(start);
      const res = await postMessages(t.app, channel, messageOf({ externalId: `in-${n}`, sentAt: sentAt.toISOString(), author }));
      expect(res.statusCode).toBe(201);
      const caseId: string = res.json().data.caseId;
      if (answeredAfter !== null) {
        const reply = await postMessages(t.app, channel, messageOf({
          externalId: `out-${n}`, direction: 'outbound', replyToExternalId: `in-${n}`, text: 'Sorry about that — looking into it now.',
          sentAt: new Date(sentAt.getTime() + answeredAfter * 60_000).toISOString(), author: { externalId: 'brand' },
        }));
        expect(reply.statusCode).toBe(201);
      }
      if (resolvedAfter !== undefined) {
        clock.set(new Date(sentAt.getTime() + resolvedAfter * 60_000));
        const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${caseId}`, headers: bearer(agent), payload: { status: 'resolved' } });
        expect(patched.statusCode).toBe(200);
      }
      return caseId;
    };
    const first = await open(phone, '2026-01-05T09:00:00Z', { externalId: '+447911000001' }, 10);
    await open(phone, '2026-01-06T09:00:00Z', { externalId: '+447911000002' }, 20);
    await open(phone, '2026-01-07T09:00:00Z', { externalId: '+447911000003' }, 60);
    await open(phone, '2026-01-20T00:00:00Z', { externalId: '+447911000004' }, null);
    await open(x, '2026-01-05T10:00:00Z', { externalId: 'x-50', followerCount: 50 }, 5);
    await open(x, '2026-01-06T10:00:00Z', { externalId: 'x-5k', followerCount: 5_000 }, 15);
    await open(x, '2026-01-07T10:00:00Z', { externalId: 'x-2m-a', followerCount: 2_000_000 }, 30, 90);
    await open(x, '2026-01-08T10:00:00Z', { externalId: 'x-2m-b', followerCount: 2_000_000 }, 40);
    await open(email, '2026-01-05T11:00:00Z', { externalId: 'a@example.com' }, 120, 300);
    await open(email, '2026-01-06T11:00:00Z', { externalId: 'b@example.com' }, 240);
    await open(x, '2025-12-31T23:59:00Z', { externalId: 'x-before', followerCount: 10 }, 1);
    await open(phone, '2026-02-01T00:00:00Z', { externalId: '+447911000009' }, 1);

    severity = (await t.app.inject({ url: `/api/v1/cases/${first}`, headers: bearer(agent) })).json().data.case.severity;
    clock.set(new Date('2026-02-01T00:00:00Z'));
  });

  async function report(query = '?from=2026-01-01&to=2026-01-31', token = supervisor): Promise<EquityReport> {
    const res = await t.app.inject({ url: `/api/v1/reports/equity${query}`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json().data;
  }

  it('gives median and p90 first response and resolution by channel at equal severity, with unanswered cases counted', async () => {
    const r = await report();
    expect(r.period).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(r.byChannel).toEqual([
      {
        channel: 'email', severity, cases: 2,
        firstResponse: { answered: 2, medianSeconds: 180 * minute, p90Seconds: 228 * minute },
        resolution: { resolved: 1, medianSeconds: 300 * minute, p90Seconds: 300 * minute },
        unanswered: { count: 0, ageMedianSeconds: null, ageMaxSeconds: null },
      },
      {
        channel: 'phone', severity, cases: 4,
        firstResponse: { answered: 3, medianSeconds: 20 * minute, p90Seconds: 52 * minute },
        resolution: { resolved: 0, medianSeconds: null, p90Seconds: null },
        unanswered: { count: 1, ageMedianSeconds: 12 * 86_400, ageMaxSeconds: 12 * 86_400 },
      },
      {
        channel: 'x', severity, cases: 4,
        firstResponse: { answered: 4, medianSeconds: 22.5 * minute, p90Seconds: 37 * minute },
        resolution: { resolved: 1, medianSeconds: 90 * minute, p90Seconds: 90 * minute },
        unanswered: { count: 0, ageMedianSeconds: null, ageMaxSeconds: null },
      },
    ]);
    expect(r.overall).toEqual([{
      severity, cases: 10,
      firstResponse: { answered: 9, medianSeconds: 30 * minute, p90Seconds: 144 * minute },
      resolution: { resolved: 2, medianSeconds: 195 * minute, p90Seconds: 279 * minute },
      unanswered: { count: 1, ageMedianSeconds: 12 * 86_400, ageMaxSeconds: 12 * 86_400 },
    }]);
  });

  it('buckets by the reach of the case customer, phone and email customers as none/unknown', async () => {
    const r = await report();
    const rows = r.byReach.map((b) => [b.bucket, b.label, b.severity, b.cases, b.firstResponse.answered, b.firstResponse.medianSeconds, b.firstResponse.p90Seconds, b.unanswered.count]);
    expect(rows).toEqual([
      ['none', 'none/unknown', severity, 6, 5, 60 * minute, 192 * minute, 1],
      ['0-99', '0–99', severity, 1, 1, 5 * minute, 5 * minute, 0],
      ['1000-9999', '1k–9,999', severity, 1, 1, 15 * minute, 15 * minute, 0],
      ['1000000+', '1M+', severity, 2, 2, 35 * minute, 39 * minute, 0],
    ]);
    // Only groups with enough answered cases are compared: here just one reach bucket and no channel.
    expect(r.gaps.channel).toEqual([{ severity, gap: null, fastest: null, slowest: null, groupsCompared: 0 }]);
    expect(r.gaps.reach).toEqual([{ severity, gap: null, fastest: null, slowest: null, groupsCompared: 1 }]);
  });

  it('defaults to the last 30 days and takes date-times as given', async () => {
    expect((await report('')).period).toEqual({ from: '2026-01-02T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    const narrow = await report('?from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z');
    expect(narrow.overall.map((s) => s.cases)).toEqual([3]);
  });

  it('exports CSV with the same numbers, safe for spreadsheets', async () => {
    const res = await t.app.inject({ url: '/api/v1/reports/equity?from=2026-01-01&to=2026-01-31&format=csv', headers: bearer(supervisor) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="equity-2026-01-01-2026-02-01.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('dimension,group,severity,cases,answered,first_response_median_s,first_response_p90_s,resolved,resolution_median_s,resolution_p90_s,unanswered,unanswered_age_median_s,unanswered_age_max_s');
    expect(lines).toContain(`channel,phone,${severity},4,3,1200,3120,0,,,1,1036800,1036800`);
    expect(lines).toContain(`reach,1M+,${severity},2,2,2100,2340,1,5400,5400,0,,`);
    expect(lines).toHaveLength(1 + 1 + 3 + 4);
  });

  it('is for supervisors only, validates the period and never shows another workspace', async () => {
    expect((await t.app.inject({ url: '/api/v1/reports/equity' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/reports/equity', headers: bearer(agent) })).statusCode).toBe(403);
    for (const query of ['?from=someday', '?from=2026-02-01&to=2026-01-01', '?format=xlsx', '?from=2020-01-01&to=2026-01-01', '?extra=1']) {
      const res = await t.app.inject({ url: `/api/v1/reports/equity${query}`, headers: bearer(supervisor) });
      expect(res.statusCode, query).toBe(400);
    }
    const other = await report('?from=2026-01-01&to=2026-01-31', otherSupervisor);
    expect(other.overall).toEqual([]);
    expect(other.byChannel).toEqual([]);
  });
});
