import { describe, expect, it } from 'vitest';
import type { Intent } from '../classification/index.ts';
import type { RuleTag } from '../listening/index.ts';
import { alertPolicySchema, engagementPolicySchema } from './alert-policy.schema.ts';
import type { EngagementAction, EngagementReason } from './alert-policy.schema.ts';
import { decideEngagement, detectSignals, recommendEngagement } from './engagement.recommender.ts';
import type { RecommendationInput } from './engagement.recommender.ts';

const policy = engagementPolicySchema.parse({ brandHandles: ['@AcmeHelp', 'acme'] });

function input(text: string, over: Partial<RecommendationInput> & { complaint?: boolean; intent?: Intent } = {}): RecommendationInput {
  const { complaint = false, intent = 'other', ...rest } = over;
  return { text, labels: { complaint, intent }, ownedChannel: false, repliesToBrand: false, ruleTags: ['brand'], answeredByOther: false, ...rest };
}

const brand: RuleTag[] = ['brand'];
const competitor: RuleTag[] = ['competitor'];

describe('recommendEngagement', () => {
  it.each<[string, RecommendationInput, EngagementAction, EngagementReason[]]>([
    ['a DM asking how to change plan', input('how do I change my plan?', { intent: 'request', ownedChannel: true, ruleTags: [] }), 'engage', ['addressed_to_brand', 'question']],
    ['a public complaint heard by a brand rule', input('acme internet down again, no fix', { complaint: true, intent: 'complaint' }), 'engage', ['customer_problem']],
    ['a complaint that @-mentions the brand', input('@acmehelp my bill is wrong', { complaint: true, intent: 'complaint' }), 'engage', ['addressed_to_brand', 'customer_problem']],
    ['a mention inside an e-mail address is not a mention', input('write to me at bob@acmehelp.example please', { intent: 'other' }), 'monitor', []],
    ['a reply to the brand', input('ok, still waiting though', { repliesToBrand: true }), 'engage', ['addressed_to_brand']],
    ['a joke', input('lol my cat unplugged the acme router 😂'), 'ignore', ['joke']],
    ['a complaint with a laugh is still a complaint', input('acme down AGAIN lol', { complaint: true, intent: 'complaint' }), 'engage', ['customer_problem']],
    ['spam', input('acme giveaway click here', { intent: 'spam' }), 'ignore', ['spam']],
    ['spam addressed to the brand is still ignored', input('@acme follow back for promo', { intent: 'spam', ownedChannel: true, ruleTags: [] }), 'ignore', ['addressed_to_brand', 'spam']],
    ['a troll', input('acme are a bunch of clowns'), 'ignore', ['troll']],
    ['an angry customer is not a troll', input('you idiots cut my line AGAIN', { complaint: true, intent: 'complaint' }), 'engage', ['customer_problem']],
    ['only a competitor rule matched', input('globex lost my parcel', { complaint: true, intent: 'complaint', ruleTags: competitor }), 'ignore', ['customer_problem', 'not_about_brand']],
    ['a brand and a competitor rule matched', input('acme vs globex, both down', { complaint: true, intent: 'complaint', ruleTags: [...brand, ...competitor] }), 'engage', ['customer_problem']],
    ['a question someone else already answered', input('how do I reset the acme router?', { intent: 'question', answeredByOther: true }), 'monitor', ['question', 'answered_by_other']],
    ['praise', input('loving my new acme phone', { intent: 'praise' }), 'monitor', []],
    ['no labels at all', { ...input('hello'), labels: null }, 'monitor', []],
  ])('%s', (_name, post, action, signals) => {
    const recommendation = recommendEngagement(post, policy);
    expect(recommendation.action).toBe(action);
    expect(recommendation.signals).toEqual(signals);
    expect(recommendation.reasons.map((r) => r.code).sort()).toEqual([...signals].sort());
    expect(recommendation.score).toBeCloseTo(signals.reduce((sum, s) => sum + policy.weights[s], 0), 5);
  });

  it('lists the reasons strongest first, each with its weight and words for the agent', () => {
    const r = recommendEngagement(input('@acmehelp how do I get my refund? charged twice', { complaint: true, intent: 'complaint' }), policy);
    expect(r.reasons).toEqual([
      { code: 'customer_problem', weight: 2, text: 'a customer with a problem' },
      { code: 'addressed_to_brand', weight: 1, text: 'addressed to the brand' },
    ]);
  });
});

describe('a workspace tunes the policy', () => {
  it('a reason weighted 0 no longer counts, though the signal is kept for later', () => {
    const tuned = engagementPolicySchema.parse({ weights: { joke: 0 } });
    const r = recommendEngagement(input('haha acme'), tuned);
    expect(r).toMatchObject({ action: 'monitor', score: 0, reasons: [], signals: ['joke'] });
  });

  it('thresholds move the line between engage, monitor and ignore', () => {
    const question = input('how do I pay my acme bill?', { intent: 'question' });
    expect(recommendEngagement(question, policy).action).toBe('engage');
    expect(recommendEngagement(question, engagementPolicySchema.parse({ engageAt: 2 })).action).toBe('monitor');
    expect(recommendEngagement(question, engagementPolicySchema.parse({ weights: { question: -1 } })).action).toBe('ignore');
  });

  it('re-deciding from stored signals adds a new one without looking at the text again', () => {
    const first = recommendEngagement(input('how do I reset my router?', { intent: 'question' }), policy);
    expect(first.action).toBe('engage');
    const later = decideEngagement([...first.signals, 'answered_by_other'], policy);
    expect(later).toMatchObject({ action: 'monitor', signals: ['question', 'answered_by_other'] });
  });

  it('detects brand handles only from the workspace list', () => {
    const post = input('@globexcare my order is late');
    expect(detectSignals(post, policy)).toEqual([]);
    expect(detectSignals(post, engagementPolicySchema.parse({ brandHandles: ['GlobexCare'] }))).toEqual(['addressed_to_brand']);
  });
});

describe('alertPolicySchema', () => {
  it('fills every default, so an empty document is a full policy', () => {
    const p = alertPolicySchema.parse({});
    expect(p.viral).toMatchObject({ enabled: true, threshold: 50, weights: { replies: 0.5, reposts: 1, quotes: 1, likes: 0.1 } });
    expect(p.spike).toMatchObject({ bucketMinutes: 5, windowsSeconds: [60, 300], minCount: 8, dimensions: ['topic', 'rule', 'channel'] });
    expect(p.engagement).toMatchObject({ engageAt: 1, ignoreAt: -1, brandHandles: [] });
  });

  it.each([
    ['an unknown field', { viral: { treshold: 40 } }],
    ['a threshold above 100', { viral: { threshold: 101 } }],
    ['a window that is not a multiple of 10 s', { spike: { windowsSeconds: [45] } }],
    ['ignoreAt not below engageAt', { engagement: { engageAt: 0, ignoreAt: 0 } }],
    ['an unknown reason', { engagement: { weights: { sarcasm: -1 } } }],
    ['an unknown dimension', { spike: { dimensions: ['language'] } }],
  ])('refuses %s', (_name, document) => {
    expect(alertPolicySchema.safeParse(document).success).toBe(false);
  });
});
