import { useState } from 'react';
import type { FormEvent } from 'react';
import { ChannelBadge } from '../../../components/channel-badge.tsx';
import { Chip } from '../../../components/chip.tsx';
import type { ChipTone } from '../../../components/chip.tsx';
import { ExternalLink } from '../../../components/external-link.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { ReplyStatus, ReplyView, UserView } from '../../../lib/wire.types.ts';
import { approveReply, confirmReply, rejectReply } from '../api.ts';

const statusText: Record<ReplyStatus, string> = {
  held: 'held for approval',
  queued: 'queued',
  sending: 'sending…',
  sent: 'sent',
  failed: 'failed',
  unknown: 'unknown — check',
  manual: 'post it yourself',
  rejected: 'rejected',
};

const statusTone: Record<ReplyStatus, ChipTone> = {
  held: 'warn', queued: 'info', sending: 'info', sent: 'good', failed: 'bad', unknown: 'warn', manual: 'warn', rejected: 'bad',
};

function ReviewActions({ reply, onChanged }: { reply: ReplyView; onChanged(reply: ReplyView): void }) {
  const [reason, setReason] = useState('');
  const approve = useAction(async () => onChanged(await approveReply(reply.id)));
  const reject = useAction(async () => onChanged(await rejectReply(reply.id, reason.trim())));
  return (
    <div className="reply-actions">
      <button type="button" className="primary" disabled={approve.busy} onClick={() => void approve.run()}>Approve and send</button>
      <label className="inline">
        <span className="visually-hidden">Reason for rejecting</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason to reject" maxLength={2000} />
      </label>
      <button type="button" disabled={reject.busy || !reason.trim()} onClick={() => void reject.run()}>Reject</button>
      {(approve.error ?? reject.error) && <p className="form-error" role="alert">{approve.error ?? reject.error}</p>}
    </div>
  );
}

/** Replies Parley could not settle itself: a blog or forum post made by hand, or an interrupted attempt. */
function ConfirmActions({ reply, onChanged }: { reply: ReplyView; onChanged(reply: ReplyView): void }) {
  const [url, setUrl] = useState('');
  const confirm = useAction(async (sent: boolean) => onChanged(await confirmReply(reply.id, { sent, ...(url.trim() ? { url: url.trim() } : {}) })));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void confirm.run(true);
  }
  return (
    <form className="reply-actions" onSubmit={submit}>
      <label className="inline">
        Link of the posted reply
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" required={reply.status === 'manual'} />
      </label>
      <button type="submit" disabled={confirm.busy}>It was posted</button>
      <button type="button" disabled={confirm.busy} onClick={() => void confirm.run(false)}>It was not posted</button>
      {confirm.error && <p className="form-error" role="alert">{confirm.error}</p>}
    </form>
  );
}

interface ReplyListProps {
  replies: ReplyView[];
  users: Map<string, UserView>;
  canReview: boolean;
  onChanged(reply: ReplyView): void;
}

/** Each reply and its delivery: held → queued → sending → sent (with its link), or failed with the platform's reason. */
export function ReplyList({ replies, users, canReview, onChanged }: ReplyListProps) {
  if (replies.length === 0) return null;
  return (
    <section className="replies" aria-labelledby="replies-title">
      <h3 id="replies-title">Replies</h3>
      <ol className="reply-list">
        {replies.map((reply) => (
          <li key={reply.id} className={`reply reply-${reply.status}`} data-reply-id={reply.id}>
            <div className="reply-head">
              <ChannelBadge kind={reply.channel.kind} name={reply.channel.name} />
              {reply.private && <Chip tone="warn">private</Chip>}
              {reply.thread && <Chip tone="info">part {reply.thread.part} of {reply.thread.of}</Chip>}
              <span className="muted small">{users.get(reply.authorUserId)?.name ?? 'An agent'} · {formatDateTime(reply.createdAt)}</span>
              <span className="reply-status" aria-live="polite">
                <Chip tone={statusTone[reply.status]}><span data-testid="reply-status">{statusText[reply.status]}</span></Chip>
              </span>
            </div>
            <p className="post-text">{reply.text}</p>
            {reply.status === 'sent' && (
              <p className="small">
                Sent {reply.sentAt ? formatDateTime(reply.sentAt) : ''}
                {reply.url ? <> · <ExternalLink href={reply.url}>View on {reply.channel.kind === 'x' ? 'X' : 'the platform'}</ExternalLink></> : null}
              </p>
            )}
            {reply.status === 'failed' && <p className="form-error small" data-testid="reply-failure">{reply.failureReason ?? reply.lastError ?? 'The platform refused it.'}</p>}
            {(reply.status === 'queued' || reply.status === 'sending') && reply.attempts > 0 && reply.lastError && (
              <p className="small muted">Attempt {reply.attempts} failed ({reply.lastError}); retrying{reply.nextAttemptAt ? ` at ${formatDateTime(reply.nextAttemptAt)}` : ''}.</p>
            )}
            {reply.status === 'held' && (
              <>
                <ul className="small hold-reasons">{reply.holdReasons.map((h) => <li key={h.rule}>{h.message}</li>)}</ul>
                {canReview && <ReviewActions reply={reply} onChanged={onChanged} />}
              </>
            )}
            {reply.status === 'rejected' && reply.reviewNote && <p className="small">Rejected: {reply.reviewNote}</p>}
            {(reply.status === 'manual' || reply.status === 'unknown') && <ConfirmActions reply={reply} onChanged={onChanged} />}
          </li>
        ))}
      </ol>
    </section>
  );
}
