import { describe, expect, it } from 'vitest';
import { neutralPriorityPolicy } from './case-policy.schema.ts';
import { assessNeed, assessSeverity, maxPriority, priorityOfScore } from './priority.ts';
import type { NeedInput } from './priority.ts';

const calm = { complaint: false, urgency: 0, urgencySignals: [], intent: 'other' as const };
const complaint = { ...calm, complaint: true, intent: 'complaint' as const };
const base: NeedInput = { labels: calm, contacts: 1, vulnerable: false, channelKind: 'x', followers: null };

describe('assessNeed (neutral policy)', () => {
  it.each([
    ['a remark', base, 'low', 'low', 0],
    ['a question', { ...base, labels: { ...calm, intent: 'question' as const } }, 'low', 'normal', 15],
    ['a complaint', { ...base, labels: complaint }, 'medium', 'normal', 20],
    ['an urgent complaint', { ...base, labels: { ...complaint, urgency: 0.4, urgencySignals: ['long outage'] } }, 'high', 'high', 44],
    ['a safety issue', { ...base, labels: { ...calm, urgency: 0.5, urgencySignals: ['safety'] } }, 'critical', 'urgent', 75],
    ['a second contact about a complaint', { ...base, labels: complaint, contacts: 2 }, 'medium', 'normal', 35],
    ['a third contact about a complaint', { ...base, labels: complaint, contacts: 3 }, 'medium', 'high', 60],
    ['a third contact about nothing in particular', { ...base, contacts: 3 }, 'low', 'high', 40],
    ['a vulnerable customer complaining', { ...base, labels: complaint, vulnerable: true }, 'medium', 'high', 50],
    ['a vulnerable customer with an urgent complaint', { ...base, labels: { ...complaint, urgency: 0.4 }, vulnerable: true }, 'high', 'urgent', 74],
    ['an earlier severity is a floor', { ...base, severity: 'high' as const }, 'high', 'high', 40],
  ])('%s', (_name, input, severity, priority, score) => {
    const need = assessNeed(input, neutralPriorityPolicy);
    expect(need.severity).toBe(severity);
    expect(need.priority).toBe(priority);
    expect(need.score).toBe(score);
  });

  it('ignores channel and reach when the policy gives them no weight', () => {
    const phone = assessNeed({ ...base, labels: complaint, channelKind: 'phone', followers: null }, neutralPriorityPolicy);
    const star = assessNeed({ ...base, labels: complaint, channelKind: 'x', followers: 2_000_000 }, neutralPriorityPolicy);
    expect(star).toEqual(phone);
  });

  it('adds channel and reach points only when a workspace policy weights them, and says so in the reason', () => {
    const policy = { channelPoints: { x: 25 }, reachPointsPerDecade: 5 };
    const star = assessNeed({ ...base, labels: complaint, channelKind: 'x', followers: 999_999 }, policy);
    expect(star.score).toBe(20 + 25 + 30);
    expect(star.priority).toBe('urgent');
    expect(star.reason).toContain('policy: x +25');
    expect(star.reason).toContain('policy: reach +30');
    const phone = assessNeed({ ...base, labels: complaint, channelKind: 'phone', followers: null }, policy);
    expect(phone.score).toBe(20);
  });

  it('keeps a critical problem urgent whatever a policy subtracts', () => {
    const need = assessNeed({ ...base, labels: { ...calm, urgencySignals: ['safety'] }, channelKind: 'phone' }, { channelPoints: { phone: -100 }, reachPointsPerDecade: 0 });
    expect(need.priority).toBe('urgent');
  });
});

describe('assessSeverity', () => {
  it.each([
    [calm, 'low'],
    [complaint, 'medium'],
    [{ ...calm, urgency: 0.3 }, 'medium'],
    [{ ...complaint, urgency: 0.3 }, 'high'],
    [{ ...calm, urgency: 0.7 }, 'critical'],
    [{ ...calm, urgencySignals: ['safety'] }, 'critical'],
  ])('%o is %s', (labels, severity) => {
    expect(assessSeverity(labels)).toBe(severity);
  });
});

describe('priority tiers', () => {
  it.each([[-5, 'low'], [14, 'low'], [15, 'normal'], [39, 'normal'], [40, 'high'], [69, 'high'], [70, 'urgent'], [400, 'urgent']])(
    'score %d is %s', (score, priority) => {
      expect(priorityOfScore(score)).toBe(priority);
    },
  );

  it('maxPriority keeps the more pressing priority', () => {
    expect(maxPriority('low', 'high')).toBe('high');
    expect(maxPriority('urgent', 'normal')).toBe('urgent');
  });
});
