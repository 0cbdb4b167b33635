import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../platform/db/db.ts';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
}

export async function createWorkspace(db: Queryable, input: { slug: string; name: string }): Promise<Workspace> {
  const id = randomUUID();
  await db.query(`INSERT INTO workspace (id, slug, name) VALUES ($1, $2, $3)`, [id, input.slug, input.name]);
  return { id, slug: input.slug, name: input.name };
}

export async function findWorkspaceBySlug(db: Queryable, slug: string): Promise<Workspace | null> {
  const rows = await db.query<{ id: string; slug: string; name: string }>(`SELECT id, slug, name FROM workspace WHERE slug = $1`, [slug]);
  return rows[0] ?? null;
}

export async function findWorkspace(db: Queryable, id: string): Promise<Workspace | null> {
  const rows = await db.query<{ id: string; slug: string; name: string }>(`SELECT id, slug, name FROM workspace WHERE id = $1`, [id]);
  return rows[0] ?? null;
}
