import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import { formatDuration } from '../../../lib/time.ts';
import type { EscalationPolicy } from '../../../lib/wire.types.ts';
import { fetchEscalationPolicy, listOf, saveEscalationPolicy } from '../api.ts';

type Rules = EscalationPolicy['rules'];
type Tier = EscalationPolicy['tiers'][number];
const severities = ['low', 'medium', 'high', 'critical'] as const;
const minutesText = (minutes: number) => formatDuration(minutes * 60_000);

function describeRules(rules: Rules, tierName: (n: number) => string): string[] {
  const out: string[] = [];
  if (rules.slaBreach.enabled) out.push('A breached SLA moves the case up one tier.');
  if (rules.repeatContact.enabled) out.push(`${rules.repeatContact.contacts} contacts within ${rules.repeatContact.windowDays} days → ${tierName(rules.repeatContact.toTier)}.`);
  if (rules.severity.enabled) out.push(`Severity ${rules.severity.severities.join(' or ') || '(none chosen)'} → ${tierName(rules.severity.toTier)}.`);
  if (rules.legalTerms.enabled) out.push(`Legal words (${rules.legalTerms.terms.join(', ')}) → ${tierName(rules.legalTerms.toTier)}.`);
  if (rules.safetyTerms.enabled) out.push(`Safety words (${rules.safetyTerms.terms.join(', ')}) → ${tierName(rules.safetyTerms.toTier)}.`);
  return out;
}

function TierSelect({ label, value, tiers, onChange }: { label: string; value: number; tiers: Tier[]; onChange(n: number): void }) {
  return (
    <label className="inline">
      {label}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {tiers.map((t, i) => <option key={i} value={i}>{i}: {t.name}</option>)}
      </select>
    </label>
  );
}

