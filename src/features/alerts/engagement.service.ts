import type { Db } from '../../platform/db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { EventNotifier } from '../events/index.ts';
import { loadAlertPolicy } from './alert-policy.repository.ts';
import { raiseAlert } from './alert.raiser.ts';
import { findEngagedPost, insertSnapshot, listRecentSnapshots } from './post.repository.ts';
import { viralAlertOf } from './viral-alert.ts';
import { assessViralRisk } from './viral-risk.ts';
import type { ViralAssessment } from './viral-risk.ts';

export interface EngagementDeps {
  db: Db;
  clock: Clock;
  notifier: EventNotifier;
}

/** Engagement counts of a post at one moment, as a connector or an integration reports them. */
export interface EngagementReport {
  externalId: string;
  /** When the counts were read; defaults to now. A time in the future is taken as now. */
  observedAt?: string;
  replies: number;
  reposts: number;
  quotes: number;
  likes: number;
  /** The author's followers at that moment, where the platform says. */
  followerCount?: number;
}

export type EngagementStatus = 'recorded' | 'duplicate' | 'unknown_post';

export interface EngagementOutcome {
  externalId: string;
  status: EngagementStatus;
  messageId: string | null;
  risk: ViralAssessment | null;
  alertId: string | null;
}

/**
 * Records one engagement snapshot of a post of the channel and re-assesses the post's viral risk from its reach and
 * engagement velocity; the first time the score reaches the workspace's threshold an alert is raised (once per post).
 * Idempotent on (post, observation time).
 */
export async function recordEngagement(
  deps: EngagementDeps,
  channel: { workspaceId: string; id: string },
  report: EngagementReport,
): Promise<EngagementOutcome> {
  const ws = channel.workspaceId;
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (tx): Promise<EngagementOutcome> => {
    const post = await findEngagedPost(tx, ws, channel.id, report.externalId);
    if (!post) return { externalId: report.externalId, status: 'unknown_post', messageId: null, risk: null, alertId: null };
    const reported = report.observedAt ? new Date(report.observedAt) : now;
    const observedAt = reported.getTime() > now.getTime() ? now : reported;
    const inserted = await insertSnapshot(tx, ws, post.messageId, {
      replies: report.replies, reposts: report.reposts, quotes: report.quotes, likes: report.likes,
      followerCount: report.followerCount ?? null, observedAt,
    });
    if (!inserted) return { externalId: report.externalId, status: 'duplicate', messageId: post.messageId, risk: null, alertId: null };
    const policy = await loadAlertPolicy(tx, ws);
    const { points, maxFollowers } = await listRecentSnapshots(tx, ws, post.messageId, policy.viral.velocityWindowSeconds);
    const followers = Math.max(post.followerCount ?? 0, maxFollowers ?? 0);
    const negative = post.labels ? post.labels.complaint || post.labels.sentiment === 'negative' : false;
    const risk = assessViralRisk({ followers, negative, sentAt: post.sentAt.getTime() }, points, policy.viral);
    let alertId: string | null = null;
    if (policy.viral.enabled && post.isPublic && risk.score >= policy.viral.threshold) {
      alertId = await raiseAlert(tx, viralAlertOf({
        workspaceId: ws, messageId: post.messageId, caseId: post.caseId, authorHandle: post.authorHandle, sentAt: post.sentAt, at: now,
        threshold: policy.viral.threshold, assessment: risk,
      }));
    }
    return { externalId: report.externalId, status: 'recorded', messageId: post.messageId, risk, alertId };
  });
  if (outcome.alertId) deps.notifier.notify(ws);
  return outcome;
}
