import type { EscalationPolicy } from './case-policy.schema.ts';
import type { Severity } from './priority.ts';

export const escalationTriggers = ['sla_breach', 'repeat_contact', 'severity', 'legal_terms', 'safety_terms', 'agent'] as const;
export type EscalationTrigger = (typeof escalationTriggers)[number];

export interface EscalationDecision {
  toTier: number;
  trigger: EscalationTrigger;
  reason: string;
}

export interface EscalationFacts {
  currentTier: number;
  severity: Severity;
  /** The customer's contacts within the repeat-contact rule's window, this one included. */
  recentContacts: number;
  /** The text of the message being ingested; absent when the timer evaluates. */
  text?: string;
  /** Set when the timer has just recorded an SLA breach. */
  breach?: 'first_response' | 'next_response' | 'resolution';
}

const patternCache = new Map<string, RegExp | null>();

/** A whole-word, case-insensitive matcher for a list of terms (phrases match across any run of spaces). */
function termPattern(terms: readonly string[]): RegExp | null {
  const key = terms.join('\u0000');
  if (patternCache.has(key)) return patternCache.get(key) ?? null;
  const parts = terms
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  const pattern = parts.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])(${parts.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
  if (patternCache.size > 100) patternCache.clear();
  patternCache.set(key, pattern);
  return pattern;
}

export function findTerm(text: string, terms: readonly string[]): string | null {
  const match = termPattern(terms)?.exec(text);
  return match ? match[1].toLowerCase().replace(/\s+/g, ' ') : null;
}

/**
 * The highest tier any enabled rule sends the case to, if it is above the case's tier. Escalation only moves up:
 * a rule that fires on a case already at or above its tier does nothing.
 */
export function evaluateEscalation(policy: EscalationPolicy, facts: EscalationFacts): EscalationDecision | null {
  const top = policy.tiers.length - 1;
  const candidates: EscalationDecision[] = [];
  const { rules } = policy;
  if (facts.breach && rules.slaBreach.enabled) {
    candidates.push({ toTier: Math.min(top, facts.currentTier + 1), trigger: 'sla_breach', reason: `${facts.breach.replace('_', ' ')} SLA breached` });
  }
  if (rules.repeatContact.enabled && facts.recentContacts >= rules.repeatContact.contacts) {
    candidates.push({
      toTier: rules.repeatContact.toTier,
      trigger: 'repeat_contact',
      reason: `${facts.recentContacts} contacts within ${rules.repeatContact.windowDays} days`,
    });
  }
  if (rules.severity.enabled && rules.severity.severities.includes(facts.severity)) {
    candidates.push({ toTier: rules.severity.toTier, trigger: 'severity', reason: `severity ${facts.severity}` });
  }
  if (facts.text !== undefined) {
    const legal = rules.legalTerms.enabled ? findTerm(facts.text, rules.legalTerms.terms) : null;
    if (legal) candidates.push({ toTier: rules.legalTerms.toTier, trigger: 'legal_terms', reason: `legal term "${legal}"` });
    const safety = rules.safetyTerms.enabled ? findTerm(facts.text, rules.safetyTerms.terms) : null;
    if (safety) candidates.push({ toTier: rules.safetyTerms.toTier, trigger: 'safety_terms', reason: `safety term "${safety}"` });
  }
  let best: EscalationDecision | null = null;
  for (const c of candidates) {
    if (c.toTier > facts.currentTier && (!best || c.toTier > best.toTier)) best = c;
  }
  return best;
}
