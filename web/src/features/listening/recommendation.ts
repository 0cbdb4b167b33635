/** Engage, monitor or ignore, with reasons: the alerts feature's advice on a matched post. */
export interface Recommendation {
  action: 'engage' | 'monitor' | 'ignore';
  reasons: string[];
  /** 0–100 when the recommender scores it. */
  score: number | null;
}

const actions = ['engage', 'monitor', 'ignore'] as const;

function reasonText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return null;
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('message' in value && typeof value.message === 'string') return value.message;
  return null;
}

/**
 * Reads the recommendation the API passes through as stored (`{action, score, reasons: [{code, weight, text}]}`,
 * docs/ALERTS.md). The shape belongs to the alerts feature, so it is checked here rather than trusted.
 */
export function readRecommendation(value: unknown): Recommendation | null {
  if (typeof value !== 'object' || value === null || !('action' in value)) return null;
  const action = actions.find((a) => a === value.action);
  if (!action) return null;
  const raw = 'reasons' in value && Array.isArray(value.reasons) ? value.reasons : [];
  const score = 'score' in value && typeof value.score === 'number' ? value.score : null;
  return { action, reasons: raw.map(reasonText).filter((r): r is string => r !== null), score };
}
