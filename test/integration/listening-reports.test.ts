import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { testDatabaseKind } from '../support/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { SeriesReport, VoiceOfCustomerReport } from '../../src/features/insights/index.ts';

const clock = fixedClock(new Date('2026-01-19T00:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

const minute = 60_000;
type Channel = Awaited<ReturnType<typeof createTestChannel>>;
const words = (text: string) => text.toLowerCase().split(/[^a-z]+/);

/** Public posts heard by two listening channels; `answer` is when the brand replied, in minutes after the post. */
const posts = [
  { id: 'p1', on: 'bluesky', at: '2026-01-05T10:00:00Z', text: 'acme billing overcharged me again, refund please', answer: 30 },
  { id: 'p2', on: 'bluesky', at: '2026-01-06T10:00:00Z', text: 'my acmephone broke again, worst support ever', answer: 3 * 24 * 60 },
  { id: 'p3', on: 'bluesky', at: '2026-01-07T10:00:00Z', text: 'globex overcharged me on my bill', answer: null },
  { id: 'p4', on: 'bluesky', at: '2026-01-07T11:00:00Z', text: 'globex and acme are both down', answer: null },
  { id: 'p5', on: 'bluesky', at: '2026-01-08T12:00:00Z', text: 'initech router broken again', answer: null },
  { id: 'p6', on: 'x', at: '2026-01-09T09:00:00Z', text: 'acme is great', answer: null },
  { id: 'p7', on: 'bluesky', at: '2026-01-09T10:00:00Z', text: 'nothing to see here', answer: null },
  { id: 'p8', on: 'bluesky', at: '2026-01-13T10:00:00Z', text: 'globex internet down again', answer: null },
  { id: 'p9', on: 'bluesky', at: '2026-01-18T23:30:00Z', text: 'acme internet has been down since Monday, still no fix!', answer: null },
] as const;

/** The voices a post speaks for, by the rules below: brand (acme or acmephone), @Globex, Initech. */
function voicesOf(text: string): string[] {
  const w = words(text);
  return [
    ...(w.includes('acme') || w.includes('acmephone') ? ['brand'] : []),
    ...(w.includes('globex') ? ['@Globex'] : []),
    ...(w.includes('initech') ? ['Initech'] : []),
  ];
}

const weekOf = (at: string) => (at < '2026-01-12' ? '2026-01-05' : '2026-01-12');

describe(`share of voice and heard-but-unanswered (${testDatabaseKind})`, () => {
  let supervisor: string;
  let agent: string;
  const ruleIds: Record<string, string> = {};
  const caseOf: Record<string, string> = {};

  beforeAll(async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['supervisor', 'agent']);
    [supervisor, agent] = users.map((u) => u.token);
    for (const [name, tag, query] of [['Acme', 'brand', 'acme'], ['Acme phone', 'product', 'acmephone'], ['@Globex', 'competitor', 'globex'], ['Initech', 'competitor', 'initech']]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/rules', headers: bearer(supervisor), payload: { name, tag, query } });
      expect(res.statusCode, res.body).toBe(201);
      ruleIds[name] = res.json().data.id;
    }
    const channels: Record<string, Channel> = {
      bluesky: await createTestChannel(t.ctx, workspace.id, 'bluesky', false),
      x: await createTestChannel(t.ctx, workspace.id, 'x', false),
    };
    for (const p of posts) {
      const res = await postMessages(t.app, channels[p.on], messageOf({ externalId: p.id, text: p.text, sentAt: p.at, author: { externalId: `author-${p.id}`, handle: `user_${p.id}` } }));
      expect(res.statusCode, res.body).toBe(voicesOf(p.text).length > 0 ? 201 : 200);
      if (res.json().data.caseId) caseOf[p.id] = res.json().data.caseId;
      if (p.answer !== null) {
        // The brand's answer is heard on the same stream: it names the brand, so listening keeps it.
        const out = await postMessages(t.app, channels[p.on], messageOf({
          externalId: `re-${p.id}`, direction: 'outbound', replyToExternalId: p.id, text: 'acme support here: sorry about this, we are on it',
          sentAt: new Date(new Date(p.at).getTime() + p.answer * minute).toISOString(), author: { externalId: 'acme' },
        }));
        expect(out.statusCode, out.body).toBe(201);
        expect(out.json().data.caseId).toBe(caseOf[p.id]);
      }
    }
  });

  async function report<K extends string>(path: string, query: string): Promise<SeriesReport<K>> {
    const res = await t.app.inject({ url: `/api/v1/reports/${path}?${query}`, headers: bearer(supervisor) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  }

  it('counts each voice per week with its share of all voices', async () => {
    const r = await report<'posts' | 'share'>('share-of-voice', 'from=2026-01-05&to=2026-01-18&bucket=week');
    expect(r.series.map((s) => s.group.label)).toEqual(['brand', '@Globex', 'Initech']);
    for (const week of ['2026-01-05', '2026-01-12']) {
      const heard = posts.filter((p) => weekOf(p.at) === week);
      const count = (voice: string) => heard.filter((p) => voicesOf(p.text).includes(voice)).length;
      const all = count('brand') + count('@Globex') + count('Initech');
      for (const s of r.series) {
        const point = s.points.find((p) => p.bucketStart === week);
        expect(point?.values, `${s.group.label} ${week}`).toEqual({ posts: count(s.group.label), share: Math.round((count(s.group.label) / all) * 10_000) / 10_000 });
      }
    }
    const brand = r.series[0];
    expect(brand.points[0].values.posts).toBe(4);
    expect(r.series.find((s) => s.group.label === '@Globex')?.group.key).toBe(ruleIds['@Globex']);
  });

  it('splits share of voice by channel, and refuses team or agent grouping with a reason', async () => {
    const r = await report<'posts' | 'share'>('share-of-voice', 'from=2026-01-05&to=2026-01-11&bucket=week&groupBy=channel');
    const rows = r.series.map((s) => [s.group.label, s.total.posts, s.total.share]);
    const on = (channel: string, voice: string) => posts.filter((p) => p.on === channel && weekOf(p.at) === '2026-01-05' && voicesOf(p.text).includes(voice)).length;
    const bluesky = on('bluesky', 'brand') + on('bluesky', '@Globex') + on('bluesky', 'Initech');
    const share = (n: number, of: number) => Math.round((n / of) * 10_000) / 10_000;
    expect(rows).toEqual([
      ['bluesky · brand', on('bluesky', 'brand'), share(on('bluesky', 'brand'), bluesky)],
      ['bluesky · @Globex', on('bluesky', '@Globex'), share(on('bluesky', '@Globex'), bluesky)],
      ['bluesky · Initech', on('bluesky', 'Initech'), share(on('bluesky', 'Initech'), bluesky)],
      ['x · brand', 1, 1],
    ]);
    const res = await t.app.inject({ url: '/api/v1/reports/share-of-voice?groupBy=agent', headers: bearer(supervisor) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/groupBy=channel or none/);
  });

  it('exports share of voice as CSV with rule names guarded', async () => {
    const res = await t.app.inject({ url: '/api/v1/reports/share-of-voice?from=2026-01-05&to=2026-01-11&bucket=week&format=csv', headers: bearer(supervisor) });
    expect(res.statusCode).toBe(200);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('bucket_start,group_by,group_key,group_label,posts,share');
    expect(lines).toContain(`2026-01-05,none,${ruleIds['@Globex']},'@Globex,2,0.2857`);
    expect(lines).toContain('2026-01-05,none,brand,brand,4,0.5714');
  });

  /** The test's own verdict on each heard complaint, from the case's priority and the SLA policy's targets. */
  async function judged() {
    const sla = (await t.app.inject({ url: '/api/v1/sla-policy', headers: bearer(supervisor) })).json().data;
    const out: { id: string; week: string; channel: string; rules: string[]; topics: string[]; outcome: string }[] = [];
    for (const p of posts) {
      const labels = t.ctx.classifier.classify(p.text);
      if (!labels.complaint || voicesOf(p.text).length === 0) continue;
      const detail = (await t.app.inject({ url: `/api/v1/cases/${caseOf[p.id]}`, headers: bearer(agent) })).json().data.case;
      const deadline = new Date(p.at).getTime() + sla.targets[detail.priority].firstResponse * minute;
      const outcome = p.answer === null
        ? (deadline <= clock.now().getTime() ? 'unanswered' : 'pending')
        : (new Date(p.at).getTime() + p.answer * minute <= deadline ? 'answered_in_sla' : 'answered_late');
      const rules = [...(words(p.text).includes('acme') ? ['Acme'] : []), ...(words(p.text).includes('acmephone') ? ['Acme phone'] : []),
        ...(words(p.text).includes('globex') ? ['@Globex'] : []), ...(words(p.text).includes('initech') ? ['Initech'] : [])];
      out.push({ id: p.id, week: weekOf(p.at), channel: p.on, rules, topics: labels.topics.length > 0 ? labels.topics : ['none'], outcome });
    }
    return out;
  }

  function expectedValues(cell: { outcome: string }[]) {
    const n = (o: string) => cell.filter((c) => c.outcome === o).length;
    const judgedCount = cell.length - n('pending');
    return {
      heard: cell.length, answeredInSla: n('answered_in_sla'), answeredLate: n('answered_late'), unanswered: n('unanswered'), pending: n('pending'),
      missedShare: judgedCount === 0 ? null : Math.round(((n('answered_late') + n('unanswered')) / judgedCount) * 10_000) / 10_000,
    };
  }

  it('measures heard-but-unanswered complaints per week: in SLA, late, never, pending', async () => {
    const truth = await judged();
    expect(new Set(truth.map((c) => c.outcome))).toEqual(new Set(['answered_in_sla', 'answered_late', 'unanswered', 'pending']));
    const r = await report<string>('heard-unanswered', 'from=2026-01-05&to=2026-01-18&bucket=week');
    expect(r.series).toHaveLength(1);
    for (const p of r.series[0].points) expect(p.values, p.bucketStart).toEqual(expectedValues(truth.filter((c) => c.week === p.bucketStart)));
    expect(r.series[0].total).toEqual(expectedValues(truth));
  });

  it('breaks heard-but-unanswered down by rule and by topic', async () => {
    const truth = await judged();
    const byRule = await report<string>('heard-unanswered', 'from=2026-01-05&to=2026-01-18&bucket=week&groupBy=rule');
    const ruleNames = [...new Set(truth.flatMap((c) => c.rules))];
    expect(byRule.series.map((s) => s.group.label).sort()).toEqual([...ruleNames].sort());
    for (const s of byRule.series) {
      expect(s.group.key).toBe(ruleIds[s.group.label]);
      expect(s.total, s.group.label).toEqual(expectedValues(truth.filter((c) => c.rules.includes(s.group.label))));
    }
    const byTopic = await report<string>('heard-unanswered', 'from=2026-01-05&to=2026-01-18&bucket=week&groupBy=topic');
    for (const s of byTopic.series) expect(s.total, s.group.key).toEqual(expectedValues(truth.filter((c) => c.topics.includes(s.group.key))));
    expect(byTopic.series.map((s) => s.group.key).sort()).toEqual([...new Set(truth.flatMap((c) => c.topics))].sort());
    const bad = await t.app.inject({ url: '/api/v1/reports/heard-unanswered?groupBy=team', headers: bearer(supervisor) });
    expect(bad.statusCode).toBe(400);
  });
});

/** Complaints over three weeks; the phrase "router reboot loop" takes off in the week of 2026-01-12. */
const complaintWeeks = [
  {
    week: '2025-12-29',
    texts: ['I was charged twice on my bill this month', 'the bill is wrong again, overcharged', 'still waiting for a refund on the double charge', 'I was charged twice on my bill this month'],
  },
  {
    week: '2026-01-05',
    texts: ['I was charged twice on my bill this month', 'the bill is wrong again, overcharged', 'router reboot loop every night since the update, this is awful', 'still waiting for a refund on the double charge'],
  },
  {
    week: '2026-01-12',
    texts: [
      'I was charged twice on my bill this month',
      'router reboot loop every night since the update, this is awful',
      'my router reboot loop started again, no internet all evening',
      'the bill is wrong again, overcharged',
      'router reboot loop again today, terrible service, fix it',
      '=router reboot loop again, nothing works',
    ],
  },
];

describe(`voice of the customer (${testDatabaseKind})`, () => {
  let supervisor: string;

  beforeAll(async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['supervisor']);
    supervisor = users[0].token;
    const channel = await createTestChannel(t.ctx, workspace.id, 'api');
    let n = 0;
    for (const { week, texts } of complaintWeeks) {
      for (const [i, text] of texts.entries()) {
        expect(t.ctx.classifier.classify(text).complaint, text).toBe(true);
        n += 1;
        const sentAt = new Date(new Date(`${week}T08:00:00Z`).getTime() + i * 60 * minute).toISOString();
        const res = await postMessages(t.app, channel, messageOf({ externalId: `voc-${n}`, text, sentAt, author: { externalId: `voc-author-${n}` } }));
        expect(res.statusCode, res.body).toBe(201);
      }
    }
  });

  async function voc(query: string): Promise<VoiceOfCustomerReport> {
    const res = await t.app.inject({ url: `/api/v1/reports/voice-of-customer?${query}`, headers: bearer(supervisor) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  }

  it('finds the rising phrase against a weighted baseline, with its numbers and example posts', async () => {
    const r = await voc('week=2026-01-14&baselineWeeks=2&minSupport=3&minLift=2');
    expect(r.week).toEqual({ start: '2026-01-12T00:00:00.000Z', end: '2026-01-19T00:00:00.000Z' });
    expect(r.complaints).toBe(6);
    expect(r.baseline).toEqual([{ weekStart: '2026-01-05', complaints: 4 }, { weekStart: '2025-12-29', complaints: 4 }]);
    // "router reboot loop": 4 of 6 posts this week; the baseline share is (1 × 1/4 + ½ × 0/4) / 1.5 = 1/6, so 1 post is
    // expected and the lift is (4 + 1) / (1 + 1) = 2.5. Its shorter parts have the same count and are dropped.
    const contains = (text: string) => text.includes('router reboot loop');
    const thisWeek = complaintWeeks[2].texts;
    const baselineShare = (1 * (complaintWeeks[1].texts.filter(contains).length / 4) + 0.5 * (complaintWeeks[0].texts.filter(contains).length / 4)) / 1.5;
    const expected = baselineShare * thisWeek.length;
    expect(r.risingPhrases.map((p) => [p.phrase, p.posts, p.expected, p.lift])).toEqual([
      ['router reboot loop', thisWeek.filter(contains).length, Math.round(expected * 1000) / 1000, Math.round(((thisWeek.filter(contains).length + 1) / (expected + 1)) * 1000) / 1000],
    ]);
    expect(r.risingPhrases[0].lift).toBe(2.5);
    // Examples: the newest posts of the week first.
    expect(r.risingPhrases[0].examples.map((e) => e.text)).toEqual([thisWeek[5], thisWeek[4], thisWeek[2]]);
  });

  it('ranks complaint topics by posts with their weekly trend', async () => {
    const r = await voc('week=2026-01-12&baselineWeeks=2');
    const topicsOf = (text: string) => {
      const topics = t.ctx.classifier.classify(text).topics;
      return topics.length > 0 ? topics : ['none'];
    };
    const count = (texts: string[], topic: string) => texts.filter((x) => topicsOf(x).includes(topic)).length;
    const all = [...new Set(complaintWeeks[2].texts.flatMap(topicsOf))];
    expect(r.topics.map((x) => x.topic).sort()).toEqual(all.sort());
    for (const topic of r.topics) {
      expect(topic.posts).toBe(count(complaintWeeks[2].texts, topic.topic));
      expect(topic.weekly).toEqual(complaintWeeks.map((w) => ({ weekStart: w.week, posts: count(w.texts, topic.topic) })));
    }
    expect(r.topics.map((x) => x.posts)).toEqual([...r.topics.map((x) => x.posts)].sort((a, b) => b - a));
  });

  it('exports topics and phrases as CSV, example posts guarded against formula injection', async () => {
    const res = await t.app.inject({ url: '/api/v1/reports/voice-of-customer?week=2026-01-12&baselineWeeks=2&format=csv', headers: bearer(supervisor) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="voice-of-customer-2026-01-12-2026-01-19.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('week_start,section,item,posts,share,expected,lift,example_1,example_2,example_3');
    const phrase = lines.find((l) => l.startsWith('2026-01-12,phrase,router reboot loop,'));
    expect(phrase).toBe(`2026-01-12,phrase,router reboot loop,4,,1,2.5,"'=router reboot loop again, nothing works","router reboot loop again today, terrible service, fix it","my router reboot loop started again, no internet all evening"`);
    expect(lines.some((l) => /(^|,)"?=/.test(l))).toBe(false);
  });

  it('validates the week and the method parameters', async () => {
    for (const query of ['week=2026-13-01', 'week=yesterday', 'week=2030-01-07', 'baselineWeeks=0', 'minSupport=0', 'minLift=0.5', 'limit=1000', 'format=pdf']) {
      const res = await t.app.inject({ url: `/api/v1/reports/voice-of-customer?${query}`, headers: bearer(supervisor) });
      expect(res.statusCode, query).toBe(400);
    }
  });
});
