import type { Priority } from '../lib/wire.types.ts';

const labels: Record<Priority, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };

export function PriorityBadge({ priority, reason }: { priority: Priority; reason?: string | null }) {
  return (
    <span className={`priority priority-${priority}`} title={reason ?? undefined}>
      {labels[priority]}
    </span>
  );
}