function EscalationForm({ policy, onSaved, onCancel }: { policy: EscalationPolicy; onSaved(p: EscalationPolicy): void; onCancel(): void }) {
  const [tiers, setTiers] = useState<Tier[]>(policy.tiers);
  const [rules, setRules] = useState<Rules>(policy.rules);
  const [legal, setLegal] = useState(policy.rules.legalTerms.terms.join(', '));
  const [safety, setSafety] = useState(policy.rules.safetyTerms.terms.join(', '));
  const save = useAction(async () => {
    onSaved(await saveEscalationPolicy({
      tiers,
      rules: { ...rules, legalTerms: { ...rules.legalTerms, terms: listOf(legal) }, safetyTerms: { ...rules.safetyTerms, terms: listOf(safety) } },
    }));
  });
  const setTier = (i: number, tier: Tier) => setTiers(tiers.map((t, n) => (n === i ? tier : t)));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label="Edit the escalation policy">
      <fieldset>
        <legend>Tiers, lowest first (targets in business minutes)</legend>
        {tiers.map((tier, i) => (
          <div key={i} className="row tier-row">
            <label>Tier {i} name<input value={tier.name} onChange={(e) => setTier(i, { ...tier, name: e.target.value })} required maxLength={60} /></label>
            <label className="inline">
              <input type="checkbox" checked={tier.targets !== null}
                onChange={(e) => setTier(i, { ...tier, targets: e.target.checked ? { response: 60, resolution: 1440 } : null })} /> Own clocks
            </label>
            {tier.targets && (
              <>
                <label>Response<input type="number" min={1} className="narrow" value={tier.targets.response}
                  onChange={(e) => setTier(i, { ...tier, targets: { response: Number(e.target.value), resolution: tier.targets?.resolution ?? 1440 } })} /></label>
                <label>Resolution<input type="number" min={1} className="narrow" value={tier.targets.resolution}
                  onChange={(e) => setTier(i, { ...tier, targets: { response: tier.targets?.response ?? 60, resolution: Number(e.target.value) } })} /></label>
              </>
            )}
            {i > 0 && i === tiers.length - 1 && <button type="button" onClick={() => setTiers(tiers.slice(0, -1))}>Remove tier</button>}
          </div>
        ))}
        {tiers.length < 6 && <button type="button" onClick={() => setTiers([...tiers, { name: `tier ${tiers.length}`, targets: null }])}>Add a tier</button>}
      </fieldset>
      <fieldset>
        <legend>Automatic escalation</legend>
        <label className="inline"><input type="checkbox" checked={rules.slaBreach.enabled} onChange={(e) => setRules({ ...rules, slaBreach: { enabled: e.target.checked } })} /> On an SLA breach</label>
        <div className="row">
          <label className="inline"><input type="checkbox" checked={rules.repeatContact.enabled} onChange={(e) => setRules({ ...rules, repeatContact: { ...rules.repeatContact, enabled: e.target.checked } })} /> On repeated contact:</label>
          <label className="inline">contacts<input type="number" min={2} max={50} className="narrow" value={rules.repeatContact.contacts} onChange={(e) => setRules({ ...rules, repeatContact: { ...rules.repeatContact, contacts: Number(e.target.value) } })} /></label>
          <label className="inline">within days<input type="number" min={1} max={90} className="narrow" value={rules.repeatContact.windowDays} onChange={(e) => setRules({ ...rules, repeatContact: { ...rules.repeatContact, windowDays: Number(e.target.value) } })} /></label>
          <TierSelect label="to" value={rules.repeatContact.toTier} tiers={tiers} onChange={(n) => setRules({ ...rules, repeatContact: { ...rules.repeatContact, toTier: n } })} />
        </div>
        <div className="row">
          <label className="inline"><input type="checkbox" checked={rules.severity.enabled} onChange={(e) => setRules({ ...rules, severity: { ...rules.severity, enabled: e.target.checked } })} /> On severity:</label>
          {severities.map((s) => (
            <label key={s} className="inline">
              <input type="checkbox" checked={rules.severity.severities.includes(s)}
                onChange={(e) => setRules({ ...rules, severity: { ...rules.severity, severities: e.target.checked ? [...rules.severity.severities, s] : rules.severity.severities.filter((x) => x !== s) } })} /> {s}
            </label>
          ))}
          <TierSelect label="to" value={rules.severity.toTier} tiers={tiers} onChange={(n) => setRules({ ...rules, severity: { ...rules.severity, toTier: n } })} />
        </div>
        <div className="row">
          <label className="inline"><input type="checkbox" checked={rules.legalTerms.enabled} onChange={(e) => setRules({ ...rules, legalTerms: { ...rules.legalTerms, enabled: e.target.checked } })} /> On legal words</label>
          <TierSelect label="to" value={rules.legalTerms.toTier} tiers={tiers} onChange={(n) => setRules({ ...rules, legalTerms: { ...rules.legalTerms, toTier: n } })} />
        </div>
        <label>Legal words<textarea rows={2} value={legal} onChange={(e) => setLegal(e.target.value)} /></label>
        <div className="row">
          <label className="inline"><input type="checkbox" checked={rules.safetyTerms.enabled} onChange={(e) => setRules({ ...rules, safetyTerms: { ...rules.safetyTerms, enabled: e.target.checked } })} /> On safety words</label>
          <TierSelect label="to" value={rules.safetyTerms.toTier} tiers={tiers} onChange={(n) => setRules({ ...rules, safetyTerms: { ...rules.safetyTerms, toTier: n } })} />
        </div>
        <label>Safety words<textarea rows={2} value={safety} onChange={(e) => setSafety(e.target.value)} /></label>
      </fieldset>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={save.busy}>Save escalation policy</button>
      </div>
    </form>
  );
}

/** The escalation ladder: its tiers with their own clocks, and the rules that climb it automatically. */
export function EscalationSection({ isAdmin }: { isAdmin: boolean }) {
  const policy = useResource('escalation-policy', fetchEscalationPolicy);
  const [editing, setEditing] = useState(false);
  const data = policy.data;
  const tierName = (n: number) => (data?.tiers[n] ? `${data.tiers[n].name} (tier ${n})` : `tier ${n}`);
  return (
    <section aria-labelledby="escalation-title">
      <div className="panel-head">
        <h2 id="escalation-title">Escalation tiers</h2>
        {isAdmin && data && !editing && <button type="button" onClick={() => setEditing(true)}>Edit</button>}
      </div>
      <AsyncState loading={policy.loading && !data} error={policy.error} status={policy.status} onRetry={policy.reload}>
        {data && (editing ? (
          <EscalationForm policy={data} onCancel={() => setEditing(false)} onSaved={(next) => { policy.setData(next); setEditing(false); }} />
        ) : (
          <>
            <ol className="tiers" start={0}>
              {data.tiers.map((t, i) => (
                <li key={i}><strong>{t.name}</strong>{t.targets ? ` — answer within ${minutesText(t.targets.response)}, resolve within ${minutesText(t.targets.resolution)}` : ' — the SLA policy\'s clocks'}</li>
              ))}
            </ol>
            <h3>Automatic escalation</h3>
            <ul>{describeRules(data.rules, tierName).map((line) => <li key={line}>{line}</li>)}</ul>
            {!isAdmin && <p className="hint">Admins change the ladder.</p>}
          </>
        ))}
      </AsyncState>
    </section>
  );
}
