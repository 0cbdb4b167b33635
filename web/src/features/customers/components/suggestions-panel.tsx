import { Link } from '../../../components/link.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { SuggestionView } from '../../../lib/wire.types.ts';
import { decideSuggestion, rescanSuggestions } from '../api.ts';

const evidenceText: Record<string, string> = {
  contact_in_message: 'an address given in a message',
  contact_in_transcript: 'an address heard in a call',
  obfuscated_contact: 'a disguised address',
  name_in_transcript: 'their name said in a call',
  same_display_name: 'the same display name elsewhere',
  similar_handle: 'a similar handle elsewhere',
  merge_undone: 'evidence for a pair once separated',
};

/** Links Parley suspects from weak evidence; an agent decides each one. */
export function SuggestionsPanel({ customerId, suggestions, readOnly, onChanged }: {
  customerId: string;
  suggestions: SuggestionView[];
  readOnly: boolean;
  onChanged(): void;
}) {
  const decide = useAction(async (suggestionId: string, decision: 'accept' | 'dismiss') => {
    await decideSuggestion(customerId, suggestionId, decision);
    onChanged();
  });
  const rescan = useAction(async () => {
    await rescanSuggestions(customerId);
    onChanged();
  });
  const open = suggestions.filter((s) => s.status === 'open');
  return (
    <section className="panel" aria-labelledby="suggestions-title">
      <div className="panel-head">
        <h2 id="suggestions-title">Suggested links</h2>
        {!readOnly && <button type="button" disabled={rescan.busy} onClick={() => void rescan.run()}>{rescan.busy ? 'Looking…' : 'Look again'}</button>}
      </div>
      {open.length === 0 ? <p className="muted">No open suggestion.</p> : (
        <ul className="suggestions">
          {open.map((s) => (
            <li key={s.id}>
              <p>
                {s.kind === 'merge' && s.otherCustomer ? (
                  <>Same person as <Link to={`/customers/${encodeURIComponent(s.otherCustomer.id)}`}>{s.otherCustomer.displayName}</Link>?</>
                ) : s.identity ? (
                  <>Add {s.identity.kind} <span className="identity-value">{s.identity.value}</span>?</>
                ) : 'Link?'}
                <span className="muted small"> Because of {evidenceText[s.evidence] ?? s.evidence}: {s.detail} · {formatDateTime(s.createdAt)}</span>
              </p>
              {!readOnly && (
                <div className="row">
                  <button type="button" disabled={decide.busy} onClick={() => void decide.run(s.id, 'accept')}>Confirm</button>
                  <button type="button" disabled={decide.busy} onClick={() => void decide.run(s.id, 'dismiss')}>Dismiss</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {(decide.error ?? rescan.error) && <p className="form-error" role="alert">{decide.error ?? rescan.error}</p>}
    </section>
  );
}
