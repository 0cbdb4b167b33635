import { z } from 'zod';
import { readBodyLimited } from '../shared/body.reader.ts';
import { asConnectorError, connectorErrorOfStatus } from '../shared/http.errors.ts';
import { compareNumericIds, isNumericId } from '../shared/numeric-id.ts';

/**
 * Backfill through the REST timelines after a gap. `min_id` pages forward from the last status seen (each page is
 * the 40 statuses right after it), so however long the gap, nothing in between is skipped — up to `maxPages`.
 */
export interface StreamSpec {
  stream: string;
  tag?: string;
}

export function timelinePath(spec: StreamSpec): { path: string; params: Record<string, string> } | null {
  switch (spec.stream) {
    case 'public':
      return { path: '/api/v1/timelines/public', params: {} };
    case 'public:local':
      return { path: '/api/v1/timelines/public', params: { local: 'true' } };
    case 'public:remote':
      return { path: '/api/v1/timelines/public', params: { remote: 'true' } };
    case 'hashtag':
      return spec.tag ? { path: `/api/v1/timelines/tag/${encodeURIComponent(spec.tag)}`, params: {} } : null;
    case 'hashtag:local':
      return spec.tag ? { path: `/api/v1/timelines/tag/${encodeURIComponent(spec.tag)}`, params: { local: 'true' } } : null;
    case 'user':
      return { path: '/api/v1/timelines/home', params: {} };
    default:
      return null;
  }
}

export interface BackfillOptions {
  baseUrl: string;
  accessToken: string | undefined;
  signal: AbortSignal;
  now(): Date;
  maxPages: number;
  timeoutMs?: number;
  maxBytes?: number;
}

const pageSchema = z.array(z.unknown()).max(200);
const idOnly = z.object({ id: z.string().max(40) });

/** Yields pages of raw statuses newer than `sinceId`, oldest page first, each page sorted oldest first. */
export async function* backfillTimeline(options: BackfillOptions, spec: StreamSpec, sinceId: string): AsyncGenerator<unknown[]> {
  const target = timelinePath(spec);
  if (!target) return;
  let minId = sinceId;
  for (let page = 0; page < options.maxPages; page += 1) {
    const url = new URL(target.path, options.baseUrl);
    for (const [key, value] of Object.entries(target.params)) url.searchParams.set(key, value);
    url.searchParams.set('min_id', minId);
    url.searchParams.set('limit', '40');
    const statuses = await getPage(options, url);
    const withIds = statuses
      .map((raw) => ({ raw, id: idOnly.safeParse(raw) }))
      .filter((s): s is { raw: unknown; id: { success: true; data: { id: string } } } => s.id.success && isNumericId(s.id.data.id))
      .filter((s) => compareNumericIds(s.id.data.id, minId) > 0)
      .sort((a, b) => compareNumericIds(a.id.data.id, b.id.data.id));
    if (withIds.length === 0) return;
    yield withIds.map((s) => s.raw);
    minId = withIds[withIds.length - 1].id.data.id;
    if (statuses.length < 40) return;
  }
}

async function getPage(options: BackfillOptions, url: URL): Promise<unknown[]> {
  try {
    const headers: Record<string, string> = { 'user-agent': 'Parley listener', accept: 'application/json' };
    if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
    const response = await fetch(url, { headers, signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]) });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw connectorErrorOfStatus('Mastodon', response.status, response.headers, options.now());
    }
    const body = await readBodyLimited(response, options.maxBytes ?? 10_000_000);
    const parsed = pageSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) throw new Error('Mastodon returned a timeline that is not a list of statuses');
    return parsed.data;
  } catch (error) {
    throw asConnectorError(error);
  }
}
