import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { testDatabaseKind } from '../support/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { SeriesReport } from '../../src/features/insights/index.ts';

const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

// The test's own percentile: linear interpolation between the sorted values (PostgreSQL's percentile_cont).
function pct(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((s[lo] + (s[hi] - s[lo]) * (pos - lo)) * 1000) / 1000;
}

const minute = 60_000;
const billing = 'I was overcharged on my bill again, I want a refund';
const outage = 'My internet has been down since Monday, still no fix!';
const praise = 'Thanks so much, great service today';

/**
 * Business hours Mon–Fri 09:00–17:00 UTC. Each case: channel, first message, minutes to the first answer (and the
 * business minutes that is, worked out by hand), minutes to resolution (and its business minutes), assigned or not.
 *   A Mon 01-05 09:00 phone  answered 09:30 (30 bm), resolved 17:00 (480 bm)
 *   B Mon 01-05 16:00 phone  answered Tue 09:30 (60 + 30 = 90 bm)
 *   C Tue 01-06 12:00 x      answered 12:10 (10 bm)
 *   D Wed 01-07 18:00 x      never answered
 *   E Sat 01-10 10:00 x      answered Mon 01-12 09:15 (15 bm: the weekend does not count)
 *   F Mon 01-12 10:00 phone  answered 10:45 (45 bm), resolved 13:00 (180 bm)
 * plus G on 01-20, outside the reported period.
 */
const fixture = [
  { name: 'A', channel: 'phone', at: '2026-01-05T09:00:00Z', text: billing, answer: 30, answerBm: 30, resolve: 480, resolveBm: 480, assign: true },
  { name: 'B', channel: 'phone', at: '2026-01-05T16:00:00Z', text: outage, answer: 1050, answerBm: 90, resolve: null, resolveBm: null, assign: false },
  { name: 'C', channel: 'x', at: '2026-01-06T12:00:00Z', text: billing, answer: 10, answerBm: 10, resolve: null, resolveBm: null, assign: false },
  { name: 'D', channel: 'x', at: '2026-01-07T18:00:00Z', text: praise, answer: null, answerBm: null, resolve: null, resolveBm: null, assign: false },
  { name: 'E', channel: 'x', at: '2026-01-10T10:00:00Z', text: outage, answer: 2835, answerBm: 15, resolve: null, resolveBm: null, assign: true },
  { name: 'F', channel: 'phone', at: '2026-01-12T10:00:00Z', text: billing, answer: 45, answerBm: 45, resolve: 180, resolveBm: 180, assign: false },
  { name: 'G', channel: 'phone', at: '2026-01-20T10:00:00Z', text: billing, answer: 5, answerBm: 5, resolve: null, resolveBm: null, assign: false },
] as const;

type Fixture = (typeof fixture)[number];

interface StoredCase {
  f: Fixture;
  id: string;
  teamId: string | null;
  assigneeId: string | null;
  firstResponseDueAt: string;
  resolutionDueAt: string;
}

