import { useMemo, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent, Ref } from 'react';
import { channelLabel } from '../../../components/channel-badge.tsx';
import { messageOf } from '../../../lib/http.ts';
import type { ChannelKind, ReplyView, TimelineMessage } from '../../../lib/wire.types.ts';
import { channelKinds, supportsPrivateReply } from '../../../lib/wire.values.ts';
import { sendReply, sendReplyThread } from '../api.ts';
import { useCaseLock } from '../hooks/use-case-lock.ts';
import { useDraftReview } from '../hooks/use-draft-review.ts';
import { DraftReviewView } from './draft-review.tsx';
import { KnowledgeSuggestions } from './knowledge-suggestions.tsx';
import { MacroPicker } from './macro-picker.tsx';
import { MovePrivateDialog } from './move-private-dialog.tsx';

interface ReplyChannel {
  id: string;
  kind: ChannelKind | null;
  name: string;
}

const alwaysPrivate = new Set<string>(['email', 'phone', 'webform']);
// Public social conversations can move to private: by DM where the platform has them, else email or a secure link.
const movableToPrivate = new Set<string>(['x', 'bluesky', 'mastodon', 'facebook']);
// Where a long reply can go out as a thread of chained posts.
const threadable = new Set<string>(['x', 'bluesky', 'mastodon']);

function kindOf(kind: string): ChannelKind | null {
  return channelKinds.find((k) => k === kind) ?? null;
}

/** The channels the customer wrote to on this case, newest first: a reply goes back where they spoke. */
function replyChannelsOf(timeline: TimelineMessage[], caseId: string, fallback: { id: string; kind: string }): ReplyChannel[] {
  const seen = new Map<string, ReplyChannel>();
  for (const m of [...timeline].reverse()) {
    if (m.caseId !== caseId || m.direction !== 'inbound' || seen.has(m.channel.id)) continue;
    seen.set(m.channel.id, { id: m.channel.id, kind: kindOf(m.channel.kind), name: m.channel.name });
  }
  if (seen.size === 0) seen.set(fallback.id, { id: fallback.id, kind: kindOf(fallback.kind), name: channelLabel(fallback.kind) });
  return [...seen.values()];
}

