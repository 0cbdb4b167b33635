/**
 * Wakes this process's live listeners as soon as it commits an event. Other processes' events are found by the
 * listeners' periodic read of the event table, so nothing depends on this in-memory signal.
 */
export interface EventNotifier {
  notify(workspaceId: string): void;
  subscribe(workspaceId: string, wake: () => void): () => void;
}

export function createEventNotifier(): EventNotifier {
  const listeners = new Map<string, Set<() => void>>();
  return {
    notify(workspaceId) {
      for (const wake of listeners.get(workspaceId) ?? []) wake();
    },
    subscribe(workspaceId, wake) {
      const set = listeners.get(workspaceId) ?? new Set();
      set.add(wake);
      listeners.set(workspaceId, set);
      return () => {
        set.delete(wake);
        if (set.size === 0) listeners.delete(workspaceId);
      };
    },
  };
}
