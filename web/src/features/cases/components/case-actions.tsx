import { useState } from 'react';
import { messageOf } from '../../../lib/http.ts';
import type { CaseStatus, CaseSummary, UserView } from '../../../lib/wire.types.ts';
import { updateCase } from '../api.ts';
import type { CasePatch } from '../api.ts';

const statusChoices: { value: CaseStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'waiting', label: 'Waiting' },
  { value: 'resolved', label: 'Resolved' },
];

interface CaseActionsProps {
  summary: CaseSummary;
  meId: string;
  users: Map<string, UserView>;
  onUpdated(summary: CaseSummary): void;
  onEscalate(): void;
}

export function CaseActions({ summary, meId, users, onUpdated, onEscalate }: CaseActionsProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function apply(patch: CasePatch) {
    setBusy(true);
    setError(null);
    try {
      onUpdated(await updateCase(summary.id, patch));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  const mine = summary.assigneeId === meId;
  const people = [...users.values()].sort((a, b) => a.name.localeCompare(b.name));
  const closed = summary.status === 'resolved' || summary.status === 'closed';
  return (
    <div className="case-actions">
      <div role="group" aria-label="Status" className="segmented">
        {statusChoices.map((choice) => (
          <button key={choice.value} type="button" aria-pressed={summary.status === choice.value}
            disabled={busy || summary.status === choice.value} onClick={() => void apply({ status: choice.value })}>
            {choice.label}
          </button>
        ))}
      </div>
      {mine ? (
        <button type="button" disabled={busy} onClick={() => void apply({ assigneeId: null })}>Unassign me</button>
      ) : (
        <button type="button" className="primary" disabled={busy} onClick={() => void apply({ assigneeId: meId })}>Assign to me</button>
      )}
      <label className="inline">
        Assignee
        <select value={summary.assigneeId ?? ''} disabled={busy || people.length === 0}
          onChange={(e) => void apply({ assigneeId: e.target.value || null })}>
          <option value="">Nobody</option>
          {people.map((u) => <option key={u.id} value={u.id}>{u.id === meId ? `${u.name} (me)` : u.name}</option>)}
        </select>
      </label>
      <button type="button" onClick={onEscalate} disabled={busy || closed} aria-keyshortcuts="e"
        title={closed ? 'Reopen the case to escalate it' : undefined}>Escalate…</button>
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
