import { apiRequest } from '../../lib/http.ts';
import type { CaseStatus, CaseSummary, ChannelKind, ChannelView, DataEnvelope, PageEnvelope, TeamView } from '../../lib/wire.types.ts';

export type AssigneeFilter = '' | 'me' | 'none';

export interface QueueFilters {
  /** Empty means the API's default: every open status (new, open, waiting). */
  status: CaseStatus | '';
  channel: ChannelKind | '';
  assignee: AssigneeFilter;
  topic: string;
  /** A team id, `none` for the shared queue, or empty for every queue. */
  team: string;
}

export const pageSize = 50;
/** The API's largest page; refreshes ask for this much at a time to stay few. */
export const maxPageSize = 200;

export async function fetchQueuePage(
  filters: QueueFilters,
  options: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {},
): Promise<PageEnvelope<CaseSummary>> {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.assignee) params.set('assignee', filters.assignee);
  if (filters.topic) params.set('topic', filters.topic);
  if (filters.team) params.set('team', filters.team);
  params.set('limit', String(options.limit ?? pageSize));
  if (options.cursor) params.set('cursor', options.cursor);
  return apiRequest<PageEnvelope<CaseSummary>>(`/api/v1/queue?${params.toString()}`, { signal: options.signal });
}

export async function fetchChannels(signal?: AbortSignal): Promise<ChannelView[]> {
  return (await apiRequest<DataEnvelope<ChannelView[]>>('/api/v1/channels', { signal })).data;
}

/** Teams are for supervisors and admins; an agent gets a 403. */
export async function fetchTeams(signal?: AbortSignal): Promise<TeamView[]> {
  return (await apiRequest<DataEnvelope<TeamView[]>>('/api/v1/teams', { signal })).data;
}

/** Take next: the head of the fair order among the caller's teams' cases, assigned and locked; null when empty. */
export async function takeNextCase(): Promise<CaseSummary | null> {
  return (await apiRequest<DataEnvelope<CaseSummary | null>>('/api/v1/queue/next', { method: 'POST' })).data;
}
