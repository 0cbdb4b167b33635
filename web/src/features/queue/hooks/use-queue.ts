import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../../../lib/http.ts';
import type { CaseSummary } from '../../../lib/wire.types.ts';
import { useLiveRefresh } from '../../events/hooks/use-live-events.ts';
import { fetchQueuePage, maxPageSize } from '../api.ts';
import type { QueueFilters } from '../api.ts';

export interface QueueState {
  cases: CaseSummary[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  /** Ids that appeared with the last live refresh, for a brief highlight. */
  freshIds: ReadonlySet<string>;
  loadMore(): void;
  refresh(): void;
}

const freshForMs = 4_000;

/** The queue in the API's fair order, with "load more" and live refreshes from the event stream. */
export function useQueue(filters: QueueFilters): QueueState {
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());
  // Each load bumps the generation; answers to older loads are dropped, so a slow page never overwrites a newer one.
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const current = useRef<CaseSummary[]>([]);
  const { status, channel, assignee } = filters;

  const start = useCallback(() => {
    controller.current?.abort();
    const next = new AbortController();
    controller.current = next;
    generation.current += 1;
    return { signal: next.signal, id: generation.current };
  }, []);

  // Reloads as many rows as are on screen, so a refresh never shortens a list the agent has scrolled through.
  const load = useCallback(
    async (mode: 'initial' | 'refresh') => {
      const { signal, id } = start();
      const want = Math.max(current.current.length, 1);
      if (mode === 'initial') setLoading(true);
      try {
        const rows: CaseSummary[] = [];
        let cursor: string | null = null;
        do {
          const page = await fetchQueuePage({ status, channel, assignee }, { cursor, limit: Math.min(maxPageSize, Math.max(50, want - rows.length)), signal });
          rows.push(...page.data);
          cursor = page.nextCursor;
        } while (cursor && rows.length < want && mode === 'refresh');
        if (id !== generation.current) return;
        if (mode === 'refresh') {
          const known = new Set(current.current.map((c) => c.id));
          const fresh = rows.filter((c) => !known.has(c.id)).map((c) => c.id);
          if (fresh.length > 0) setFreshIds(new Set(fresh));
        }
        current.current = rows;
        setCases(rows);
        setNextCursor(cursor);
        setError(null);
      } catch (caught) {
        if (isAbort(caught) || id !== generation.current) return;
        setError(messageOf(caught));
      } finally {
        if (id === generation.current) setLoading(false);
      }
    },
    [start, status, channel, assignee],
  );

  useEffect(() => {
    current.current = [];
    void load('initial');
    return () => controller.current?.abort();
  }, [load]);

  useEffect(() => {
    if (freshIds.size === 0) return;
    const timer = window.setTimeout(() => setFreshIds(new Set()), freshForMs);
    return () => window.clearTimeout(timer);
  }, [freshIds]);

  const refresh = useCallback(() => void load('refresh'), [load]);

  // Any case event can move a row in or out of this view or change its order: refetch, debounced.
  useLiveRefresh(() => true, refresh);

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore) return;
    const { signal, id } = start();
    setLoadingMore(true);
    fetchQueuePage({ status, channel, assignee }, { cursor: nextCursor, signal })
      .then((page) => {
        if (id !== generation.current) return;
        const known = new Set(current.current.map((c) => c.id));
        current.current = [...current.current, ...page.data.filter((c) => !known.has(c.id))];
        setCases(current.current);
        setNextCursor(page.nextCursor);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!isAbort(caught) && id === generation.current) setError(messageOf(caught));
      })
      .finally(() => setLoadingMore(false));
  }, [nextCursor, loadingMore, start, status, channel, assignee]);

  return { cases, nextCursor, loading, loadingMore, error, freshIds, loadMore, refresh };
}
