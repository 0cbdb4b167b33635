import { apiRequest } from '../../lib/http.ts';
import type { CaseDetail, CaseStatus, CaseSummary, DataEnvelope, NoteView } from '../../lib/wire.types.ts';

export interface CasePatch {
  status?: CaseStatus;
  assigneeId?: string | null;
}

export async function fetchCase(id: string, signal?: AbortSignal): Promise<CaseDetail> {
  return (await apiRequest<DataEnvelope<CaseDetail>>(`/api/v1/cases/${encodeURIComponent(id)}`, { signal })).data;
}

export async function updateCase(id: string, patch: CasePatch): Promise<CaseSummary> {
  return (await apiRequest<DataEnvelope<CaseSummary>>(`/api/v1/cases/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch })).data;
}

export async function addNote(id: string, body: string): Promise<NoteView> {
  return (await apiRequest<DataEnvelope<NoteView>>(`/api/v1/cases/${encodeURIComponent(id)}/notes`, { method: 'POST', body: { body } })).data;
}
