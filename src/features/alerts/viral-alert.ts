import type { NewAlert } from './alert.types.ts';
import type { ViralAssessment } from './viral-risk.ts';

function compact(n: number): string {
  if (n >= 1_000_000) return `${Math.round(n / 100_000) / 10}M`;
  if (n >= 1_000) return `${Math.round(n / 100) / 10}k`;
  return String(Math.round(n));
}

/** The viral-risk alert of one post: one per post, whatever raised it first (reach at ingest, or engagement). */
export function viralAlertOf(input: {
  workspaceId: string;
  messageId: string;
  caseId: string | null;
  authorHandle: string | null;
  sentAt: Date;
  at: Date;
  threshold: number;
  assessment: ViralAssessment;
}): NewAlert {
  const a = input.assessment;
  const who = input.authorHandle ? `@${input.authorHandle}` : 'a post';
  return {
    workspaceId: input.workspaceId,
    kind: 'viral_risk',
    dedupeKey: `viral:${input.messageId}`,
    title: `Viral risk ${a.score}: ${who} — ${compact(a.followers)} followers, ${a.velocityPerMinute} weighted engagements/min, ~${compact(a.projectedAudience)} people projected`,
    score: a.score,
    dimension: null,
    seriesKey: null,
    messageId: input.messageId,
    caseId: input.caseId,
    exampleMessageIds: [input.messageId],
    details: { ...a, threshold: input.threshold },
    raisedAt: input.at,
    startedAt: input.sentAt,
  };
}
