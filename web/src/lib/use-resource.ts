import { useCallback, useEffect, useRef, useState } from 'react';
import type { Dispatch, SetStateAction } from 'react';
import { isAbort, messageOf } from './http.ts';
import { ApiError } from './http.ts';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  /** The HTTP status of the last failure (403: the role may not read it; 404: gone). */
  status: number | null;
  loading: boolean;
  reload(): void;
  setData: Dispatch<SetStateAction<T | null>>;
}

/**
 * Loads something from the API whenever `key` changes, dropping answers that arrive after a newer request; `reload`
 * refetches in place (the old data stays on screen meanwhile).
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<number | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const latest = useRef(load);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    latest.current = load;
  });

  const run = useCallback(() => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    latest.current(current.signal)
      .then((value) => {
        if (current.signal.aborted) return;
        setData(value);
        setError(null);
        setStatus(null);
      })
      .catch((caught: unknown) => {
        if (isAbort(caught) || current.signal.aborted) return;
        setError(messageOf(caught));
        setStatus(caught instanceof ApiError ? caught.status : null);
      })
      .finally(() => {
        if (!current.signal.aborted) setLoading(false);
      });
  }, []);

  useEffect(() => {
    if (key === null) {
      setLoading(false);
      return;
    }
    setData(null);
    run();
    return () => controller.current?.abort();
  }, [key, run]);

  return { data, error, status, loading, reload: run, setData };
}
