import { apiRequest } from '../../lib/http.ts';
import type {
  CaseDetail, CaseLockView, CaseStatus, CaseSummary, DataEnvelope, DraftCheck, EscalationPolicy, Intent, LabelCorrectionView, Macro,
  NoteView, PrivateMoveView, PrivateRoute, ReplyThreadView, ReplyView, Sentiment,
} from '../../lib/wire.types.ts';

const casePath = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}`;

export interface CasePatch {
  status?: CaseStatus;
  assigneeId?: string | null;
}

export async function fetchCase(id: string, signal?: AbortSignal): Promise<CaseDetail> {
  return (await apiRequest<DataEnvelope<CaseDetail>>(casePath(id), { signal })).data;
}

export async function updateCase(id: string, patch: CasePatch): Promise<CaseSummary> {
  return (await apiRequest<DataEnvelope<CaseSummary>>(casePath(id), { method: 'PATCH', body: patch })).data;
}

export async function addNote(id: string, body: string): Promise<NoteView> {
  return (await apiRequest<DataEnvelope<NoteView>>(`${casePath(id)}/notes`, { method: 'POST', body: { body } })).data;
}

export async function escalateCase(id: string, input: { tier?: number; reason: string }): Promise<CaseSummary> {
  return (await apiRequest<DataEnvelope<CaseSummary>>(`${casePath(id)}/escalate`, { method: 'POST', body: input })).data;
}

export async function fetchEscalationPolicy(signal?: AbortSignal): Promise<EscalationPolicy> {
  return (await apiRequest<DataEnvelope<EscalationPolicy>>('/api/v1/escalation-policy', { signal })).data;
}

export async function lockCase(id: string): Promise<CaseLockView> {
  return (await apiRequest<DataEnvelope<CaseLockView>>(`${casePath(id)}/lock`, { method: 'POST' })).data;
}

export async function unlockCase(id: string): Promise<void> {
  await apiRequest<void>(`${casePath(id)}/lock`, { method: 'DELETE' });
}

export interface DraftInput {
  text: string;
  private: boolean;
  channelKind?: string;
}

export async function checkDraft(id: string, draft: DraftInput, signal?: AbortSignal): Promise<DraftCheck> {
  return (await apiRequest<DataEnvelope<DraftCheck>>(`${casePath(id)}/replies/check`, { method: 'POST', body: draft, signal })).data;
}

export interface NewReply {
  text: string;
  channelId?: string;
  private?: boolean;
  inReplyToMessageId?: string;
}

export async function sendReply(id: string, reply: NewReply): Promise<ReplyView> {
  return (await apiRequest<DataEnvelope<ReplyView>>(`${casePath(id)}/replies`, { method: 'POST', body: reply })).data;
}

/** A draft too long for one post, as a numbered thread of chained posts (public replies on X, Bluesky, Mastodon). */
export async function sendReplyThread(id: string, reply: NewReply): Promise<ReplyThreadView> {
  return (await apiRequest<DataEnvelope<ReplyThreadView>>(`${casePath(id)}/replies`, { method: 'POST', body: { ...reply, split: true } })).data;
}

export interface MovePrivateInput {
  acknowledgement?: string;
  privateText: string;
  /** dm, email or link; the server takes the first possible when omitted. */
  via?: PrivateRoute;
}

export async function moveToPrivate(id: string, input: MovePrivateInput): Promise<PrivateMoveView> {
  return (await apiRequest<DataEnvelope<PrivateMoveView>>(`${casePath(id)}/move-private`, { method: 'POST', body: input })).data;
}

export async function fetchReplies(id: string, signal?: AbortSignal): Promise<ReplyView[]> {
  return (await apiRequest<DataEnvelope<ReplyView[]>>(`${casePath(id)}/replies`, { signal })).data;
}

const replyPath = (id: string) => `/api/v1/replies/${encodeURIComponent(id)}`;

export async function approveReply(id: string): Promise<ReplyView> {
  return (await apiRequest<DataEnvelope<ReplyView>>(`${replyPath(id)}/approve`, { method: 'POST', body: {} })).data;
}

export async function rejectReply(id: string, reason: string): Promise<ReplyView> {
  return (await apiRequest<DataEnvelope<ReplyView>>(`${replyPath(id)}/reject`, { method: 'POST', body: { reason } })).data;
}

export async function confirmReply(id: string, input: { sent: boolean; url?: string }): Promise<ReplyView> {
  return (await apiRequest<DataEnvelope<ReplyView>>(`${replyPath(id)}/confirm`, { method: 'POST', body: input })).data;
}

export async function fetchMacros(signal?: AbortSignal): Promise<Macro[]> {
  return (await apiRequest<DataEnvelope<Macro[]>>('/api/v1/macros', { signal })).data;
}

export async function renderMacro(caseId: string, macroId: string): Promise<string> {
  const path = `${casePath(caseId)}/macros/${encodeURIComponent(macroId)}/render`;
  return (await apiRequest<DataEnvelope<{ text: string }>>(path, { method: 'POST', body: {} })).data.text;
}

export interface LabelCorrection {
  complaint?: boolean;
  sentiment?: Sentiment;
  intent?: Intent;
  topics?: string[];
}

export async function correctLabels(messageId: string, correction: LabelCorrection): Promise<LabelCorrectionView> {
  const path = `/api/v1/messages/${encodeURIComponent(messageId)}/corrections`;
  return (await apiRequest<DataEnvelope<LabelCorrectionView>>(path, { method: 'POST', body: correction })).data;
}
