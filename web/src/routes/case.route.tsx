import { useEffect, useMemo, useRef, useState } from 'react';
import { ChannelBadge } from '../components/channel-badge.tsx';
import { Chip, sentimentTone } from '../components/chip.tsx';
import { Link } from '../components/link.tsx';
import { PriorityBadge } from '../components/priority-badge.tsx';
import { SlaCountdown } from '../components/sla-countdown.tsx';
import { useShortcuts } from '../lib/keyboard.ts';
import { navigate } from '../lib/router.ts';
import { formatDateTime } from '../lib/time.ts';
import { useNow } from '../lib/use-now.ts';
import type { TimelineMessage } from '../lib/wire.types.ts';
import { hasRole } from '../lib/wire.values.ts';
import { CaseActions } from '../features/cases/components/case-actions.tsx';
import { CaseEvents } from '../features/cases/components/case-events.tsx';
import { CaseNotes } from '../features/cases/components/case-notes.tsx';
import { CaseTimeline } from '../features/cases/components/case-timeline.tsx';
import { Composer } from '../features/cases/components/composer.tsx';
import { CorrectLabelsDialog } from '../features/cases/components/correct-labels-dialog.tsx';
import { CustomerCard } from '../features/cases/components/customer-card.tsx';
import { EscalateDialog } from '../features/cases/components/escalate-dialog.tsx';
import { ReplyList } from '../features/cases/components/reply-list.tsx';
import { useCase } from '../features/cases/hooks/use-case.ts';
import { useReplies } from '../features/cases/hooks/use-replies.ts';
import { correctionsByMessage } from '../features/cases/label-corrections.ts';
import { useSession } from '../features/session/hooks/use-session.ts';
import { useUsers } from '../features/users/hooks/use-users.ts';

/** Moves focus to the next or previous message of the conversation (j/k). */
function stepMessage(delta: number) {
  const articles = [...document.querySelectorAll<HTMLElement>('.timeline .message article')];
  if (articles.length === 0) return;
  const at = articles.findIndex((a) => a === document.activeElement || a.contains(document.activeElement));
  const next = at === -1 ? (delta > 0 ? 0 : articles.length - 1) : Math.min(articles.length - 1, Math.max(0, at + delta));
  articles[next].focus();
  articles[next].scrollIntoView({ block: 'nearest' });
}

export function CaseRoute({ id }: { id: string }) {
  const { session } = useSession();
  const users = useUsers();
  const now = useNow(1_000);
  const state = useCase(id);
  const replies = useReplies(id);
  const summary = state.detail?.case;
  const [escalating, setEscalating] = useState(false);
  const [correcting, setCorrecting] = useState<TimelineMessage | null>(null);
  const composer = useRef<HTMLTextAreaElement | null>(null);
  const events = state.detail?.events;
  const corrections = useMemo(() => correctionsByMessage(events ?? []), [events]);

  useEffect(() => {
    document.title = summary ? `${summary.customer.displayName} · Parley` : 'Case · Parley';
  }, [summary]);

  useShortcuts({
    u: () => navigate('/'),
    Escape: () => navigate('/'),
    r: (event) => {
      event.preventDefault();
      composer.current?.focus();
    },
    e: () => {
      if (summary && summary.status !== 'resolved' && summary.status !== 'closed') setEscalating(true);
    },
    j: () => stepMessage(1),
    k: () => stepMessage(-1),
  });

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
            {summary.topic && <Chip title="topic">{summary.topic}</Chip>}
            {summary.sentiment && <Chip tone={sentimentTone(summary.sentiment)} title="sentiment">{summary.sentiment}</Chip>}
            {summary.escalationTier > 0 && <Chip tone="warn"><span data-testid="case-tier">tier {summary.escalationTier}</span></Chip>}
            <span className="muted">Assigned to <span data-testid="case-assignee">{assignee}</span></span>
            <span className="muted">Opened {formatDateTime(summary.firstMessageAt)}</span>
            {summary.sla.paused ? (
              <span className="muted">SLA paused while waiting on the customer</span>
            ) : summary.nextResponseDueAt ? (
              <span className="muted">Reply due <SlaCountdown dueAt={summary.nextResponseDueAt} now={now} /></span>
            ) : null}
          </p>
          {summary.priorityReason && <p className="muted small">Priority: {summary.priorityReason}</p>}
        </div>
        <CaseActions summary={summary} meId={session.user.id} users={users} onUpdated={state.applySummary} onEscalate={() => setEscalating(true)} />
      </header>
      <div className="case-body">
        <div className="main-column">
          <section className="conversation" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Conversation <span className="muted">({detail.timeline.length})</span></h2>
            <CaseTimeline messages={detail.timeline} caseId={summary.id} corrections={corrections} onCorrect={setCorrecting} />
          </section>
          <ReplyList replies={replies.replies} users={users} canReview={hasRole(session.user.role, 'supervisor')} onChanged={replies.upsert} />
          <Composer
            caseId={summary.id}
            customerName={summary.customer.displayName}
            timeline={detail.timeline}
            caseChannel={summary.channel}
            textareaRef={composer}
            onReplies={(sent) => sent.forEach(replies.upsert)}
          />
        </div>
        <aside className="side">
          <CustomerCard customerId={summary.customer.id} customer={detail.customer} fallbackName={summary.customer.displayName} />
          <CaseNotes caseId={summary.id} notes={detail.notes} users={users} onAdded={state.appendNote} />
          <CaseEvents events={detail.events} users={users} />
        </aside>
      </div>
      {escalating && (
        <EscalateDialog summary={summary} onClose={() => setEscalating(false)}
          onEscalated={(next) => { state.applySummary(next); setEscalating(false); }} />
      )}
      {correcting?.labels && (
        <CorrectLabelsDialog messageId={correcting.id} labels={correcting.labels} correction={corrections.get(correcting.id)}
          onClose={() => setCorrecting(null)} onSaved={() => { setCorrecting(null); state.reload(); }} />
      )}
    </section>
  );
}
