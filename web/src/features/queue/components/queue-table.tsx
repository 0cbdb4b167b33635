import { ChannelBadge } from '../../../components/channel-badge.tsx';
import { Chip, sentimentTone } from '../../../components/chip.tsx';
import { Link } from '../../../components/link.tsx';
import { PriorityBadge } from '../../../components/priority-badge.tsx';
import { SlaCountdown } from '../../../components/sla-countdown.tsx';
import { navigate } from '../../../lib/router.ts';
import { formatAge } from '../../../lib/time.ts';
import type { CaseSummary, UserView } from '../../../lib/wire.types.ts';

interface QueueTableProps {
  cases: CaseSummary[];
  activeIndex: number;
  freshIds: ReadonlySet<string>;
  users: Map<string, UserView>;
  meId: string;
  now: number;
  onActivate(index: number): void;
}

export const caseHref = (id: string) => `/cases/${encodeURIComponent(id)}`;

function assigneeName(assigneeId: string | null, users: Map<string, UserView>, meId: string): string {
  if (!assigneeId) return 'Unassigned';
  if (assigneeId === meId) return 'Me';
  return users.get(assigneeId)?.name ?? 'Someone';
}

export function QueueTable({ cases, activeIndex, freshIds, users, meId, now, onActivate }: QueueTableProps) {
  return (
    <table className="queue" aria-label="Case queue" aria-describedby="queue-hint">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Priority</th>
          <th scope="col">Channel</th>
          <th scope="col">Customer</th>
          <th scope="col">Subject</th>
          <th scope="col">Assignee</th>
          <th scope="col">Last message</th>
          <th scope="col">Reply due</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c, index) => {
          const classes = ['queue-row'];
          if (index === activeIndex) classes.push('active');
          if (freshIds.has(c.id)) classes.push('fresh');
          return (
            <tr
              key={c.id}
              className={classes.join(' ')}
              data-case-id={c.id}
              aria-current={index === activeIndex ? 'true' : undefined}
              onClick={(event) => {
                onActivate(index);
                // Clicks on the row's own link are handled by the link.
                if (!(event.target instanceof HTMLAnchorElement)) navigate(caseHref(c.id));
              }}
            >
              <td className="num">{index + 1}</td>
              <td><PriorityBadge priority={c.priority} reason={c.priorityReason} /></td>
              <td><ChannelBadge kind={c.channel.kind} /></td>
              <td className="customer">{c.customer.displayName}</td>
              <td className="subject">
                <Link to={caseHref(c.id)} onFocus={() => onActivate(index)}>{c.subject || '(no text)'}</Link>
                <span className="chips">
                  {c.status !== 'open' && <Chip tone={c.status === 'new' ? 'info' : 'neutral'}>{c.status}</Chip>}
                  {c.topic && <Chip>{c.topic}</Chip>}
                  {c.sentiment && <Chip tone={sentimentTone(c.sentiment)}>{c.sentiment}</Chip>}
                  {c.messageCount > 1 && <Chip title="messages in this case">{c.messageCount} msgs</Chip>}
                </span>
              </td>
              <td className={c.assigneeId ? '' : 'muted'}>{assigneeName(c.assigneeId, users, meId)}</td>
              <td className="age"><time dateTime={c.lastMessageAt}>{formatAge(c.lastMessageAt, now)}</time></td>
              <td><SlaCountdown dueAt={c.nextResponseDueAt} now={now} /></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
