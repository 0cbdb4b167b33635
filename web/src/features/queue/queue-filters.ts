import type { CaseStatus, ChannelKind } from '../../lib/wire.types.ts';
import { channelKinds, defaultTopics } from '../../lib/wire.values.ts';
import type { AssigneeFilter, QueueFilters } from './api.ts';

export const statusOptions: { value: CaseStatus | ''; label: string }[] = [
  { value: '', label: 'All open' },
  { value: 'new', label: 'New' },
  { value: 'open', label: 'Open' },
  { value: 'waiting', label: 'Waiting' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'closed', label: 'Closed' },
];

export const assigneeOptions: { value: AssigneeFilter; label: string }[] = [
  { value: '', label: 'Anyone' },
  { value: 'me', label: 'Me' },
  { value: 'none', label: 'Unassigned' },
];

/** The classifier's topics; a workspace's own topics still filter when typed into the URL. */
export const topicOptions: string[] = defaultTopics.map((t) => t.id);

function isStatus(value: string | null): value is CaseStatus {
  return statusOptions.some((o) => o.value !== '' && o.value === value);
}

function isChannel(value: string | null): value is ChannelKind {
  return channelKinds.some((k) => k === value);
}

function isAssignee(value: string | null): value is AssigneeFilter {
  return value === 'me' || value === 'none';
}

const topicPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const teamPattern = /^(none|[0-9a-f-]{36})$/i;

/** Filters live in the URL, so a filtered queue survives reloads, back/forward and sharing. */
export function filtersFromSearch(search: URLSearchParams): QueueFilters {
  const status = search.get('status');
  const channel = search.get('channel');
  const assignee = search.get('assignee');
  const topic = search.get('topic') ?? '';
  const team = search.get('team') ?? '';
  return {
    status: isStatus(status) ? status : '',
    channel: isChannel(channel) ? channel : '',
    assignee: isAssignee(assignee) ? assignee : '',
    topic: topicPattern.test(topic) ? topic : '',
    team: teamPattern.test(team) ? team : '',
  };
}

export function searchFromFilters(filters: QueueFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.assignee) params.set('assignee', filters.assignee);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.team) params.set('team', filters.team);
  const query = params.toString();
  return query ? `?${query}` : '';
}
