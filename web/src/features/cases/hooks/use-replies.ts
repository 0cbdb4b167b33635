import { useCallback } from 'react';
import { useResource } from '../../../lib/use-resource.ts';
import type { ReplyView } from '../../../lib/wire.types.ts';
import { useLiveRefresh } from '../../events/hooks/use-live-events.ts';
import { fetchReplies } from '../api.ts';

export interface RepliesState {
  replies: ReplyView[];
  error: string | null;
  reload(): void;
  /** Shows a reply the agent just wrote (or one whose state they just changed) before the refetch. */
  upsert(reply: ReplyView): void;
}

/** A case's replies and where each stands, refreshed as the outbox reports progress on the event stream. */
export function useReplies(caseId: string): RepliesState {
  const resource = useResource(caseId, (signal) => fetchReplies(caseId, signal));
  const { reload, setData } = resource;
  useLiveRefresh((event) => event.caseId === caseId && event.type.startsWith('reply.'), reload, 100, 500);
  const upsert = useCallback((reply: ReplyView) => {
    setData((previous) => {
      const list = previous ?? [];
      return list.some((r) => r.id === reply.id) ? list.map((r) => (r.id === reply.id ? reply : r)) : [...list, reply];
    });
  }, [setData]);
  return { replies: resource.data ?? [], error: resource.error, reload, upsert };
}
