import { describe, expect, it } from 'vitest';
import { assessNeed, maxPriority } from './priority.ts';

const calm = { complaint: false, urgency: 0, urgencySignals: [], intent: 'other' as const };

describe('assessNeed', () => {
  it.each([
    ['a remark', calm, 1, 'low', 'low'],
    ['a question', { ...calm, intent: 'question' as const }, 1, 'low', 'normal'],
    ['a complaint', { ...calm, complaint: true, intent: 'complaint' as const }, 1, 'medium', 'normal'],
    ['an urgent complaint', { complaint: true, urgency: 0.4, urgencySignals: ['long outage'], intent: 'complaint' as const }, 1, 'high', 'high'],
    ['a safety issue', { complaint: false, urgency: 0.5, urgencySignals: ['safety'], intent: 'other' as const }, 1, 'critical', 'urgent'],
    ['a third contact', { ...calm, complaint: true, intent: 'complaint' as const }, 3, 'medium', 'high'],
  ])('%s', (_name, labels, contacts, severity, priority) => {
    const need = assessNeed(labels, contacts);
    expect(need.severity).toBe(severity);
    expect(need.priority).toBe(priority);
  });

  it('never lowers a repeated urgent case to high', () => {
    expect(assessNeed({ complaint: true, urgency: 0.9, urgencySignals: ['safety'], intent: 'complaint' }, 5).priority).toBe('urgent');
  });
});

describe('maxPriority', () => {
  it('keeps the more pressing priority', () => {
    expect(maxPriority('low', 'high')).toBe('high');
    expect(maxPriority('urgent', 'normal')).toBe('urgent');
  });
});
