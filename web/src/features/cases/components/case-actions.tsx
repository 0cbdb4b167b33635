import { useState } from 'react';
import { messageOf } from '../../../lib/http.ts';
import type { CaseStatus, CaseSummary } from '../../../lib/wire.types.ts';
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
  onUpdated(summary: CaseSummary): void;
}

export function CaseActions({ summary, meId, onUpdated }: CaseActionsProps) {
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
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
