import { apiRequest } from '../../lib/http.ts';
import type { DataEnvelope, MatchedPost, MonitoringRule, PageEnvelope, PostConversion, RuleTag, RuleTestResult } from '../../lib/wire.types.ts';

export interface PostFilters {
  ruleId: string;
  unconverted: boolean;
}

export async function fetchMatchedPosts(filters: PostFilters, options: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {}): Promise<PageEnvelope<MatchedPost>> {
  const params = new URLSearchParams();
  if (filters.ruleId) params.set('rule', filters.ruleId);
  if (filters.unconverted) params.set('unconverted', 'true');
  params.set('limit', String(options.limit ?? 50));
  if (options.cursor) params.set('cursor', options.cursor);
  return apiRequest<PageEnvelope<MatchedPost>>(`/api/v1/listening/posts?${params.toString()}`, { signal: options.signal });
}

export async function convertPost(messageId: string): Promise<PostConversion> {
  return (await apiRequest<DataEnvelope<PostConversion>>(`/api/v1/listening/posts/${encodeURIComponent(messageId)}/case`, { method: 'POST' })).data;
}

export async function fetchRules(signal?: AbortSignal): Promise<MonitoringRule[]> {
  return (await apiRequest<DataEnvelope<MonitoringRule[]>>('/api/v1/rules', { signal })).data;
}

export async function testRule(query: string, signal?: AbortSignal): Promise<RuleTestResult> {
  return (await apiRequest<DataEnvelope<RuleTestResult>>('/api/v1/rules/test', { method: 'POST', body: { query, limit: 200 }, signal })).data;
}

export interface RuleInput {
  name: string;
  tag: RuleTag;
  query: string;
  enabled: boolean;
}

export async function createRule(input: RuleInput): Promise<MonitoringRule> {
  return (await apiRequest<DataEnvelope<MonitoringRule>>('/api/v1/rules', { method: 'POST', body: input })).data;
}

export async function updateRule(id: string, input: Partial<RuleInput>): Promise<MonitoringRule> {
  return (await apiRequest<DataEnvelope<MonitoringRule>>(`/api/v1/rules/${encodeURIComponent(id)}`, { method: 'PATCH', body: input })).data;
}

export async function deleteRule(id: string): Promise<void> {
  await apiRequest<void>(`/api/v1/rules/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
