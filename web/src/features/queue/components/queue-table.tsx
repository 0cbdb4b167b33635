import { useEffect, useImperativeHandle, useRef } from 'react';
import type { Ref } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ChannelBadge } from '../../../components/channel-badge.tsx';
import { Chip, sentimentTone } from '../../../components/chip.tsx';
import { Link } from '../../../components/link.tsx';
import { PriorityBadge } from '../../../components/priority-badge.tsx';
import { SlaCountdown } from '../../../components/sla-countdown.tsx';
import { navigate } from '../../../lib/router.ts';
import { formatAge } from '../../../lib/time.ts';
import type { CaseSummary, UserView } from '../../../lib/wire.types.ts';

/** What the queue page asks of the table: bring a row into view and give it focus (j/k on a virtual list). */
export interface QueueTableHandle {
  focusRow(index: number): void;
}

interface QueueTableProps {
  cases: CaseSummary[];
  activeIndex: number;
  freshIds: ReadonlySet<string>;
  users: Map<string, UserView>;
  meId: string;
  now: number;
  /** Called when the agent scrolls near the end of what is loaded. */
  onNearEnd(): void;
  onActivate(index: number): void;
  handle?: Ref<QueueTableHandle>;
}

export const caseHref = (id: string) => `/cases/${encodeURIComponent(id)}`;

const estimatedRowPx = 62;
const nearEndRows = 20;

function assigneeName(assigneeId: string | null, users: Map<string, UserView>, meId: string): string {
  if (!assigneeId) return 'Unassigned';
  if (assigneeId === meId) return 'Me';
  return users.get(assigneeId)?.name ?? 'Someone';
}

/**
 * The queue as a table whose rows are virtual: only the rows in view (plus a few) are in the DOM, so thousands of
 * cases scroll as smoothly as twenty. Spacer rows keep the scroll height; aria-rowcount/aria-rowindex tell
 * assistive technology where each rendered row sits in the whole list.
 */
export function QueueTable({ cases, activeIndex, freshIds, users, meId, now, onNearEnd, onActivate, handle }: QueueTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: cases.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimatedRowPx,
    overscan: 8,
    getItemKey: (index) => cases[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (cases.length > 0 && lastIndex >= cases.length - nearEndRows) onNearEnd();
  }, [lastIndex, cases.length, onNearEnd]);

  useImperativeHandle(handle, () => ({
    focusRow(index: number) {
      virtualizer.scrollToIndex(index, { align: 'auto' });
      // The row may only exist after the scroll has rendered it.
      const tryFocus = (attempt: number) => {
        const link = scrollRef.current?.querySelector<HTMLAnchorElement>(`tr[data-index="${index}"] td.subject a`);
        if (link) link.focus({ preventScroll: true });
        else if (attempt < 5) window.requestAnimationFrame(() => tryFocus(attempt + 1));
      };
      tryFocus(0);
    },
  }), [virtualizer]);

  const before = items[0]?.start ?? 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  return (
    <div className="queue-scroll" ref={scrollRef}>
      <table className="queue" aria-label="Case queue" aria-describedby="queue-hint" aria-rowcount={cases.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
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
          {before > 0 && <tr className="spacer" aria-hidden="true" style={{ height: before }}><td colSpan={8} /></tr>}
          {items.map((item) => {
            const c = cases[item.index];
            const index = item.index;
            const classes = ['queue-row'];
            if (index === activeIndex) classes.push('active');
            if (freshIds.has(c.id)) classes.push('fresh');
            return (
              <tr
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={index}
                className={classes.join(' ')}
                data-case-id={c.id}
                aria-rowindex={index + 2}
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
                    {c.topic && <Chip title="topic">{c.topic}</Chip>}
                    {c.sentiment && <Chip tone={sentimentTone(c.sentiment)} title="sentiment">{c.sentiment}</Chip>}
                    {c.escalationTier > 0 && <Chip tone="warn" title="escalation tier">tier {c.escalationTier}</Chip>}
                    {c.messageCount > 1 && <Chip title="messages in this case">{c.messageCount} msgs</Chip>}
                    {c.lock && c.lock.userId !== meId && Date.parse(c.lock.expiresAt) > now && (
                      <Chip tone="warn" title="another agent is answering this case">{users.get(c.lock.userId)?.name ?? 'someone'} answering</Chip>
                    )}
                  </span>
                </td>
                <td className={c.assigneeId ? '' : 'muted'}>{assigneeName(c.assigneeId, users, meId)}</td>
                <td className="age"><time dateTime={c.lastMessageAt}>{formatAge(c.lastMessageAt, now)}</time></td>
                <td>{c.sla.paused ? <span className="sla sla-none" title="the clock stands still while the case waits on the customer">paused</span> : <SlaCountdown dueAt={c.nextResponseDueAt} now={now} />}</td>
              </tr>
            );
          })}
          {after > 0 && <tr className="spacer" aria-hidden="true" style={{ height: after }}><td colSpan={8} /></tr>}
        </tbody>
      </table>
    </div>
  );
}
