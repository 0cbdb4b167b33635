import { formatDateTime, formatDuration } from '../lib/time.ts';

type SlaState = 'none' | 'ok' | 'near' | 'soon' | 'breached';

const nearMs = 2 * 60 * 60_000;
const soonMs = 30 * 60_000;

export function slaState(dueAt: string | null, now: number): SlaState {
  if (!dueAt) return 'none';
  const left = Date.parse(dueAt) - now;
  if (left < 0) return 'breached';
  if (left <= soonMs) return 'soon';
  if (left <= nearMs) return 'near';
  return 'ok';
}

/** Time left until the next response is due, coloured as it nears and passes the deadline. */
export function SlaCountdown({ dueAt, now }: { dueAt: string | null; now: number }) {
  const state = slaState(dueAt, now);
  if (!dueAt) return <span className="sla sla-none">—</span>;
  const left = Date.parse(dueAt) - now;
  const text = left < 0 ? `${formatDuration(left)} over` : formatDuration(left);
  return (
    <time className={`sla sla-${state}`} dateTime={dueAt} title={`Next response due ${formatDateTime(dueAt)}`}>
      {state === 'breached' && <span className="visually-hidden">SLA breached: </span>}
      {text}
    </time>
  );
}
