import { useState } from 'react';
import type { FormEvent } from 'react';
import { messageOf } from '../../../lib/http.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { NoteView, UserView } from '../../../lib/wire.types.ts';
import { addNote } from '../api.ts';

interface CaseNotesProps {
  caseId: string;
  notes: NoteView[];
  users: Map<string, UserView>;
  onAdded(note: NoteView): void;
}

export function CaseNotes({ caseId, notes, users, onAdded }: CaseNotesProps) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onAdded(await addNote(caseId, body.trim()));
      setBody('');
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes <span className="muted">(internal)</span></h2>
      {notes.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ul className="notes">
          {notes.map((note) => (
            <li key={note.id} className="note">
              <div className="note-meta">
                <strong>{users.get(note.userId)?.name ?? 'A teammate'}</strong> ·{' '}
                <time dateTime={note.createdAt}>{formatDateTime(note.createdAt)}</time>
              </div>
              <p className="note-body">{note.body}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="note-form">
        <label htmlFor="note-body">Add a note</label>
        <textarea id="note-body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={10_000}
          placeholder="Visible to the team, never to the customer" />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" disabled={busy || !body.trim()}>{busy ? 'Adding…' : 'Add note'}</button>
      </form>
    </section>
  );
}
