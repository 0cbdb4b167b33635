import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';
import { loadAlertPolicy } from './alert-policy.repository.ts';
import { decideEngagement, recommendEngagement } from './engagement.recommender.ts';
import type { EngagementRecommendation } from './engagement.recommender.ts';
import type { NewAlert } from './alert.types.ts';
import { findParentPost, findRuleTags, saveRecommendation } from './post.repository.ts';
import { viralAlertOf } from './viral-alert.ts';
import { assessViralRisk } from './viral-risk.ts';

/** An inbound message the ingest pipeline is about to store, in its transaction. */
export interface IngestedPost {
  workspaceId: string;
  messageId: string;
  channelId: string;
  channelOwned: boolean;
  authorId: string;
  authorHandle: string | null;
  /** Followers as the payload gave them (null when it did not). */
  followerCount: number | null;
  isPublic: boolean;
  text: string;
  labels: Labels | null;
  matchedRuleIds: readonly string[];
  replyToExternalId: string | null;
  /** A quote (its `replyToExternalId` is the quoted post): it comments on a post, it does not answer it. */
  isQuote: boolean;
  sentAt: Date;
  caseId: string | null;
  now: Date;
}

export interface PostAssessment {
  /** To store with the message. */
  recommendation: EngagementRecommendation;
  /** The viral-risk alert the author's reach alone calls for: raise it (raiseAlert) once the message is stored. */
  reachAlert: NewAlert | null;
}

// A reply that answers: not a complaint of its own ("me too"), not a question back, not spam.
function answers(post: IngestedPost): boolean {
  const labels = post.labels;
  if (!labels || post.isQuote) return false;
  return !labels.complaint && labels.intent !== 'question' && labels.intent !== 'request' && labels.intent !== 'spam';
}

/**
 * What alerting adds to every inbound message, inside the ingest transaction before the message is written: its
 * engagement recommendation, "answered by someone else" on the post it answers, and the viral-risk alert due when
 * the author's reach alone crosses the threshold. Never touches the case: priority and queue order stay the pipeline's.
 */
export async function assessIngestedPost(tx: Queryable, post: IngestedPost): Promise<PostAssessment> {
  const ws = post.workspaceId;
  const policy = await loadAlertPolicy(tx, ws);
  let repliesToBrand = false;
  if (post.replyToExternalId) {
    const parent = await findParentPost(tx, ws, post.channelId, post.replyToExternalId);
    repliesToBrand = parent?.direction === 'outbound';
    const previous = parent?.recommendation;
    if (parent && previous && parent.direction === 'inbound' && parent.authorId !== post.authorId && answers(post)
      && !previous.signals.includes('answered_by_other')) {
      await saveRecommendation(tx, ws, parent.id, decideEngagement([...previous.signals, 'answered_by_other'], policy.engagement));
    }
  }
  const ruleTags = post.channelOwned ? [] : await findRuleTags(tx, ws, post.matchedRuleIds);
  const recommendation = recommendEngagement(
    { text: post.text, labels: post.labels, ownedChannel: post.channelOwned, repliesToBrand, ruleTags, answeredByOther: false },
    policy.engagement,
  );

  let reachAlert: NewAlert | null = null;
  if (policy.viral.enabled && post.isPublic && post.followerCount !== null && post.labels) {
    const negative = post.labels.complaint || post.labels.sentiment === 'negative';
    const assessment = assessViralRisk({ followers: post.followerCount, negative, sentAt: post.sentAt.getTime() }, [], policy.viral);
    if (assessment.score >= policy.viral.threshold) {
      reachAlert = viralAlertOf({
        workspaceId: ws, messageId: post.messageId, caseId: post.caseId, authorHandle: post.authorHandle, sentAt: post.sentAt, at: post.now,
        threshold: policy.viral.threshold, assessment,
      });
    }
  }
  return { recommendation, reachAlert };
}
