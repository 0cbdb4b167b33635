import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../../platform/db/db.ts';

export interface KbArticle {
  id: string;
  title: string;
  body: string;
  topics: string[];
  updatedAt: string;
}

export interface KbMatch extends KbArticle {
  score: number;
  /** A short plain-text excerpt around the best match. */
  excerpt: string;
}

interface ArticleRow extends Record<string, unknown> {
  id: string;
  title: string;
  body: string;
  topics: string[];
  updated_at: Date;
  score?: number;
  excerpt?: string;
}

const present = (r: ArticleRow): KbArticle => ({ id: r.id, title: r.title, body: r.body, topics: r.topics, updatedAt: r.updated_at.toISOString() });
const presentMatch = (r: ArticleRow): KbMatch => ({ ...present(r), score: Number(Number(r.score ?? 0).toFixed(4)), excerpt: r.excerpt ?? '' });

export interface ArticleInput {
  title: string;
  body: string;
  topics: string[];
}

export async function insertArticle(db: Queryable, workspaceId: string, userId: string, input: ArticleInput): Promise<KbArticle> {
  const rows = await db.query<ArticleRow>(
    `INSERT INTO kb_article (workspace_id, id, title, body, topics, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, title, body, topics, updated_at`,
    [workspaceId, randomUUID(), input.title, input.body, input.topics, userId],
  );
  return present(rows[0]);
}

export async function updateArticle(db: Queryable, workspaceId: string, id: string, input: Partial<ArticleInput>): Promise<KbArticle | null> {
  const rows = await db.query<ArticleRow>(
    `UPDATE kb_article SET title = COALESCE($3, title), body = COALESCE($4, body), topics = COALESCE($5, topics), updated_at = now()
     WHERE workspace_id = $1 AND id = $2 RETURNING id, title, body, topics, updated_at`,
    [workspaceId, id, input.title ?? null, input.body ?? null, input.topics ?? null],
  );
  return rows[0] ? present(rows[0]) : null;
}

export async function deleteArticle(db: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const rows = await db.query(`DELETE FROM kb_article WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  return rows.length > 0;
}

export async function findArticle(db: Queryable, workspaceId: string, id: string): Promise<KbArticle | null> {
  const rows = await db.query<ArticleRow>(`SELECT id, title, body, topics, updated_at FROM kb_article WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return rows[0] ? present(rows[0]) : null;
}

export async function listArticles(db: Queryable, workspaceId: string, limit: number): Promise<KbArticle[]> {
  const rows = await db.query<ArticleRow>(
    `SELECT id, title, body, topics, updated_at FROM kb_article WHERE workspace_id = $1 ORDER BY title LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map(present);
}

const headline = `ts_headline('english', body, q, 'StartSel="", StopSel="", MaxWords=30, MinWords=12, MaxFragments=1')`;

/** Full-text search with the agent's own words (websearch syntax: quotes, OR, -word). */
export async function searchArticles(db: Queryable, workspaceId: string, query: string, limit: number): Promise<KbMatch[]> {
  const rows = await db.query<ArticleRow>(
    `SELECT id, title, body, topics, updated_at, ts_rank(search, q) AS score, ${headline} AS excerpt
     FROM kb_article, websearch_to_tsquery('english', $2) q
     WHERE workspace_id = $1 AND search @@ q ORDER BY score DESC, title LIMIT $3`,
    [workspaceId, query, limit],
  );
  return rows.map(presentMatch);
}

/**
 * Articles for a case: any of the message's significant words (OR), ranked by text relevance, with articles filed
 * under the case's topic first. `terms` must already be reduced to plain lowercase words.
 */
export async function suggestArticles(db: Queryable, workspaceId: string, terms: string[], topic: string | null, limit: number): Promise<KbMatch[]> {
  const tsquery = terms.join(' | ');
  const rows = await db.query<ArticleRow>(
    `SELECT id, title, body, topics, updated_at,
       ts_rank(search, q) + CASE WHEN $3::text IS NOT NULL AND $3 = ANY(topics) THEN 1 ELSE 0 END AS score,
       ${headline} AS excerpt
     FROM kb_article, to_tsquery('english', $2) q
     WHERE workspace_id = $1 AND ((numnode(q) > 0 AND search @@ q) OR ($3::text IS NOT NULL AND $3 = ANY(topics)))
     ORDER BY score DESC, title LIMIT $4`,
    [workspaceId, tsquery, topic, limit],
  );
  return rows.map(presentMatch);
}
