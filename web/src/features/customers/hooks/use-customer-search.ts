import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../../../lib/http.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import type { CustomerListItem } from '../../../lib/wire.types.ts';
import { searchCustomers } from '../api.ts';

export interface CustomerSearch {
  results: CustomerListItem[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  loadMore(): void;
}

/** Customers whose name, handle, email or phone contains the text, by name; searched once typing pauses. */
export function useCustomerSearch(q: string, delayMs = 250): CustomerSearch {
  const settled = useDebouncedValue(q, delayMs);
  const [results, setResults] = useState<CustomerListItem[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    searchCustomers(settled, { signal: current.signal })
      .then((page) => {
        setResults(page.data);
        setNextCursor(page.nextCursor);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!isAbort(caught)) setError(messageOf(caught));
      })
      .finally(() => {
        if (!current.signal.aborted) setLoading(false);
      });
    return () => current.abort();
  }, [settled]);

  const loadMore = useCallback(() => {
    if (!nextCursor) return;
    const signal = controller.current?.signal;
    searchCustomers(settled, { cursor: nextCursor, signal })
      .then((page) => {
        setResults((previous) => [...previous, ...page.data.filter((c) => !previous.some((p) => p.id === c.id))]);
        setNextCursor(page.nextCursor);
      })
      .catch((caught: unknown) => {
        if (!isAbort(caught)) setError(messageOf(caught));
      });
  }, [settled, nextCursor]);

  return { results, nextCursor, loading: loading || settled !== q, error, loadMore };
}
