import { useEffect, useState } from 'react';
import { isAbort } from '../../../lib/http.ts';
import type { UserView } from '../../../lib/wire.types.ts';
import { fetchUsers } from '../api.ts';

// Team members change rarely; one fetch per page load is enough to name assignees and note authors.
let cached: Map<string, UserView> | null = null;

/** The workspace's users by id (empty until loaded). */
export function useUsers(): Map<string, UserView> {
  const [users, setUsers] = useState<Map<string, UserView>>(() => cached ?? new Map());
  useEffect(() => {
    if (cached) return;
    const controller = new AbortController();
    fetchUsers(controller.signal)
      .then((list) => {
        cached = new Map(list.map((u) => [u.id, u]));
        setUsers(cached);
      })
      .catch((error: unknown) => {
        if (!isAbort(error)) console.warn('could not load users', error);
      });
    return () => controller.abort();
  }, []);
  return users;
}

/** Forget the cache on sign-out, so the next user of this tab sees their own workspace. */
export function clearUsersCache(): void {
  cached = null;
}
