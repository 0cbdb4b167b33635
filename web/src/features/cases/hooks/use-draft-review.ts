import { useEffect, useState } from 'react';
import { isAbort, messageOf } from '../../../lib/http.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import type { DraftCheck } from '../../../lib/wire.types.ts';
import { checkDraft } from '../api.ts';
import type { DraftInput } from '../api.ts';

export interface DraftReviewState {
  review: DraftCheck | null;
  /** The review is for an older draft than the one on screen (typing, or the request is in flight). */
  stale: boolean;
  error: string | null;
}

const keyOf = (draft: DraftInput) => JSON.stringify([draft.text, draft.private, draft.channelKind ?? null]);

/**
 * The server's review of the draft as the agent types: the channel's length rule, the thread split, personal data,
 * tone findings with spans, and policy articles. One request per pause in typing; older answers are dropped.
 */
export function useDraftReview(caseId: string, draft: DraftInput, delayMs = 150): DraftReviewState {
  const key = keyOf(draft);
  const settledKey = useDebouncedValue(key, delayMs);
  const [result, setResult] = useState<{ key: string; review: DraftCheck } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const [text, isPrivate, channelKind] = JSON.parse(settledKey) as [string, boolean, string | null];
    const controller = new AbortController();
    checkDraft(caseId, { text, private: isPrivate, ...(channelKind ? { channelKind } : {}) }, controller.signal)
      .then((review) => {
        setResult({ key: settledKey, review });
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!isAbort(caught)) setError(messageOf(caught));
      });
    return () => controller.abort();
  }, [caseId, settledKey]);

  return { review: result?.review ?? null, stale: result?.key !== key, error };
}
