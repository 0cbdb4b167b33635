import { useState } from 'react';
import type { FormEvent } from 'react';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { useAction } from '../../../lib/use-action.ts';
import type { PrivateMoveView, PrivateRoute } from '../../../lib/wire.types.ts';
import { moveToPrivate } from '../api.ts';

const routes: { value: PrivateRoute | ''; label: string }[] = [
  { value: '', label: 'The first possible: direct message, then email, then a secure link' },
  { value: 'dm', label: "The platform's direct messages" },
  { value: 'email', label: "Email to the customer's known address" },
  { value: 'link', label: 'A secure link to a private conversation page' },
];

interface MovePrivateDialogProps {
  caseId: string;
  draft: string;
  onClose(): void;
  onMoved(outcome: PrivateMoveView): void;
}

/** Public to private in one action: a short public acknowledgement, and the rest said privately. */
export function MovePrivateDialog({ caseId, draft, onClose, onMoved }: MovePrivateDialogProps) {
  const [acknowledgement, setAcknowledgement] = useState('');
  const [privateText, setPrivateText] = useState(draft);
  const [via, setVia] = useState<PrivateRoute | ''>('');
  const move = useAction(async () => {
    onMoved(await moveToPrivate(caseId, {
      privateText: privateText.trim(),
      ...(acknowledgement.trim() ? { acknowledgement: acknowledgement.trim() } : {}),
      ...(via ? { via } : {}),
    }));
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void move.run();
  }
  return (
    <ModalDialog open title="Move to a private conversation" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label>
          Continue by
          <select value={via} onChange={(e) => setVia(routes.find((r) => r.value === e.target.value)?.value ?? '')}>
            {routes.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
          </select>
        </label>
        <label>
          Public acknowledgement <span className="muted">(optional)</span>
          <textarea rows={2} value={acknowledgement} onChange={(e) => setAcknowledgement(e.target.value)} maxLength={1000}
            placeholder="Leave empty for Parley's standard short apology, which points to the private route" />
        </label>
        <label>
          Private message
          <textarea rows={5} value={privateText} onChange={(e) => setPrivateText(e.target.value)} maxLength={10_000} required autoFocus />
        </label>
        <p className="hint">Both are checked before either is sent. Ask for account details only in the private message.</p>
        {move.error && <p className="form-error" role="alert">{move.error}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={move.busy || !privateText.trim()}>{move.busy ? 'Sending…' : 'Send both'}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
