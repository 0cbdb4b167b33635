import { apiRequest } from '../../lib/http.ts';
import type {
  ApprovalSettings, AssignmentMode, ChannelKind, ChannelView, DataEnvelope, EscalationPolicy, KbArticle, Macro, PriorityPolicy, Role,
  SlaPolicy, TeamView, UserView,
} from '../../lib/wire.types.ts';

export async function fetchChannels(signal?: AbortSignal): Promise<ChannelView[]> {
  return (await apiRequest<DataEnvelope<ChannelView[]>>('/api/v1/channels', { signal })).data;
}

export interface NewChannel {
  kind: ChannelKind;
  name: string;
  owned: boolean;
  config: Record<string, unknown>;
  credentials?: Record<string, string>;
}

export async function createChannel(input: NewChannel): Promise<{ channel: ChannelView; token: string }> {
  return (await apiRequest<DataEnvelope<{ channel: ChannelView; token: string }>>('/api/v1/channels', { method: 'POST', body: input })).data;
}

export async function rotateChannelToken(id: string): Promise<string> {
  return (await apiRequest<DataEnvelope<{ token: string }>>(`/api/v1/channels/${encodeURIComponent(id)}/token`, { method: 'POST' })).data.token;
}

export async function fetchUsers(signal?: AbortSignal): Promise<UserView[]> {
  return (await apiRequest<DataEnvelope<UserView[]>>('/api/v1/users', { signal })).data;
}

export async function createUser(input: { email: string; name: string; role: Role; password: string }): Promise<UserView> {
  return (await apiRequest<DataEnvelope<UserView>>('/api/v1/users', { method: 'POST', body: input })).data;
}

export async function fetchTeams(signal?: AbortSignal): Promise<TeamView[]> {
  return (await apiRequest<DataEnvelope<TeamView[]>>('/api/v1/teams', { signal })).data;
}

export interface TeamInput {
  name: string;
  topics: string[];
  languages: string[];
  skills: string[];
  tier: number;
  assignment: AssignmentMode;
  members: { userId: string; capacity: number }[];
}

export async function saveTeam(id: string | null, input: TeamInput): Promise<TeamView> {
  const path = id ? `/api/v1/teams/${encodeURIComponent(id)}` : '/api/v1/teams';
  return (await apiRequest<DataEnvelope<TeamView>>(path, { method: id ? 'PATCH' : 'POST', body: input })).data;
}

export async function deleteTeam(id: string): Promise<void> {
  await apiRequest<void>(`/api/v1/teams/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export const fetchSlaPolicy = async (signal?: AbortSignal) => (await apiRequest<DataEnvelope<SlaPolicy>>('/api/v1/sla-policy', { signal })).data;
export const saveSlaPolicy = async (policy: SlaPolicy) => (await apiRequest<DataEnvelope<SlaPolicy>>('/api/v1/sla-policy', { method: 'PUT', body: policy })).data;
export const fetchEscalationPolicy = async (signal?: AbortSignal) => (await apiRequest<DataEnvelope<EscalationPolicy>>('/api/v1/escalation-policy', { signal })).data;
export const saveEscalationPolicy = async (policy: EscalationPolicy) =>
  (await apiRequest<DataEnvelope<EscalationPolicy>>('/api/v1/escalation-policy', { method: 'PUT', body: policy })).data;
export const fetchPriorityPolicy = async (signal?: AbortSignal) => (await apiRequest<DataEnvelope<PriorityPolicy>>('/api/v1/priority-policy', { signal })).data;
export const savePriorityPolicy = async (policy: PriorityPolicy) =>
  (await apiRequest<DataEnvelope<PriorityPolicy>>('/api/v1/priority-policy', { method: 'PUT', body: policy })).data;
export const fetchApprovalSettings = async (signal?: AbortSignal) =>
  (await apiRequest<DataEnvelope<ApprovalSettings>>('/api/v1/settings/reply-approvals', { signal })).data;
export const saveApprovalSettings = async (settings: ApprovalSettings) =>
  (await apiRequest<DataEnvelope<ApprovalSettings>>('/api/v1/settings/reply-approvals', { method: 'PUT', body: settings })).data;

export async function fetchArticles(q: string, signal?: AbortSignal): Promise<KbArticle[]> {
  const params = new URLSearchParams({ limit: '100' });
  if (q.trim()) params.set('q', q.trim());
  return (await apiRequest<DataEnvelope<KbArticle[]>>(`/api/v1/kb/articles?${params.toString()}`, { signal })).data;
}

export async function saveArticle(id: string | null, input: { title: string; body: string; topics: string[] }): Promise<KbArticle> {
  const path = id ? `/api/v1/kb/articles/${encodeURIComponent(id)}` : '/api/v1/kb/articles';
  return (await apiRequest<DataEnvelope<KbArticle>>(path, { method: id ? 'PATCH' : 'POST', body: input })).data;
}

export async function deleteArticle(id: string): Promise<void> {
  await apiRequest<void>(`/api/v1/kb/articles/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function fetchMacros(signal?: AbortSignal): Promise<Macro[]> {
  return (await apiRequest<DataEnvelope<Macro[]>>('/api/v1/macros', { signal })).data;
}

export async function saveMacro(id: string | null, input: { name: string; body: string }): Promise<Macro> {
  const path = id ? `/api/v1/macros/${encodeURIComponent(id)}` : '/api/v1/macros';
  return (await apiRequest<DataEnvelope<Macro>>(path, { method: id ? 'PATCH' : 'POST', body: input })).data;
}

export async function deleteMacro(id: string): Promise<void> {
  await apiRequest<void>(`/api/v1/macros/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Comma- or line-separated words, trimmed, without empties or repeats. */
export function listOf(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
}
