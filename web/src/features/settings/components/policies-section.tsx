import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { channelLabel } from '../../../components/channel-badge.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import type { ApprovalSettings, PriorityPolicy } from '../../../lib/wire.types.ts';
import { channelKinds } from '../../../lib/wire.values.ts';
import { fetchApprovalSettings, fetchPriorityPolicy, listOf, saveApprovalSettings, savePriorityPolicy } from '../api.ts';

function PriorityForm({ policy, onSaved, onCancel }: { policy: PriorityPolicy; onSaved(p: PriorityPolicy): void; onCancel(): void }) {
  const [points, setPoints] = useState<Record<string, number>>(policy.channelPoints);
  const [reach, setReach] = useState(policy.reachPointsPerDecade);
  const save = useAction(async () => {
    const channelPoints = Object.fromEntries(Object.entries(points).filter(([, v]) => v !== 0));
    onSaved(await savePriorityPolicy({ channelPoints, reachPointsPerDecade: reach }));
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label="Edit the priority policy">
      <fieldset>
        <legend>Points a channel adds to the need score (0: none)</legend>
        <div className="row">
          {channelKinds.map((k) => (
            <label key={k}>{channelLabel(k)}<input type="number" min={-100} max={100} className="narrow" value={points[k] ?? 0}
              onChange={(e) => setPoints({ ...points, [k]: Number(e.target.value) })} /></label>
          ))}
        </div>
      </fieldset>
      <label>Points per tenfold of followers (0: reach buys no place in line)
        <input type="number" min={0} max={50} step="0.5" className="narrow" value={reach} onChange={(e) => setReach(Number(e.target.value))} />
      </label>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={save.busy}>Save priority policy</button>
      </div>
    </form>
  );
}

function ApprovalsForm({ settings, onSaved, onCancel }: { settings: ApprovalSettings; onSaved(s: ApprovalSettings): void; onCancel(): void }) {
  const [threshold, setThreshold] = useState(settings.followerThreshold);
  const [terms, setTerms] = useState(settings.extraLegalTerms.join(', '));
  const save = useAction(async () => onSaved(await saveApprovalSettings({ followerThreshold: threshold, extraLegalTerms: listOf(terms) })));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label="Edit the approval rules">
      <label>Followers that make an author high reach<input type="number" min={0} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} /></label>
      <label>Extra legal terms that hold a reply<textarea rows={2} value={terms} onChange={(e) => setTerms(e.target.value)} /></label>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={save.busy}>Save approval rules</button>
      </div>
    </form>
  );
}

/** How need is scored (channel and reach weights; none by default) and which replies wait for a supervisor. */
export function PoliciesSection({ isAdmin }: { isAdmin: boolean }) {
  const priority = useResource('priority-policy', fetchPriorityPolicy);
  const approvals = useResource('approvals', fetchApprovalSettings);
  const [editing, setEditing] = useState<'priority' | 'approvals' | null>(null);
  const weights = Object.entries(priority.data?.channelPoints ?? {});
  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">Priority and approvals</h2>
      <div className="panel-head">
        <h3>Priority weights</h3>
        {isAdmin && priority.data && editing === null && <button type="button" onClick={() => setEditing('priority')}>Edit</button>}
      </div>
      <AsyncState loading={priority.loading && !priority.data} error={priority.error} status={priority.status} onRetry={priority.reload}>
        {priority.data && (editing === 'priority' ? (
          <PriorityForm policy={priority.data} onCancel={() => setEditing(null)} onSaved={(p) => { priority.setData(p); setEditing(null); }} />
        ) : (
          <p>
            {weights.length === 0 ? 'No channel weights: channel buys no place in line.' : `Channel points: ${weights.map(([k, v]) => `${channelLabel(k)} ${v > 0 ? '+' : ''}${v}`).join(', ')}.`}{' '}
            {priority.data.reachPointsPerDecade === 0 ? 'Reach buys no place in line.' : `${priority.data.reachPointsPerDecade} points per tenfold of followers.`}
          </p>
        ))}
      </AsyncState>
      <div className="panel-head">
        <h3>Replies held for a supervisor</h3>
        {isAdmin && approvals.data && editing === null && <button type="button" onClick={() => setEditing('approvals')}>Edit</button>}
      </div>
      <AsyncState loading={approvals.loading && !approvals.data} error={approvals.error} status={approvals.status} onRetry={approvals.reload}>
        {approvals.data && (editing === 'approvals' ? (
          <ApprovalsForm settings={approvals.data} onCancel={() => setEditing(null)} onSaved={(s) => { approvals.setData(s); setEditing(null); }} />
        ) : (
          <p>
            Replies to authors with {approvals.data.followerThreshold.toLocaleString()} or more followers, replies using legal terms
            {approvals.data.extraLegalTerms.length > 0 ? ` (also: ${approvals.data.extraLegalTerms.join(', ')})` : ''}, and replies to a
            competitor's customers wait for a supervisor. A supervisor's own replies go straight out.
          </p>
        ))}
      </AsyncState>
      {!isAdmin && <p className="hint">Admins change these policies.</p>}
    </section>
  );
}