interface ComposerProps {
  caseId: string;
  customerName: string;
  timeline: TimelineMessage[];
  caseChannel: { id: string; kind: string };
  onReplies(replies: ReplyView[]): void;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

/**
 * Writing a reply: the channel's live length count, the thread it would become, tone findings at their spans,
 * personal data, policy articles and macros — all from the server's review of the draft as it is typed — then
 * sending it (or public-to-private) into the outbox.
 */
export function Composer({ caseId, customerName, timeline, caseChannel, onReplies, textareaRef }: ComposerProps) {
  const channels = useMemo(() => replyChannelsOf(timeline, caseId, caseChannel), [timeline, caseId, caseChannel]);
  const [channelId, setChannelId] = useState(channels[0].id);
  const channel = channels.find((c) => c.id === channelId) ?? channels[0];
  const kind = channel.kind;
  const forcedPrivate = kind !== null && alwaysPrivate.has(kind);
  const canPrivate = kind !== null && supportsPrivateReply(kind) && !forcedPrivate;
  const [text, setText] = useState('');
  const [wantPrivate, setWantPrivate] = useState(false);
  const isPrivate = forcedPrivate || (canPrivate && wantPrivate);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const [moved, setMoved] = useState<string | null>(null);
  const ownRef = useRef<HTMLTextAreaElement | null>(null);
  const { review, stale, error: reviewError } = useDraftReview(caseId, { text, private: isPrivate, channelKind: kind ?? undefined });
  const { otherHolder } = useCaseLock(caseId, text.trim().length > 0);

  const current = review && !stale ? review : null;
  const overLimit = current ? !current.length.ok : false;
  const thread = current?.thread && current.thread.length > 1 ? current.thread : null;
  const blocked = current?.blocked ?? null;
  const publicThread = kind !== null && movableToPrivate.has(kind) && !isPrivate;

  function insertAtCursor(insert: string) {
    const area = ownRef.current;
    if (!area) {
      setText((previous) => previous + insert);
      return;
    }
    const start = area.selectionStart;
    const end = area.selectionEnd;
    const next = text.slice(0, start) + insert + text.slice(end);
    setText(next);
    window.requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(start + insert.length, start + insert.length);
    });
  }

  async function send(mode: 'single' | 'thread') {
    setSending(true);
    setError(null);
    try {
      const input = { text, channelId: channel.id, private: isPrivate };
      onReplies(mode === 'thread' ? (await sendReplyThread(caseId, input)).parts : [await sendReply(caseId, input)]);
      setText('');
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setSending(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text.trim() || sending || blocked || overLimit) return;
    void send('single');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  }

  const counterClass = current ? (current.length.ok ? 'counter' : 'counter over') : 'counter pending';
  return (
    <section className="composer panel" aria-labelledby="composer-title">
      <h2 id="composer-title">Reply</h2>
      {otherHolder && <p className="notice" role="status">{otherHolder} is answering this case right now.</p>}
      <form onSubmit={submit} className="composer-form">
        <div className="composer-options">
          {channels.length > 1 ? (
            <label className="inline">
              Channel
              <select value={channel.id} onChange={(e) => setChannelId(e.target.value)}>
                {channels.map((c) => <option key={c.id} value={c.id}>{channelLabel(c.kind ?? 'api')}: {c.name}</option>)}
              </select>
            </label>
          ) : (
            <span className="muted small">On {channelLabel(kind ?? 'api')} · {channel.name}</span>
          )}
          {forcedPrivate ? (
            <span className="muted small">{channelLabel(kind ?? 'api')} replies are private.</span>
          ) : canPrivate ? (
            <label className="inline"><input type="checkbox" checked={wantPrivate} onChange={(e) => setWantPrivate(e.target.checked)} /> Private message</label>
          ) : (
            <span className="muted small">Public reply</span>
          )}
        </div>
        <label htmlFor="reply-text" className="visually-hidden">Reply to {customerName}</label>
        <textarea
          id="reply-text"
          ref={(node) => {
            ownRef.current = node;
            if (typeof textareaRef === 'function') textareaRef(node);
            else if (textareaRef) textareaRef.current = node;
          }}
          rows={5}
          value={text}
          maxLength={10_000}
          placeholder={`Reply to ${customerName}…`}
          aria-describedby="reply-counter reply-hint"
          aria-invalid={overLimit || blocked !== null}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="composer-bar">
          <span id="reply-counter" className={counterClass} data-testid="reply-counter">
            {current ? `${current.length.count} / ${current.length.limit}` : review ? `${review.length.count} / ${review.length.limit}` : '…'}
            <span className="visually-hidden"> characters as {channelLabel(kind ?? 'api')} counts them</span>
          </span>
          <span id="reply-hint" className="muted small">Ctrl+Enter sends</span>
          <span className="spacer" />
          {publicThread && (
            <button type="button" onClick={() => setMoving(true)} disabled={sending}>Move to private…</button>
          )}
          {thread && !isPrivate && kind !== null && threadable.has(kind) && (
            <button type="button" disabled={sending || blocked !== null} onClick={() => void send('thread')}>Send as a thread of {thread.length}</button>
          )}
          <button type="submit" className="primary" disabled={sending || !text.trim() || blocked !== null || overLimit}>
            {sending ? 'Sending…' : 'Send reply'}
          </button>
        </div>
        {error && <p className="form-error" role="alert">{error}</p>}
        {moved && <p className="notice" role="status">{moved}</p>}
        {reviewError && <p className="muted small">The draft could not be checked: {reviewError}</p>}
        {review && text.trim() && <DraftReviewView review={review} stale={stale} />}
      </form>
      <MacroPicker caseId={caseId} onInsert={insertAtCursor} />
      {review && <KnowledgeSuggestions articles={review.knowledge} />}
      {moving && (
        <MovePrivateDialog caseId={caseId} draft={text} onClose={() => setMoving(false)}
          onMoved={(outcome) => {
            setMoving(false);
            setText('');
            setMoved(outcome.link ? `Moved to a private conversation page: ${outcome.link.url}` : `Moved to private by ${outcome.route === 'dm' ? 'direct message' : outcome.route}.`);
            onReplies(outcome.private ? [outcome.public, outcome.private] : [outcome.public]);
          }} />
      )}
    </section>
  );
}
