import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../../../lib/http.ts';
import type { CaseSummary } from '../../../lib/wire.types.ts';
import { useLiveRefresh } from '../../events/hooks/use-live-events.ts';
import { fetchQueuePage, maxPageSize, pageSize } from '../api.ts';
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

/**
 * The queue in the API's fair order, with paging and live refreshes from the event stream. A refresh reloads as many
 * rows as are loaded, so it never shortens a list the agent has scrolled through; refreshes never overlap — events
 * arriving during one ask for exactly one more — so a flood of messages on a long queue cannot pile requests up.
 */
export function useQueue(filters: QueueFilters): QueueState {
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());
  // A filter change starts a new generation; answers for an older one are dropped.
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const current = useRef<CaseSummary[]>([]);
  const cursor = useRef<string | null>(null);
  const busy = useRef<'idle' | 'refresh' | 'more'>('idle');
  const again = useRef(false);
  const { status, channel, assignee, topic, team } = filters;

  const apply = useCallback((rows: CaseSummary[], next: string | null) => {
    current.current = rows;
    cursor.current = next;
    setCases(rows);
    setNextCursor(next);
    setError(null);
  }, []);

  const refresh = useCallback(async () => {
    if (busy.current !== 'idle') {
      again.current = true;
      return;
    }
    busy.current = 'refresh';
    const id = generation.current;
    const signal = controller.current?.signal;
    const want = Math.max(current.current.length, pageSize);
    try {
      const rows: CaseSummary[] = [];
      let next: string | null = null;
      do {
        const page = await fetchQueuePage({ status, channel, assignee, topic, team }, { cursor: next, limit: Math.min(maxPageSize, want - rows.length), signal });
        rows.push(...page.data);
        next = page.nextCursor;
      } while (next && rows.length < want);
      if (id !== generation.current) return;
      const known = new Set(current.current.map((c) => c.id));
      const fresh = rows.filter((c) => !known.has(c.id)).map((c) => c.id);
      if (fresh.length > 0 && current.current.length > 0) setFreshIds(new Set(fresh));
      apply(rows, next);
    } catch (caught) {
      if (!isAbort(caught) && id === generation.current) setError(messageOf(caught));
    } finally {
      if (id === generation.current) {
        busy.current = 'idle';
        setLoading(false);
        if (again.current) {
          again.current = false;
          void refresh();
        }
      }
    }
  }, [apply, status, channel, assignee, topic, team]);

  useEffect(() => {
    controller.current?.abort();
    controller.current = new AbortController();
    generation.current += 1;
    busy.current = 'idle';
    again.current = false;
    current.current = [];
    cursor.current = null;
    setCases([]);
    setNextCursor(null);
    setLoading(true);
    void refresh();
    return () => controller.current?.abort();
  }, [refresh]);

  useEffect(() => {
    if (freshIds.size === 0) return;
    const timer = window.setTimeout(() => setFreshIds(new Set()), freshForMs);
    return () => window.clearTimeout(timer);
  }, [freshIds]);

  // Any case event can move a row in or out of this view or change its order: refetch, debounced.
  useLiveRefresh(() => true, () => void refresh());

  const loadMore = useCallback(() => {
    if (!cursor.current || busy.current !== 'idle') return;
    busy.current = 'more';
    const id = generation.current;
    setLoadingMore(true);
    fetchQueuePage({ status, channel, assignee, topic, team }, { cursor: cursor.current, limit: maxPageSize, signal: controller.current?.signal })
      .then((page) => {
        if (id !== generation.current) return;
        const known = new Set(current.current.map((c) => c.id));
        apply([...current.current, ...page.data.filter((c) => !known.has(c.id))], page.nextCursor);
      })
      .catch((caught: unknown) => {
        if (!isAbort(caught) && id === generation.current) setError(messageOf(caught));
      })
      .finally(() => {
        if (id !== generation.current) return;
        busy.current = 'idle';
        setLoadingMore(false);
        if (again.current) {
          again.current = false;
          void refresh();
        }
      });
  }, [apply, refresh, status, channel, assignee, topic, team]);

  const refreshNow = useCallback(() => void refresh(), [refresh]);
  return { cases, nextCursor, loading, loadingMore, error, freshIds, loadMore, refresh: refreshNow };
}
