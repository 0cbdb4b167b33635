import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isAbort, messageOf } from '../../../lib/http.ts';
import type { CaseDetail, CaseSummary, NoteView } from '../../../lib/wire.types.ts';
import { useLiveRefresh } from '../../events/hooks/use-live-events.ts';
import { fetchCase } from '../api.ts';

export interface CaseState {
  detail: CaseDetail | null;
  loading: boolean;
  notFound: boolean;
  error: string | null;
  reload(): void;
  /** Shows a PATCH answer at once, before the refetch its event triggers. */
  applySummary(summary: CaseSummary): void;
  /** Shows a note the agent just added, before the refetch its event triggers. */
  appendNote(note: NoteView): void;
}

/** A case with timeline, notes and events; refetched when the event stream reports a change to it. */
export function useCase(id: string): CaseState {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loading, setLoading] = useState(true);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    try {
      const next = await fetchCase(id, current.signal);
      if (current.signal.aborted) return;
      setDetail(next);
      setNotFound(false);
      setError(null);
    } catch (caught) {
      if (isAbort(caught)) return;
      if (caught instanceof ApiError && caught.status === 404) setNotFound(true);
      else setError(messageOf(caught));
    } finally {
      if (!current.signal.aborted) setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    setLoading(true);
    setDetail(null);
    void load();
    return () => controller.current?.abort();
  }, [load]);

  const reload = useCallback(() => void load(), [load]);
  // The timeline spans the customer's other cases too, so their events count as changes to this page; a brand-new
  // case may be this customer's as well (the event does not say whose), and is rare enough to refetch for.
  const relatedCaseIds = useRef(new Set<string>([id]));
  useEffect(() => {
    relatedCaseIds.current = new Set([id, ...(detail?.timeline.map((m) => m.caseId).filter((c) => c !== null) ?? [])]);
  }, [id, detail]);
  useLiveRefresh(
    (event) => (event.caseId !== null && relatedCaseIds.current.has(event.caseId)) || event.type === 'case.created',
    reload,
  );

  const applySummary = useCallback((summary: CaseSummary) => {
    setDetail((previous) => (previous ? { ...previous, case: summary } : previous));
  }, []);

  const appendNote = useCallback((note: NoteView) => {
    setDetail((previous) => (previous && !previous.notes.some((n) => n.id === note.id) ? { ...previous, notes: [...previous.notes, note] } : previous));
  }, []);

  return { detail, loading, notFound, error, reload, applySummary, appendNote };
}
