import { useState } from 'react';
import type { FormEvent } from 'react';
import { useAction } from '../../../lib/use-action.ts';
import { setVulnerable } from '../api.ts';

/** Supervisors flag a customer who needs extra care (it raises their cases' priority), always with a note. */
export function VulnerableFlag({ customerId, vulnerable, note, canChange, onChanged }: {
  customerId: string;
  vulnerable: boolean;
  note: string | null;
  canChange: boolean;
  onChanged(): void;
}) {
  const [draft, setDraft] = useState('');
  const change = useAction(async (next: boolean) => {
    await setVulnerable(customerId, { vulnerable: next, note: next ? draft.trim() : null });
    setDraft('');
    onChanged();
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void change.run(true);
  }
  return (
    <div className="vulnerable">
      {vulnerable ? (
        <p className="notice">Vulnerable customer: handle with extra care.{note ? ` ${note}` : ''}</p>
      ) : null}
      {canChange && (vulnerable ? (
        <button type="button" disabled={change.busy} onClick={() => void change.run(false)}>Remove the vulnerable flag</button>
      ) : (
        <form className="row" onSubmit={submit} aria-label="Flag as vulnerable">
          <label className="grow">
            Why this customer needs extra care
            <input value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={2000} required />
          </label>
          <button type="submit" disabled={change.busy || !draft.trim()}>Flag as vulnerable</button>
        </form>
      ))}
      {change.error && <p className="form-error" role="alert">{change.error}</p>}
    </div>
  );
}
