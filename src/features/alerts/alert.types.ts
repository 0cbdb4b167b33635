import type { SpikeDimension } from './alert-policy.schema.ts';

export const alertKinds = ['viral_risk', 'spike'] as const;
export type AlertKind = (typeof alertKinds)[number];

export const alertStatuses = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/** One of the posts that made an alert, as the alert list shows it. */
export interface AlertExample {
  messageId: string;
  channelId: string;
  caseId: string | null;
  authorHandle: string | null;
  text: string;
  sentAt: string;
}

/** An alert as the API sends it. */
export interface AlertView {
  id: string;
  kind: AlertKind;
  title: string;
  /** viral_risk: the risk score (0–100); spike: how many times the expected count the window held. */
  score: number;
  status: AlertStatus;
  /** A spike still under way (no end yet); a viral-risk alert has no end. */
  active: boolean;
  dimension: SpikeDimension | null;
  seriesKey: string | null;
  messageId: string | null;
  caseId: string | null;
  examples: AlertExample[];
  details: Record<string, unknown>;
  raisedAt: string;
  startedAt: string;
  endedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** An alert to store; `dedupeKey` makes raising it idempotent (one per post, one per spike). */
export interface NewAlert {
  workspaceId: string;
  kind: AlertKind;
  dedupeKey: string;
  title: string;
  score: number;
  dimension: SpikeDimension | null;
  seriesKey: string | null;
  messageId: string | null;
  caseId: string | null;
  exampleMessageIds: string[];
  details: Record<string, unknown>;
  raisedAt: Date;
  startedAt: Date;
}
