import { useEffect } from 'react';
import { ChannelBadge } from '../components/channel-badge.tsx';
import { Chip } from '../components/chip.tsx';
import { Link } from '../components/link.tsx';
import { PriorityBadge } from '../components/priority-badge.tsx';
import { SlaCountdown } from '../components/sla-countdown.tsx';
import { useShortcuts } from '../lib/keyboard.ts';
import { navigate } from '../lib/router.ts';
import { formatDateTime } from '../lib/time.ts';
import { useNow } from '../lib/use-now.ts';
import { CaseActions } from '../features/cases/components/case-actions.tsx';
import { CaseEvents } from '../features/cases/components/case-events.tsx';
import { CaseNotes } from '../features/cases/components/case-notes.tsx';
import { CaseTimeline } from '../features/cases/components/case-timeline.tsx';
import { CustomerCard } from '../features/cases/components/customer-card.tsx';
import { useCase } from '../features/cases/hooks/use-case.ts';
import { useSession } from '../features/session/hooks/use-session.ts';
import { useUsers } from '../features/users/hooks/use-users.ts';

export function CaseRoute({ id }: { id: string }) {
  const { session } = useSession();
  const users = useUsers();
  const now = useNow(1_000);
  const state = useCase(id);
  const summary = state.detail?.case;

  useEffect(() => {
    document.title = summary ? `${summary.customer.displayName} · Parley` : 'Case · Parley';
  }, [summary]);

  useShortcuts({ u: () => navigate('/'), Escape: () => navigate('/') });

  if (state.notFound) {
    return (
      <section className="page">
        <h1>Case not found</h1>
        <p>It may belong to another workspace, or the link is wrong. <Link to="/">Back to the queue</Link></p>
      </section>
    );
  }
  if (!state.detail || !summary) {
    return (
      <section className="page">
        {state.error ? <p className="error-banner" role="alert">Could not load the case: {state.error}</p> : <p className="empty">Loading…</p>}
      </section>
    );
  }

  const detail = state.detail;
  const assignee = summary.assigneeId ? (summary.assigneeId === session.user.id ? 'me' : (users.get(summary.assigneeId)?.name ?? 'someone')) : 'nobody';
  return (
    <section className="page case-page" aria-labelledby="case-title">
      <nav className="breadcrumb" aria-label="Breadcrumb"><Link to="/">← Queue</Link></nav>
      <header className="case-head">
        <div>
          <h1 id="case-title">{summary.subject || '(no text)'}</h1>
          <p className="case-meta">
            <PriorityBadge priority={summary.priority} reason={summary.priorityReason} />
            <ChannelBadge kind={summary.channel.kind} />
            <Chip tone={summary.status === 'resolved' || summary.status === 'closed' ? 'good' : 'info'}>
              <span className="visually-hidden">Status: </span><span data-testid="case-status">{summary.status}</span>
            </Chip>
            {summary.topic && <Chip>{summary.topic}</Chip>}
            {summary.sentiment && <Chip>{summary.sentiment}</Chip>}
            {summary.escalationTier > 0 && <Chip tone="warn">tier {summary.escalationTier}</Chip>}
            <span className="muted">Assigned to {assignee}</span>
            <span className="muted">Opened {formatDateTime(summary.firstMessageAt)}</span>
            {summary.nextResponseDueAt && <span className="muted">Reply due <SlaCountdown dueAt={summary.nextResponseDueAt} now={now} /></span>}
          </p>
          {summary.priorityReason && <p className="muted small">Priority: {summary.priorityReason}</p>}
        </div>
        <CaseActions summary={summary} meId={session.user.id} onUpdated={state.applySummary} />
      </header>
      <div className="case-body">
        <section className="conversation" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Conversation <span className="muted">({detail.timeline.length})</span></h2>
          <CaseTimeline messages={detail.timeline} caseId={summary.id} />
        </section>
        <aside className="side">
          <CustomerCard customer={detail.customer} fallbackName={summary.customer.displayName} />
          <CaseNotes caseId={summary.id} notes={detail.notes} users={users} onAdded={state.appendNote} />
          <CaseEvents events={detail.events} users={users} />
        </aside>
      </div>
    </section>
  );
}
