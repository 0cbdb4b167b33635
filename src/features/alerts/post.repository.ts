import type { Queryable } from '../../platform/db/db.ts';
import type { Labels } from '../classification/index.ts';
import type { RuleTag } from '../listening/index.ts';
import type { EngagementRecommendation } from './engagement.recommender.ts';
import type { EngagementPoint } from './viral-risk.ts';

// The posts (message rows) alerting reads and annotates: their recommendation and their engagement snapshots.

/** Stores the engagement recommendation on the message, for the UI to explain. */
export async function saveRecommendation(tx: Queryable, workspaceId: string, messageId: string, recommendation: EngagementRecommendation): Promise<void> {
  await tx.query(`UPDATE message SET recommendation = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, messageId, JSON.stringify(recommendation)]);
}

export interface ParentPost {
  id: string;
  direction: 'inbound' | 'outbound';
  authorId: string | null;
  recommendation: EngagementRecommendation | null;
}

/** The message a reply answers, on the same channel. */
export async function findParentPost(tx: Queryable, workspaceId: string, channelId: string, externalId: string): Promise<ParentPost | null> {
  const rows = await tx.query<{ id: string; direction: 'inbound' | 'outbound'; author_id: string | null; recommendation: EngagementRecommendation | null }>(
    `SELECT id, direction, author_id, recommendation FROM message WHERE workspace_id = $1 AND channel_id = $2 AND external_id = $3`,
    [workspaceId, channelId, externalId],
  );
  const row = rows[0];
  return row ? { id: row.id, direction: row.direction, authorId: row.author_id, recommendation: row.recommendation } : null;
}

/** Tags of the workspace's rules among `ruleIds` (a deleted rule has none). */
export async function findRuleTags(tx: Queryable, workspaceId: string, ruleIds: readonly string[]): Promise<RuleTag[]> {
  if (ruleIds.length === 0) return [];
  const rows = await tx.query<{ tag: RuleTag }>(
    `SELECT DISTINCT tag FROM monitoring_rule WHERE workspace_id = $1 AND id::text = ANY($2::text[])`,
    [workspaceId, [...ruleIds]],
  );
  return rows.map((r) => r.tag);
}

/** What viral risk needs to know about a post found by its channel and external id. */
export interface EngagedPost {
  messageId: string;
  caseId: string | null;
  isPublic: boolean;
  sentAt: Date;
  labels: Labels | null;
  authorHandle: string | null;
  followerCount: number | null;
}

export async function findEngagedPost(tx: Queryable, workspaceId: string, channelId: string, externalId: string): Promise<EngagedPost | null> {
  const rows = await tx.query<{
    id: string; case_id: string | null; is_public: boolean; sent_at: Date; labels: Labels | null; handle: string | null; follower_count: number | null;
  }>(
    `SELECT m.id, m.case_id, m.is_public, m.sent_at, m.labels, a.handle, a.follower_count
     FROM message m LEFT JOIN author a ON a.workspace_id = m.workspace_id AND a.id = m.author_id
     WHERE m.workspace_id = $1 AND m.channel_id = $2 AND m.external_id = $3 AND m.direction = 'inbound'`,
    [workspaceId, channelId, externalId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    messageId: r.id, caseId: r.case_id, isPublic: r.is_public, sentAt: r.sent_at, labels: r.labels, authorHandle: r.handle,
    followerCount: r.follower_count === null ? null : Number(r.follower_count),
  };
}

export interface NewSnapshot {
  replies: number;
  reposts: number;
  quotes: number;
  likes: number;
  followerCount: number | null;
  observedAt: Date;
}

/** Stores a snapshot; a second one for the same post and moment is a repeat (false). */
export async function insertSnapshot(tx: Queryable, workspaceId: string, messageId: string, s: NewSnapshot): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO post_engagement (workspace_id, message_id, observed_at, replies, reposts, quotes, likes, follower_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (workspace_id, message_id, observed_at) DO NOTHING RETURNING 1`,
    [workspaceId, messageId, s.observedAt, s.replies, s.reposts, s.quotes, s.likes, s.followerCount],
  );
  return rows.length > 0;
}

/**
 * The snapshots a velocity needs, oldest first: every snapshot in (latest − window, latest], plus the newest one at
 * or before latest − window (the base).
 */
export async function listRecentSnapshots(tx: Queryable, workspaceId: string, messageId: string, windowSeconds: number): Promise<{
  points: EngagementPoint[];
  maxFollowers: number | null;
}> {
  const rows = await tx.query<{ observed_at: Date; replies: number; reposts: number; quotes: number; likes: number; follower_count: number | null }>(
    `WITH latest AS (SELECT max(observed_at) AS at FROM post_engagement WHERE workspace_id = $1 AND message_id = $2),
     base AS (
       SELECT max(observed_at) AS at FROM post_engagement, latest
       WHERE workspace_id = $1 AND message_id = $2 AND observed_at <= latest.at - make_interval(secs => $3))
     SELECT e.observed_at, e.replies, e.reposts, e.quotes, e.likes, e.follower_count
     FROM post_engagement e, latest, base
     WHERE e.workspace_id = $1 AND e.message_id = $2 AND e.observed_at >= COALESCE(base.at, latest.at - make_interval(secs => $3))
     ORDER BY e.observed_at`,
    [workspaceId, messageId, windowSeconds],
  );
  let maxFollowers: number | null = null;
  const points = rows.map((r) => {
    if (r.follower_count !== null) maxFollowers = Math.max(maxFollowers ?? 0, Number(r.follower_count));
    return { at: r.observed_at.getTime(), replies: r.replies, reposts: r.reposts, quotes: r.quotes, likes: r.likes };
  });
  return { points, maxFollowers };
}
