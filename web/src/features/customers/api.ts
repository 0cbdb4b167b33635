import { apiRequest } from '../../lib/http.ts';
import type {
  CustomerDetail, CustomerListItem, DataEnvelope, IdentityAdded, IdentityKind, MergeOutcome, PageEnvelope, SuggestionDecision,
  SuggestionView, UndoResult,
} from '../../lib/wire.types.ts';

const customerPath = (id: string) => `/api/v1/customers/${encodeURIComponent(id)}`;

export async function searchCustomers(q: string, options: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {}): Promise<PageEnvelope<CustomerListItem>> {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  params.set('limit', String(options.limit ?? 50));
  if (options.cursor) params.set('cursor', options.cursor);
  return apiRequest<PageEnvelope<CustomerListItem>>(`/api/v1/customers?${params.toString()}`, { signal: options.signal });
}

export async function fetchCustomer(id: string, signal?: AbortSignal): Promise<CustomerDetail> {
  return (await apiRequest<DataEnvelope<CustomerDetail>>(customerPath(id), { signal })).data;
}

export async function setVulnerable(id: string, input: { vulnerable: boolean; note: string | null }): Promise<void> {
  await apiRequest(customerPath(id), { method: 'PATCH', body: input });
}

export interface NewIdentity {
  kind: IdentityKind;
  platform?: string;
  value: string;
  merge?: boolean;
}

export async function addIdentity(id: string, input: NewIdentity): Promise<IdentityAdded> {
  return (await apiRequest<DataEnvelope<IdentityAdded>>(`${customerPath(id)}/identities`, { method: 'POST', body: input })).data;
}

export async function mergeCustomers(id: string, input: { otherCustomerId: string; reason: string }): Promise<MergeOutcome> {
  return (await apiRequest<DataEnvelope<MergeOutcome>>(`${customerPath(id)}/merge`, { method: 'POST', body: input })).data;
}

export async function undoMerge(mergeId: string): Promise<UndoResult> {
  return (await apiRequest<DataEnvelope<UndoResult>>(`/api/v1/customer-merges/${encodeURIComponent(mergeId)}/undo`, { method: 'POST' })).data;
}

export async function rescanSuggestions(id: string): Promise<{ created: number; suggestions: SuggestionView[] }> {
  return (await apiRequest<DataEnvelope<{ created: number; suggestions: SuggestionView[] }>>(`${customerPath(id)}/suggestions`, { method: 'POST' })).data;
}

export async function decideSuggestion(id: string, suggestionId: string, decision: 'accept' | 'dismiss'): Promise<SuggestionDecision | SuggestionView> {
  const path = `${customerPath(id)}/suggestions/${encodeURIComponent(suggestionId)}/${decision}`;
  return (await apiRequest<DataEnvelope<SuggestionDecision | SuggestionView>>(path, { method: 'POST' })).data;
}
