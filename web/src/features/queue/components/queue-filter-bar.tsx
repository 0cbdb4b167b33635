import { useEffect, useState } from 'react';
import { channelLabel } from '../../../components/channel-badge.tsx';
import { isAbort } from '../../../lib/http.ts';
import type { ChannelKind } from '../../../lib/wire.types.ts';
import { fetchChannels } from '../api.ts';
import type { QueueFilters } from '../api.ts';
import { assigneeOptions, statusOptions } from '../queue-filters.ts';

/** The channel kinds this workspace has, for the channel filter. */
function useChannelKinds(): ChannelKind[] {
  const [kinds, setKinds] = useState<ChannelKind[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    fetchChannels(controller.signal)
      .then((channels) => setKinds([...new Set(channels.map((c) => c.kind))].sort()))
      .catch((error: unknown) => {
        if (!isAbort(error)) console.warn('could not load channels', error);
      });
    return () => controller.abort();
  }, []);
  return kinds;
}

export function QueueFilterBar({ filters, onChange }: { filters: QueueFilters; onChange(filters: QueueFilters): void }) {
  const kinds = useChannelKinds();
  // A filter from the URL stays selectable even when the workspace has no such channel (yet).
  const channelKinds = filters.channel && !kinds.includes(filters.channel) ? [...kinds, filters.channel] : kinds;
  return (
    <form className="filters" role="search" aria-label="Queue filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select value={filters.status} onChange={(e) => onChange({ ...filters, status: statusOptions.find((o) => o.value === e.target.value)?.value ?? '' })}>
          {statusOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
      <label>
        Channel
        <select value={filters.channel} onChange={(e) => onChange({ ...filters, channel: channelKinds.find((k) => k === e.target.value) ?? '' })}>
          <option value="">Any channel</option>
          {channelKinds.map((kind) => <option key={kind} value={kind}>{channelLabel(kind)}</option>)}
        </select>
      </label>
      <label>
        Assignee
        <select value={filters.assignee} onChange={(e) => onChange({ ...filters, assignee: assigneeOptions.find((o) => o.value === e.target.value)?.value ?? '' })}>
          {assigneeOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
    </form>
  );
}