describe(`reports API (${testDatabaseKind})`, () => {
  let supervisor: string;
  let agent: string;
  let admin: string;
  let agentId: string;
  let otherSupervisor: string;
  let teamId: string;
  const cases: StoredCase[] = [];
  const teamName = '=Billing+1';

  beforeAll(async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent', 'admin']);
    [supervisor, agent, admin] = users.map((u) => u.token);
    agentId = users[1].user.id;
    otherSupervisor = (await createWorkspaceWithUsers(t.ctx, ['supervisor'])).users[0].token;
    const day = [{ start: '09:00', end: '17:00' }];
    const policy = await t.app.inject({ method: 'GET', url: '/api/v1/sla-policy', headers: bearer(admin) });
    const sla = await t.app.inject({
      method: 'PUT', url: '/api/v1/sla-policy', headers: bearer(admin),
      payload: { ...policy.json().data, timeZone: 'UTC', businessHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] } },
    });
    expect(sla.statusCode, sla.body).toBe(200);
    const team = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: bearer(supervisor), payload: { name: teamName, topics: ['billing'] } });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json().data.id;

    const channels = { phone: await createTestChannel(t.ctx, workspace.id, 'phone'), x: await createTestChannel(t.ctx, workspace.id, 'x') };
    for (const f of fixture) {
      const channel = channels[f.channel];
      const sentAt = new Date(f.at);
      const res = await postMessages(t.app, channel, messageOf({ externalId: `in-${f.name}`, text: f.text, sentAt: f.at, author: { externalId: `author-${f.name}` } }));
      expect(res.statusCode, res.body).toBe(201);
      const id: string = res.json().data.caseId;
      if (f.answer !== null) {
        const out = await postMessages(t.app, channel, messageOf({
          externalId: `out-${f.name}`, direction: 'outbound', replyToExternalId: `in-${f.name}`, text: 'Sorry about that, looking into it now.',
          sentAt: new Date(sentAt.getTime() + f.answer * minute).toISOString(), author: { externalId: 'brand' },
        }));
        expect(out.statusCode, out.body).toBe(201);
      }
      if (f.assign) {
        const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${id}`, headers: bearer(supervisor), payload: { assigneeId: agentId } });
        expect(patched.statusCode, patched.body).toBe(200);
      }
      if (f.resolve !== null) {
        clock.set(new Date(sentAt.getTime() + f.resolve * minute));
        const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/cases/${id}`, headers: bearer(agent), payload: { status: 'resolved' } });
        expect(patched.statusCode, patched.body).toBe(200);
      }
      const detail = (await t.app.inject({ url: `/api/v1/cases/${id}`, headers: bearer(supervisor) })).json().data.case;
      cases.push({ f, id, teamId: detail.teamId, assigneeId: detail.assigneeId, firstResponseDueAt: detail.firstResponseDueAt, resolutionDueAt: detail.resolutionDueAt });
    }
    clock.set(new Date('2026-02-01T00:00:00Z'));
  });

  async function report<K extends string>(path: string, query: string, token = supervisor): Promise<SeriesReport<K>> {
    const res = await t.app.inject({ url: `/api/v1/reports/${path}?${query}`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  }

  const inPeriod = () => cases.filter((c) => c.f.at < '2026-01-13');
  const weekOf = (at: string) => (at < '2026-01-12' ? '2026-01-05' : '2026-01-12');

  it('routes the billing cases to the team and assigns two to the agent (the fixture the reports group by)', () => {
    expect(cases.filter((c) => c.teamId === teamId).map((c) => c.f.name)).toEqual(['A', 'C', 'F', 'G']);
    expect(cases.filter((c) => c.assigneeId === agentId).map((c) => c.f.name)).toEqual(['A', 'E']);
  });

  it('counts volume per day and channel: customers, brand and cases opened, empty days included', async () => {
    const r = await report<'inbound' | 'outbound' | 'casesOpened'>('volume', 'from=2026-01-05&to=2026-01-12&bucket=day&groupBy=channel');
    expect(r.period).toEqual({ from: '2026-01-05T00:00:00.000Z', to: '2026-01-13T00:00:00.000Z' });
    expect(r.series.map((s) => s.group.key)).toEqual(['phone', 'x']);
    for (const s of r.series) {
      expect(s.points.map((p) => p.bucketStart)).toEqual(['05', '06', '07', '08', '09', '10', '11', '12'].map((d) => `2026-01-${d}`));
      for (const p of s.points) {
        const mine = inPeriod().filter((c) => c.f.channel === s.group.key);
        const inbound = mine.filter((c) => c.f.at.startsWith(p.bucketStart)).length;
        const outbound = mine.filter((c) => c.f.answer !== null && new Date(new Date(c.f.at).getTime() + c.f.answer * minute).toISOString().startsWith(p.bucketStart)).length;
        expect(p.values, `${s.group.key} ${p.bucketStart}`).toEqual({ inbound, outbound, casesOpened: inbound });
      }
    }
    const total = await report<'inbound'>('volume', 'from=2026-01-05&to=2026-01-12&bucket=week');
    expect(total.series).toHaveLength(1);
    expect(total.series[0].points.map((p) => [p.bucketStart, p.values.inbound])).toEqual([['2026-01-05', 5], ['2026-01-12', 1]]);
    expect(total.series[0].total.inbound).toBe(6);
  });

  it('breaks sentiment down as the classifier labelled each message', async () => {
    const r = await report<'labelled' | 'negative' | 'neutral' | 'positive' | 'negativeShare' | 'netSentiment'>('sentiment', 'from=2026-01-05&to=2026-01-12&bucket=week');
    const labels = inPeriod().map((c) => ({ week: weekOf(c.f.at), sentiment: t.ctx.classifier.classify(c.f.text).sentiment }));
    for (const p of r.series[0].points) {
      const week = labels.filter((l) => l.week === p.bucketStart);
      const n = (s: string) => week.filter((l) => l.sentiment === s).length;
      expect(p.values.labelled).toBe(week.length);
      expect([p.values.negative, p.values.neutral, p.values.positive]).toEqual([n('negative'), n('neutral'), n('positive')]);
      expect(p.values.netSentiment).toBeCloseTo((n('positive') - n('negative')) / week.length, 4);
    }
    expect(labels.filter((l) => l.sentiment === 'positive')).toHaveLength(1);
  });

  it('gives first-response and resolution times per week and channel, elapsed and in business time', async () => {
    const r = await report<string>('response-times', 'from=2026-01-05&to=2026-01-12&bucket=week&groupBy=channel');
    for (const s of r.series) {
      for (const p of s.points) {
        const cell = inPeriod().filter((c) => c.f.channel === s.group.key && weekOf(c.f.at) === p.bucketStart);
        const answered = cell.filter((c) => c.f.answer !== null);
        const resolved = cell.filter((c) => c.f.resolve !== null);
        expect(p.values, `${s.group.key} ${p.bucketStart}`).toEqual({
          cases: cell.length,
          answered: answered.length,
          unanswered: cell.length - answered.length,
          firstResponseMedianSeconds: pct(answered.map((c) => (c.f.answer ?? 0) * 60), 0.5),
          firstResponseP90Seconds: pct(answered.map((c) => (c.f.answer ?? 0) * 60), 0.9),
          firstResponseBusinessMedianMinutes: pct(answered.map((c) => c.f.answerBm ?? 0), 0.5),
          firstResponseBusinessP90Minutes: pct(answered.map((c) => c.f.answerBm ?? 0), 0.9),
          resolved: resolved.length,
          resolutionMedianSeconds: pct(resolved.map((c) => (c.f.resolve ?? 0) * 60), 0.5),
          resolutionP90Seconds: pct(resolved.map((c) => (c.f.resolve ?? 0) * 60), 0.9),
          resolutionBusinessMedianMinutes: pct(resolved.map((c) => c.f.resolveBm ?? 0), 0.5),
          resolutionBusinessP90Minutes: pct(resolved.map((c) => c.f.resolveBm ?? 0), 0.9),
        });
      }
    }
    // Spelled out once: phone in the first week is A (30 min) and B (17.5 h, of which 90 business minutes).
    const phone = r.series.find((s) => s.group.key === 'phone');
    expect(phone?.points[0].values.firstResponseMedianSeconds).toBe((1800 + 63000) / 2);
    expect(phone?.points[0].values.firstResponseBusinessMedianMinutes).toBe(60);
  });

  it('groups by team and by agent, naming them', async () => {
    const byTeam = await report<string>('response-times', 'from=2026-01-05&to=2026-01-12&bucket=week&groupBy=team');
    expect(byTeam.series.map((s) => [s.group.key, s.group.label, s.total.cases])).toEqual([
      [teamId, teamName, inPeriod().filter((c) => c.teamId === teamId).length],
      ['none', 'no team', inPeriod().filter((c) => c.teamId === null).length],
    ]);
    const byAgent = await report<string>('volume', 'from=2026-01-05&to=2026-01-12&bucket=week&groupBy=agent');
    expect(byAgent.series.map((s) => [s.group.key, s.group.label, s.total.casesOpened])).toEqual([
      [agentId, 'agent 1', 2],
      ['none', 'unassigned', 4],
    ]);
  });

  it("measures SLA attainment against each case's own due times", async () => {
    const r = await report<string>('sla', 'from=2026-01-05&to=2026-01-12&bucket=week');
    const now = new Date('2026-02-01T00:00:00Z').getTime();
    for (const p of r.series[0].points) {
      const cell = inPeriod().filter((c) => weekOf(c.f.at) === p.bucketStart);
      const outcome = (doneAfter: number | null, at: string, due: string) => {
        if (doneAfter !== null) return new Date(at).getTime() + doneAfter * minute <= new Date(due).getTime() ? 'met' : 'missed';
        return new Date(due).getTime() <= now ? 'missed' : 'pending';
      };
      const first = cell.map((c) => outcome(c.f.answer, c.f.at, c.firstResponseDueAt));
      const resolution = cell.map((c) => outcome(c.f.resolve, c.f.at, c.resolutionDueAt));
      const n = (list: string[], o: string) => list.filter((x) => x === o).length;
      const rate = (list: string[]) => (n(list, 'met') + n(list, 'missed') === 0 ? null : Math.round((n(list, 'met') / (n(list, 'met') + n(list, 'missed'))) * 10_000) / 10_000);
      expect(p.values).toEqual({
        cases: cell.length,
        firstResponseMet: n(first, 'met'), firstResponseMissed: n(first, 'missed'), firstResponsePending: n(first, 'pending'), firstResponseAttainment: rate(first),
        resolutionMet: n(resolution, 'met'), resolutionMissed: n(resolution, 'missed'), resolutionPending: n(resolution, 'pending'), resolutionAttainment: rate(resolution),
      });
    }
    // D was never answered and its deadline has long passed: the first week cannot be perfect.
    expect(r.series[0].points[0].values.firstResponseMissed).toBeGreaterThanOrEqual(1);
  });

  it('exports CSV with the same numbers, names neutralised against formula injection', async () => {
    const res = await t.app.inject({ url: '/api/v1/reports/volume?from=2026-01-05&to=2026-01-12&bucket=week&groupBy=team&format=csv', headers: bearer(supervisor) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="volume-2026-01-05-2026-01-13.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('bucket_start,group_by,group_key,group_label,inbound,outbound,cases_opened');
    const teamCases = inPeriod().filter((c) => c.teamId === teamId);
    const week1 = teamCases.filter((c) => weekOf(c.f.at) === '2026-01-05').length;
    expect(lines).toContain(`2026-01-05,team,${teamId},'=Billing+1,${week1},${week1},${week1}`);
    expect(lines).toContain(`total,team,${teamId},'=Billing+1,${teamCases.length},${teamCases.length},${teamCases.length}`);
    expect(lines.some((l) => l.includes(',=Billing'))).toBe(false);
    expect(lines).toHaveLength(1 + 2 * 3);
  });

  it('answers 400 for a bad period, a period too long for its bucket, unknown options; 401/403 by role', async () => {
    for (const query of [
      'from=2026-02-01&to=2026-01-01', 'from=someday', 'from=2025-01-01&to=2026-03-01&bucket=day', 'from=2023-01-01&to=2026-01-01&bucket=week',
      'groupBy=customer', 'bucket=month', 'format=xlsx', 'extra=1',
    ]) {
      const res = await t.app.inject({ url: `/api/v1/reports/volume?${query}`, headers: bearer(supervisor) });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
    }
    const tooLong = await t.app.inject({ url: '/api/v1/reports/sla?from=2025-01-01&to=2026-03-01&bucket=day', headers: bearer(supervisor) });
    expect(tooLong.json().error.message).toMatch(/at most 366 days \(use bucket=week\)/);
    const unknownGroup = await t.app.inject({ url: '/api/v1/reports/sla?groupBy=customer', headers: bearer(supervisor) });
    expect(unknownGroup.json().error.message).toMatch(/groupBy/);
    expect((await t.app.inject({ url: '/api/v1/reports/volume' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/reports/volume', headers: bearer(agent) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/reports/volume?from=2026-01-05&to=2026-01-12', headers: bearer(admin) })).statusCode).toBe(200);
  });

  it('documents the reports, competitor watch and webhook routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    for (const path of ['volume', 'sentiment', 'response-times', 'sla', 'share-of-voice', 'heard-unanswered']) {
      const op = doc.paths[`/api/v1/reports/${path}`]?.get;
      expect(op, path).toBeDefined();
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'bucket', 'groupBy', 'format']));
    }
    const voc = doc.paths['/api/v1/reports/voice-of-customer'].get.parameters.map((p: { name: string }) => p.name);
    expect(voc).toEqual(['week', 'baselineWeeks', 'minSupport', 'minLift', 'limit', 'format']);
    expect(doc.paths['/api/v1/reports/volume'].get.parameters.find((p: { name: string }) => p.name === 'groupBy').schema.enum).toEqual(['none', 'channel', 'team', 'agent']);
    expect(doc.paths['/api/v1/competitor-watch/opportunities/{id}/outreach'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/competitor-watch/opt-outs'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/webhook-subscriptions/{id}'].patch.requestBody).toBeDefined();
  });

  it("never shows another workspace's data", async () => {
    const r = await report<'inbound'>('volume', 'from=2026-01-05&to=2026-01-12&bucket=week', otherSupervisor);
    expect(r.series[0].total.inbound).toBe(0);
    const byChannel = await report<'inbound'>('response-times', 'from=2026-01-05&to=2026-01-12&groupBy=channel', otherSupervisor);
    expect(byChannel.series).toEqual([]);
  });
});
