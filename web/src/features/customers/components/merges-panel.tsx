import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from '../../../components/link.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { MergeView, UserView } from '../../../lib/wire.types.ts';
import { mergeCustomers, undoMerge } from '../api.ts';
import { useCustomerSearch } from '../hooks/use-customer-search.ts';

function Who({ id, selfId }: { id: string; selfId: string }) {
  if (id === selfId) return <>this customer</>;
  return <Link to={`/customers/${encodeURIComponent(id)}`}>customer {id.slice(0, 8)}</Link>;
}

/** Merges this customer took part in, newest first, each undoable (supervisors) until a later merge builds on it. */
function MergeHistory({ customerId, merges, users, canUndo, onChanged }: {
  customerId: string;
  merges: MergeView[];
  users: Map<string, UserView>;
  canUndo: boolean;
  onChanged(): void;
}) {
  const undo = useAction(async (mergeId: string) => {
    await undoMerge(mergeId);
    onChanged();
  });
  if (merges.length === 0) return <p className="muted">Never merged.</p>;
  return (
    <>
      <ul className="merges">
        {merges.map((m) => (
          <li key={m.id} className={m.undoneAt ? 'undone' : ''}>
            <p>
              <Who id={m.absorbedId} selfId={customerId} /> merged into <Who id={m.survivorId} selfId={customerId} />{' '}
              <span className="muted small">
                ({m.source === 'agent' ? `by ${m.mergedBy ? (users.get(m.mergedBy)?.name ?? 'an agent') : 'an agent'}` : 'from evidence'}, {formatDateTime(m.mergedAt)}):
                {' '}{m.reason} · moved {m.moved.authors} accounts, {m.moved.identities} identities, {m.moved.cases} cases
              </span>
            </p>
            {m.undoneAt ? (
              <p className="small muted">Undone {formatDateTime(m.undoneAt)}{m.undoneBy ? ` by ${users.get(m.undoneBy)?.name ?? 'a supervisor'}` : ''}.</p>
            ) : canUndo ? (
              <button type="button" disabled={undo.busy} onClick={() => void undo.run(m.id)}>Un-merge</button>
            ) : null}
          </li>
        ))}
      </ul>
      {undo.error && <p className="form-error" role="alert">{undo.error}</p>}
    </>
  );
}

/** A supervisor merges this customer with another by hand: the one first in touch survives. */
function MergeForm({ customerId, onMerged }: { customerId: string; onMerged(survivorId: string): void }) {
  const [q, setQ] = useState('');
  const [otherId, setOtherId] = useState('');
  const [reason, setReason] = useState('');
  const search = useCustomerSearch(q);
  const merge = useAction(async () => {
    const outcome = await mergeCustomers(customerId, { otherCustomerId: otherId, reason: reason.trim() });
    onMerged(outcome.survivorId);
  });
  const candidates = q.trim() ? search.results.filter((c) => c.id !== customerId).slice(0, 8) : [];
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void merge.run();
  }
  return (
    <form className="stack merge-form" onSubmit={submit} aria-label="Merge with another customer">
      <h3>Merge with another customer</h3>
      <label>
        Find the other customer
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, handle, email or phone" />
      </label>
      {candidates.length > 0 && (
        <fieldset>
          <legend className="visually-hidden">Other customer</legend>
          {candidates.map((c) => (
            <label key={c.id} className="inline candidate">
              <input type="radio" name="other-customer" value={c.id} checked={otherId === c.id} onChange={() => setOtherId(c.id)} />
              {c.displayName} <span className="muted small">{c.identities.map((i) => i.value).join(', ')}</span>
            </label>
          ))}
        </fieldset>
      )}
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required placeholder="How you know they are the same person" />
      </label>
      <button type="submit" disabled={merge.busy || !otherId || !reason.trim()}>Merge</button>
      {merge.error && <p className="form-error" role="alert">{merge.error}</p>}
    </form>
  );
}

export function MergesPanel({ customerId, merges, users, canMerge, readOnly, onChanged, onMerged }: {
  customerId: string;
  merges: MergeView[];
  users: Map<string, UserView>;
  canMerge: boolean;
  readOnly: boolean;
  onChanged(): void;
  onMerged(survivorId: string): void;
}) {
  return (
    <section className="panel" aria-labelledby="merges-title">
      <h2 id="merges-title">Merges</h2>
      <MergeHistory customerId={customerId} merges={merges} users={users} canUndo={canMerge} onChanged={onChanged} />
      {canMerge && !readOnly && <MergeForm customerId={customerId} onMerged={onMerged} />}
    </section>
  );
}
