import { formatDateTime } from '../../../lib/time.ts';
import type { StoredEvent, UserView } from '../../../lib/wire.types.ts';

function describe(event: StoredEvent, users: Map<string, UserView>): string {
  const data = event.data;
  const name = (id: unknown) => (typeof id === 'string' ? (users.get(id)?.name ?? 'someone') : 'nobody');
  switch (event.type) {
    case 'case.created':
      return `Case opened${typeof data.priority === 'string' ? ` at ${data.priority} priority` : ''}`;
    case 'case.status_changed':
      return `Status ${String(data.from)} → ${String(data.to)}`;
    case 'case.assigned':
      return `Assigned to ${name(data.to)}`;
    case 'case.priority_overridden':
      return `Priority ${String(data.from)} → ${String(data.to)}${typeof data.reason === 'string' ? `: ${data.reason}` : ''}`;
    case 'case.note_added':
      return 'Note added';
    case 'case.reopened':
      return 'Reopened by a new message';
    case 'case.updated':
      if (data.reason === 'message.sent') return 'Reply recorded';
      if (data.reason === 'listening.converted') return data.caseCreated === false ? 'Listening post added to this case' : 'Opened from a listening post';
      return `Updated by a new message${typeof data.priority === 'string' ? ` (priority ${data.priority})` : ''}`;
    case 'case.escalated':
      return `Escalated to tier ${String(data.to)}${typeof data.reason === 'string' ? `: ${data.reason}` : ''}`;
    case 'case.locked':
      return 'Started answering';
    case 'case.unlocked':
      return 'Stopped answering';
    case 'sla.breached':
      return `SLA breached (${String(data.target)})`;
    case 'message.received':
      return 'Message received';
    case 'message.sent':
      return 'Message sent';
    case 'message.labels_corrected':
      return 'Labels corrected';
    case 'reply.queued':
      return 'Reply queued';
    case 'reply.held':
      return 'Reply held for approval';
    case 'reply.approved':
      return 'Reply approved';
    case 'reply.rejected':
      return 'Reply rejected';
    case 'reply.sending':
      return 'Reply sending';
    case 'reply.retrying':
      return 'Reply delivery retrying';
    case 'reply.sent':
      return 'Reply sent';
    case 'reply.failed':
      return `Reply failed${typeof data.reason === 'string' ? `: ${data.reason}` : ''}`;
    case 'reply.unknown':
      return 'Reply delivery unknown';
    case 'reply.awaiting_agent':
      return 'Reply waiting to be posted by hand';
    default:
      return event.type;
  }
}

export function CaseEvents({ events, users }: { events: StoredEvent[]; users: Map<string, UserView> }) {
  return (
    <section className="panel" aria-labelledby="events-title">
      <h2 id="events-title">History</h2>
      {events.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <ol className="events">
          {events.map((event) => (
            <li key={event.seq}>
              <span>{describe(event, users)}</span>
              {event.actorUserId && <span className="muted"> · {users.get(event.actorUserId)?.name ?? 'someone'}</span>}
              <time className="muted" dateTime={event.createdAt}> · {formatDateTime(event.createdAt)}</time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
