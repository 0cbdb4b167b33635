import { useEffect, useRef, useState } from 'react';
import { useShortcuts } from '../lib/keyboard.ts';
import { navigate, useLocation } from '../lib/router.ts';
import { useAction } from '../lib/use-action.ts';
import { useNow } from '../lib/use-now.ts';
import { hasRole } from '../lib/wire.values.ts';
import { useSession } from '../features/session/hooks/use-session.ts';
import { useUsers } from '../features/users/hooks/use-users.ts';
import { takeNextCase } from '../features/queue/api.ts';
import { useQueue } from '../features/queue/hooks/use-queue.ts';
import { QueueFilterBar } from '../features/queue/components/queue-filter-bar.tsx';
import { QueueTable, caseHref } from '../features/queue/components/queue-table.tsx';
import type { QueueTableHandle } from '../features/queue/components/queue-table.tsx';
import { filtersFromSearch, searchFromFilters } from '../features/queue/queue-filters.ts';

export function QueueRoute() {
  const { session } = useSession();
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  const queue = useQueue(filters);
  const users = useUsers();
  const now = useNow(1_000);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [nothingToTake, setNothingToTake] = useState(false);
  const table = useRef<QueueTableHandle>(null);
  const takeNext = useAction(async () => {
    setNothingToTake(false);
    const taken = await takeNextCase();
    if (taken) navigate(caseHref(taken.id));
    else setNothingToTake(true);
  });

  useEffect(() => {
    document.title = 'Queue · Parley';
  }, []);

  const count = queue.cases.length;
  useEffect(() => {
    if (activeIndex >= count) setActiveIndex(count - 1);
  }, [activeIndex, count]);

  function move(delta: number) {
    if (count === 0) return;
    const next = Math.min(count - 1, Math.max(0, activeIndex + delta));
    setActiveIndex(next);
    table.current?.focusRow(next);
  }

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    n: () => void takeNext.run(),
    Enter: (event) => {
      // A focused link or button answers Enter itself.
      if (event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement) return;
      const active = queue.cases[activeIndex];
      if (active) navigate(caseHref(active.id));
    },
  });

  return (
    <section className="page queue-page" aria-labelledby="queue-title">
      <div className="page-head">
        <div className="title-row">
          <h1 id="queue-title">Queue</h1>
          <button type="button" className="primary" onClick={() => void takeNext.run()} disabled={takeNext.busy} aria-keyshortcuts="n">
            {takeNext.busy ? 'Taking…' : 'Take next'}
          </button>
        </div>
        <QueueFilterBar filters={filters} canListTeams={hasRole(session.user.role, 'supervisor')}
          onChange={(next) => navigate(`/${searchFromFilters(next)}`, { replace: true })} />
      </div>
      <p id="queue-hint" className="hint">
        Fair order: customer need first, then the reply deadline — never channel or follower count. <kbd>j</kbd>/<kbd>k</kbd> to move,
        <kbd>Enter</kbd> to open, <kbd>n</kbd> to take the next case, <kbd>?</kbd> for help.
      </p>
      <div role="status" className="take-next-status">
        {nothingToTake && <p className="notice">Nothing to take right now: no unassigned case is waiting in your teams' queues.</p>}
        {takeNext.error && <p className="error-banner">Could not take a case: {takeNext.error}</p>}
      </div>
      {queue.error && <p className="error-banner" role="alert">Could not load the queue: {queue.error} <button type="button" onClick={queue.refresh}>Retry</button></p>}
      <div aria-live="polite" className="visually-hidden">{queue.loading ? 'Loading the queue' : `${count} cases shown`}</div>
      {queue.loading && count === 0 ? (
        <p className="empty">Loading…</p>
      ) : count === 0 ? (
        <p className="empty">No cases match these filters. New messages will appear here as they arrive.</p>
      ) : (
        <QueueTable handle={table} cases={queue.cases} activeIndex={activeIndex} freshIds={queue.freshIds} users={users} meId={session.user.id} now={now}
          onActivate={setActiveIndex} onNearEnd={queue.loadMore} />
      )}
      <div className="load-more">
        {queue.nextCursor ? (
          <button type="button" onClick={queue.loadMore} disabled={queue.loadingMore}>{queue.loadingMore ? 'Loading…' : 'Load more'}</button>
        ) : count > 0 ? (
          <span className="muted">End of the queue · {count} {count === 1 ? 'case' : 'cases'}</span>
        ) : null}
      </div>
    </section>
  );
}
