import { ChannelBadge } from '../../../components/channel-badge.tsx';
import { Chip } from '../../../components/chip.tsx';
import { Link } from '../../../components/link.tsx';
import { PostText } from '../../../components/post-text.tsx';
import { formatDateTime } from '../../../lib/time.ts';
import type { TimelineMessage } from '../../../lib/wire.types.ts';
import type { AppliedCorrection } from '../label-corrections.ts';
import { LabelChips } from './label-chips.tsx';

function authorOf(message: TimelineMessage): string {
  if (message.direction === 'outbound') return message.senderName ?? 'Care team';
  const author = message.author;
  if (!author) return message.senderName ?? 'Unknown sender';
  const name = author.displayName ?? author.handle ?? 'Unknown';
  return author.handle && author.displayName ? `${author.displayName} (@${author.handle})` : name;
}

interface CaseTimelineProps {
  messages: TimelineMessage[];
  caseId: string;
  corrections: Map<string, AppliedCorrection>;
  onCorrect(message: TimelineMessage): void;
}

/** Every message of the customer across channels, oldest first, as the API orders it. */
export function CaseTimeline({ messages, caseId, corrections, onCorrect }: CaseTimelineProps) {
  if (messages.length === 0) return <p className="empty">No messages yet.</p>;
  return (
    <ol className="timeline">
      {messages.map((m) => (
        <li key={m.id} className={`message message-${m.direction}`} data-message-id={m.id}>
          {/* Focusable by script (j/k) so keyboard users can step through a long conversation. */}
          <article tabIndex={-1} aria-label={`${m.direction === 'inbound' ? 'From' : 'Reply by'} ${authorOf(m)}`}>
            <header className="message-head">
              <ChannelBadge kind={m.channel.kind} name={m.channel.name} />
              <span className={`direction direction-${m.direction}`}>{m.direction === 'inbound' ? 'Inbound' : 'Outbound'}</span>
              <strong className="author">{authorOf(m)}</strong>
              {!m.isPublic && <Chip tone="warn">private</Chip>}
              {m.caseId && m.caseId !== caseId && <Link className="other-case" to={`/cases/${encodeURIComponent(m.caseId)}`}>other case</Link>}
              <time dateTime={m.sentAt} title={`received ${formatDateTime(m.receivedAt)}`}>{formatDateTime(m.sentAt)}</time>
            </header>
            <PostText text={m.text} />
            {m.labels && <LabelChips labels={m.labels} correction={corrections.get(m.id)} onCorrect={() => onCorrect(m)} />}
          </article>
        </li>
      ))}
    </ol>
  );
}
