import type { CaseStatus, ChannelKind } from '../../lib/wire.types.ts';
import { channelLabels } from '../../components/channel-badge.tsx';
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

function isStatus(value: string | null): value is CaseStatus {
  return statusOptions.some((o) => o.value !== '' && o.value === value);
}

function isChannel(value: string | null): value is ChannelKind {
  return value !== null && value in channelLabels;
}

function isAssignee(value: string | null): value is AssigneeFilter {
  return value === 'me' || value === 'none';
}

/** Filters live in the URL, so a filtered queue survives reloads, back/forward and sharing. */
export function filtersFromSearch(search: URLSearchParams): QueueFilters {
  const status = search.get('status');
  const channel = search.get('channel');
  const assignee = search.get('assignee');
  return {
    status: isStatus(status) ? status : '',
    channel: isChannel(channel) ? channel : '',
    assignee: isAssignee(assignee) ? assignee : '',
  };
}

export function searchFromFilters(filters: QueueFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.assignee) params.set('assignee', filters.assignee);
  const query = params.toString();
  return query ? `?${query}` : '';
}
