import { describe, expect, it } from 'vitest';
import { defaultEscalationPolicy } from './case-policy.schema.ts';
import { evaluateEscalation, findTerm } from './escalation.rules.ts';
import type { EscalationFacts } from './escalation.rules.ts';

const calm: EscalationFacts = { currentTier: 0, severity: 'medium', recentContacts: 1, text: 'my bill is wrong' };

describe('evaluateEscalation (default ladder)', () => {
  it.each([
    ['nothing to escalate', calm, null],
    ['a critical severity goes to the specialists', { ...calm, severity: 'critical' as const }, { toTier: 1, trigger: 'severity' }],
    ['a second contact is not enough', { ...calm, recentContacts: 2 }, null],
    ['a third contact within the window', { ...calm, recentContacts: 3 }, { toTier: 1, trigger: 'repeat_contact' }],
    ['legal terms go to the executive office', { ...calm, text: 'I will take you to small claims court' }, { toTier: 2, trigger: 'legal_terms' }],
    ['safety terms go to the specialists', { ...calm, text: 'I smell a GAS  LEAK near the meter' }, { toTier: 1, trigger: 'safety_terms' }],
    ['the highest tier wins', { ...calm, severity: 'critical' as const, text: 'my lawyer says this is unsafe' }, { toTier: 2, trigger: 'legal_terms' }],
    ['a breach moves one tier up', { ...calm, text: undefined, breach: 'first_response' as const }, { toTier: 1, trigger: 'sla_breach' }],
    ['a breach at tier 1 moves to tier 2', { ...calm, currentTier: 1, text: undefined, breach: 'resolution' as const }, { toTier: 2, trigger: 'sla_breach' }],
    ['never above the top tier', { ...calm, currentTier: 2, text: undefined, breach: 'next_response' as const }, null],
    ['never down the ladder', { ...calm, currentTier: 2, severity: 'critical' as const }, null],
  ])('%s', (_name, facts, expected) => {
    const decision = evaluateEscalation(defaultEscalationPolicy, facts);
    if (expected === null) expect(decision).toBeNull();
    else expect(decision).toMatchObject(expected);
  });

  it('respects disabled rules', () => {
    const policy = { ...defaultEscalationPolicy, rules: { ...defaultEscalationPolicy.rules, severity: { ...defaultEscalationPolicy.rules.severity, enabled: false } } };
    expect(evaluateEscalation(policy, { ...calm, severity: 'critical' })).toBeNull();
  });
});

describe('findTerm', () => {
  it.each([
    ['I will sue', 'sue'],
    ['pursue this matter', null],
    ['Legal   Action is next', 'legal action'],
    ['courtesy call please', null],
    ['the fire.', 'fire'],
  ])('%s → %s', (text, expected) => {
    expect(findTerm(text, defaultEscalationPolicy.rules.legalTerms.terms.concat(defaultEscalationPolicy.rules.safetyTerms.terms))).toBe(expected);
  });
});
