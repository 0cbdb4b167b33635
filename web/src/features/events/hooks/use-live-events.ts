import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { StoredEvent } from '../../../lib/wire.types.ts';
import type { LiveEvents, LiveStatus } from '../live-events.ts';

export const LiveEventsContext = createContext<LiveEvents | null>(null);

function useLiveEventsSource(): LiveEvents {
  const source = useContext(LiveEventsContext);
  if (!source) throw new Error('live events are only available inside the signed-in app');
  return source;
}

/**
 * Calls `onChange` once per burst of matching events (debounced, but at least every `maxWaitMs` while events keep
 * coming), so a flood of messages costs a few refetches, not one per event.
 */
export function useLiveRefresh(matches: (event: StoredEvent) => boolean, onChange: () => void, debounceMs = 250, maxWaitMs = 1_000): void {
  const source = useLiveEventsSource();
  const latest = useRef({ matches, onChange });
  useEffect(() => {
    latest.current = { matches, onChange };
  });
  useEffect(() => {
    let timer: number | undefined;
    let pendingSince: number | null = null;
    const fire = () => {
      pendingSince = null;
      latest.current.onChange();
    };
    const unsubscribe = source.subscribe((event) => {
      if (!latest.current.matches(event)) return;
      const now = Date.now();
      pendingSince ??= now;
      window.clearTimeout(timer);
      timer = window.setTimeout(fire, Math.max(0, Math.min(debounceMs, pendingSince + maxWaitMs - now)));
    });
    return () => {
      unsubscribe();
      window.clearTimeout(timer);
    };
  }, [source, debounceMs, maxWaitMs]);
}

export function useLiveStatus(): LiveStatus {
  const source = useLiveEventsSource();
  return useSyncExternalStore(
    (onChange) => source.onStatus(onChange),
    () => source.status,
  );
}
