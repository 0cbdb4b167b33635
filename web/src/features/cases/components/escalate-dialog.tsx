import { useState } from 'react';
import type { FormEvent } from 'react';
import { ModalDialog } from '../../../components/modal-dialog.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import type { CaseSummary } from '../../../lib/wire.types.ts';
import { escalateCase, fetchEscalationPolicy } from '../api.ts';

interface EscalateDialogProps {
  summary: CaseSummary;
  onClose(): void;
  onEscalated(summary: CaseSummary): void;
}

/** Up the ladder (frontline → specialist → executive office): the tier's own SLA clocks start and it is notified. */
export function EscalateDialog({ summary, onClose, onEscalated }: EscalateDialogProps) {
  const policy = useResource('escalation-policy', fetchEscalationPolicy);
  const tiers = (policy.data?.tiers ?? []).map((tier, index) => ({ ...tier, index })).filter((t) => t.index > summary.escalationTier);
  const [tier, setTier] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const chosen = tier ?? tiers[0]?.index ?? null;
  const escalate = useAction(async () => {
    onEscalated(await escalateCase(summary.id, { reason: reason.trim(), ...(chosen === null ? {} : { tier: chosen }) }));
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void escalate.run();
  }
  const current = policy.data?.tiers[summary.escalationTier]?.name ?? `tier ${summary.escalationTier}`;
  return (
    <ModalDialog open title="Escalate the case" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <p className="muted">Now at: {current}.</p>
        {policy.error && <p className="form-error" role="alert">Could not load the ladder: {policy.error}</p>}
        {policy.data && tiers.length === 0 ? (
          <p className="notice">This case is already at the top of the ladder.</p>
        ) : (
          <label>
            To
            <select value={chosen ?? ''} onChange={(e) => setTier(Number(e.target.value))} disabled={!policy.data}>
              {tiers.map((t) => (
                <option key={t.index} value={t.index}>
                  {t.name}{t.targets ? ` (answer within ${t.targets.response} min)` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Reason
          <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required autoFocus
            placeholder="What the next tier needs to know" />
        </label>
        {escalate.error && <p className="form-error" role="alert">{escalate.error}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={escalate.busy || !reason.trim() || chosen === null}>
            {escalate.busy ? 'Escalating…' : 'Escalate'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
