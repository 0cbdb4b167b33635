import { apiRequest } from '../../lib/http.ts';
import type { DataEnvelope, SessionView } from '../../lib/wire.types.ts';

export interface SignInInput {
  email: string;
  password: string;
  workspace?: string;
}

export async function fetchSession(): Promise<SessionView> {
  return (await apiRequest<DataEnvelope<SessionView>>('/api/v1/session', { quietUnauthorized: true })).data;
}

export async function signIn(input: SignInInput): Promise<SessionView> {
  return (await apiRequest<DataEnvelope<SessionView>>('/api/v1/session', { method: 'POST', body: input, quietUnauthorized: true })).data;
}

export async function signOut(): Promise<void> {
  await apiRequest<void>('/api/v1/session', { method: 'DELETE', quietUnauthorized: true });
}
