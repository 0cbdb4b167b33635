/**
 * The events a subscription may ask for: case events, SLA breaches, and alert events. Exact names, or a family
 * wildcard (`case.*`, `alert.*`). Alert events are named by the alerts feature (`alert.raised`, `alert.ended`, …),
 * so any `alert.<name>` is accepted.
 */
export const caseEventTypes = [
  'case.created',
  'case.updated',
  'case.reopened',
  'case.assigned',
  'case.status_changed',
  'case.priority_overridden',
  'case.note_added',
  'case.escalated',
  'case.locked',
  'case.unlocked',
  'case.churn_risk',
  'sla.breached',
] as const;

export const eventFamilies = ['case.*', 'alert.*'] as const;

const alertEvent = /^alert\.[a-z][a-z0-9_]{0,62}$/;

/** True for a pattern a subscription may hold. The fan-out query matches `<family>.*` by prefix. */
export function isWebhookEventPattern(pattern: string): boolean {
  return (caseEventTypes as readonly string[]).includes(pattern) || (eventFamilies as readonly string[]).includes(pattern) || alertEvent.test(pattern);
}
