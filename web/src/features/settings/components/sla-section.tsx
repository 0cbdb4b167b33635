import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import { formatDuration } from '../../../lib/time.ts';
import type { Priority, SlaPolicy } from '../../../lib/wire.types.ts';
import { fetchSlaPolicy, saveSlaPolicy } from '../api.ts';

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const dayNames: Record<(typeof days)[number], string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const priorities: Priority[] = ['urgent', 'high', 'normal', 'low'];
const targetNames = { firstResponse: 'First response', nextResponse: 'Next response', resolution: 'Resolution' } as const;
type Target = keyof typeof targetNames;
const targetKeys: Target[] = ['firstResponse', 'nextResponse', 'resolution'];

const minutesText = (minutes: number) => formatDuration(minutes * 60_000);
const hoursText = (openings: { start: string; end: string }[]) => openings.map((o) => `${o.start}-${o.end}`).join(', ');

/** "09:00-12:30, 13:30-17:00" → openings; the API validates order and format and names what is wrong. */
function parseHours(text: string): { start: string; end: string }[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((part) => {
    const [start = '', end = ''] = part.split('-').map((s) => s.trim());
    return { start, end };
  });
}

function SlaForm({ policy, onSaved, onCancel }: { policy: SlaPolicy; onSaved(policy: SlaPolicy): void; onCancel(): void }) {
  const [timeZone, setTimeZone] = useState(policy.timeZone);
  const [hours, setHours] = useState<Record<string, string>>(Object.fromEntries(days.map((d) => [d, hoursText(policy.businessHours[d])])));
  const [holidays, setHolidays] = useState(policy.holidays.join('\n'));
  const [targets, setTargets] = useState(policy.targets);
  const save = useAction(async () => {
    const businessHours = { mon: parseHours(hours.mon), tue: parseHours(hours.tue), wed: parseHours(hours.wed), thu: parseHours(hours.thu), fri: parseHours(hours.fri), sat: parseHours(hours.sat), sun: parseHours(hours.sun) };
    onSaved(await saveSlaPolicy({ timeZone: timeZone.trim(), businessHours, holidays: holidays.split(/\s+/).filter(Boolean), targets }));
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label="Edit the SLA policy">
      <fieldset>
        <legend>Targets, in business minutes</legend>
        <table className="plain">
          <thead><tr><th scope="col">Priority</th>{targetKeys.map((k) => <th scope="col" key={k}>{targetNames[k]}</th>)}</tr></thead>
          <tbody>
            {priorities.map((p) => (
              <tr key={p}>
                <th scope="row">{p}</th>
                {targetKeys.map((k) => (
                  <td key={k}>
                    <input type="number" min={1} className="narrow" aria-label={`${targetNames[k]} for ${p}, minutes`} value={targets[p][k]}
                      onChange={(e) => setTargets({ ...targets, [p]: { ...targets[p], [k]: Number(e.target.value) } })} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <label>Time zone (IANA)<input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required placeholder="Europe/London" /></label>
      <fieldset>
        <legend>Business hours (HH:MM-HH:MM, comma-separated; empty for closed)</legend>
        {days.map((d) => (
          <label key={d} className="inline day-hours">
            <span className="day">{dayNames[d]}</span>
            <input value={hours[d]} onChange={(e) => setHours({ ...hours, [d]: e.target.value })} placeholder="closed" />
          </label>
        ))}
      </fieldset>
      <label>Holidays (YYYY-MM-DD, one per line)<textarea rows={3} value={holidays} onChange={(e) => setHolidays(e.target.value)} /></label>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={save.busy}>Save SLA policy</button>
      </div>
    </form>
  );
}

/** SLA targets per priority, counted in business time: the hours, time zone and holidays that clocks run in. */
export function SlaSection({ isAdmin }: { isAdmin: boolean }) {
  const policy = useResource('sla-policy', fetchSlaPolicy);
  const [editing, setEditing] = useState(false);
  const data = policy.data;
  return (
    <section aria-labelledby="sla-title">
      <div className="panel-head">
        <h2 id="sla-title">SLA policy and business hours</h2>
        {isAdmin && data && !editing && <button type="button" onClick={() => setEditing(true)}>Edit</button>}
      </div>
      <AsyncState loading={policy.loading && !data} error={policy.error} status={policy.status} onRetry={policy.reload}>
        {data && (editing ? (
          <SlaForm policy={data} onCancel={() => setEditing(false)} onSaved={(next) => { policy.setData(next); setEditing(false); }} />
        ) : (
          <>
            <table className="plain">
              <thead><tr><th scope="col">Priority</th>{targetKeys.map((k) => <th scope="col" key={k}>{targetNames[k]}</th>)}</tr></thead>
              <tbody>
                {priorities.map((p) => (
                  <tr key={p}><th scope="row">{p}</th>{targetKeys.map((k) => <td key={k}>{minutesText(data.targets[p][k])}</td>)}</tr>
                ))}
              </tbody>
            </table>
            <h3>Business hours ({data.timeZone})</h3>
            <dl className="hours">
              {days.map((d) => <div key={d}><dt>{dayNames[d]}</dt><dd>{hoursText(data.businessHours[d]) || 'closed'}</dd></div>)}
            </dl>
            <h3>Holidays</h3>
            <p>{data.holidays.length > 0 ? data.holidays.join(', ') : 'None.'}</p>
            {!isAdmin && <p className="hint">Admins change the SLA policy; changes apply to clocks started afterwards.</p>}
          </>
        ))}
      </AsyncState>
    </section>
  );
}
