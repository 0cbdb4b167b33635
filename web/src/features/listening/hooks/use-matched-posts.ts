import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../../../lib/http.ts';
import type { MatchedPost } from '../../../lib/wire.types.ts';
import { useLiveRefresh } from '../../events/hooks/use-live-events.ts';
import { fetchMatchedPosts } from '../api.ts';
import type { PostFilters } from '../api.ts';

export interface MatchedPostsState {
  posts: MatchedPost[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  freshIds: ReadonlySet<string>;
  loadMore(): void;
  refresh(): void;
  /** Shows a conversion at once, before the refetch its event triggers. */
  markConverted(messageId: string, caseId: string): void;
}

const maxRefresh = 200;

/** The live stream of posts listening heard, newest first: refetched when messages arrive or cases change. */
export function useMatchedPosts(filters: PostFilters): MatchedPostsState {
  const [posts, setPosts] = useState<MatchedPost[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());
  const current = useRef<MatchedPost[]>([]);
  const controller = useRef<AbortController | null>(null);
  const { ruleId, unconverted } = filters;

  const load = useCallback(async (mode: 'initial' | 'refresh' | 'more', cursor: string | null = null) => {
    if (mode !== 'more') controller.current?.abort();
    const own = mode === 'more' ? controller.current ?? new AbortController() : new AbortController();
    if (mode !== 'more') controller.current = own;
    if (mode === 'initial') setLoading(true);
    try {
      const limit = mode === 'refresh' ? Math.min(maxRefresh, Math.max(50, current.current.length)) : 50;
      const page = await fetchMatchedPosts({ ruleId, unconverted }, { cursor, limit, signal: own.signal });
      if (own.signal.aborted) return;
      if (mode === 'more') {
        const known = new Set(current.current.map((p) => p.messageId));
        current.current = [...current.current, ...page.data.filter((p) => !known.has(p.messageId))];
      } else {
        if (mode === 'refresh') {
          const known = new Set(current.current.map((p) => p.messageId));
          const fresh = page.data.filter((p) => !known.has(p.messageId)).map((p) => p.messageId);
          if (fresh.length > 0) setFreshIds(new Set(fresh));
        }
        current.current = page.data;
      }
      setPosts(current.current);
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (caught) {
      if (!isAbort(caught)) setError(messageOf(caught));
    } finally {
      if (!own.signal.aborted) setLoading(false);
    }
  }, [ruleId, unconverted]);

  useEffect(() => {
    current.current = [];
    void load('initial');
    return () => controller.current?.abort();
  }, [load]);

  useEffect(() => {
    if (freshIds.size === 0) return;
    const timer = window.setTimeout(() => setFreshIds(new Set()), 4_000);
    return () => window.clearTimeout(timer);
  }, [freshIds]);

  const refresh = useCallback(() => void load('refresh'), [load]);
  useLiveRefresh((event) => event.type === 'message.received' || event.type === 'case.created' || event.type === 'case.updated', refresh);

  const loadMore = useCallback(() => {
    if (nextCursor) void load('more', nextCursor);
  }, [load, nextCursor]);

  const markConverted = useCallback((messageId: string, caseId: string) => {
    current.current = current.current.map((p) => (p.messageId === messageId ? { ...p, caseId, caseStatus: p.caseStatus ?? 'new' } : p));
    setPosts(current.current);
  }, []);

  return { posts, nextCursor, loading, error, freshIds, loadMore, refresh, markConverted };
}
