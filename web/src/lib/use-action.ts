import { useCallback, useState } from 'react';
import { messageOf } from './http.ts';

export interface Action<A extends unknown[]> {
  busy: boolean;
  error: string | null;
  run(...args: A): Promise<boolean>;
  clearError(): void;
}

/** A button's request: busy while it runs, its error kept for display; `run` resolves true when it succeeded. */
export function useAction<A extends unknown[]>(perform: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(null);
      try {
        await perform(...args);
        return true;
      } catch (caught) {
        setError(messageOf(caught));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [perform],
  );
  return { busy, error, run, clearError: useCallback(() => setError(null), []) };
}
