import { useEffect, useState } from 'react';
import { channelLabel } from '../../../components/channel-badge.tsx';
import { isAbort } from '../../../lib/http.ts';
import type { ChannelKind, TeamView } from '../../../lib/wire.types.ts';
import { fetchChannels, fetchTeams } from '../api.ts';
import type { QueueFilters } from '../api.ts';
import { assigneeOptions, statusOptions, topicOptions } from '../queue-filters.ts';

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

/** The workspace's teams, or null for a role that may not list them (the filter then stays hidden). */
function useTeams(canList: boolean): TeamView[] | null {
  const [teams, setTeams] = useState<TeamView[] | null>(null);
  useEffect(() => {
    if (!canList) return;
    const controller = new AbortController();
    fetchTeams(controller.signal)
      .then(setTeams)
      .catch((error: unknown) => {
        if (!isAbort(error)) console.warn('could not load teams', error);
      });
    return () => controller.abort();
  }, [canList]);
  return teams;
}

interface QueueFilterBarProps {
  filters: QueueFilters;
  canListTeams: boolean;
  onChange(filters: QueueFilters): void;
}

export function QueueFilterBar({ filters, canListTeams, onChange }: QueueFilterBarProps) {
  const kinds = useChannelKinds();
  const teams = useTeams(canListTeams);
  // A filter from the URL stays selectable even when the workspace has no such channel (yet).
  const channelKinds = filters.channel && !kinds.includes(filters.channel) ? [...kinds, filters.channel] : kinds;
  const topics = filters.topic && !topicOptions.includes(filters.topic) ? [...topicOptions, filters.topic] : topicOptions;
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
        Topic
        <select value={filters.topic} onChange={(e) => onChange({ ...filters, topic: e.target.value })}>
          <option value="">Any topic</option>
          {topics.map((topic) => <option key={topic} value={topic}>{topic}</option>)}
        </select>
      </label>
      {teams && (
        <label>
          Team
          <select value={filters.team} onChange={(e) => onChange({ ...filters, team: e.target.value })}>
            <option value="">Every queue</option>
            <option value="none">Shared queue</option>
            {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
          </select>
        </label>
      )}
      <label>
        Assignee
        <select value={filters.assignee} onChange={(e) => onChange({ ...filters, assignee: assigneeOptions.find((o) => o.value === e.target.value)?.value ?? '' })}>
          {assigneeOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
    </form>
  );
}
