import { apiRequest } from '../../lib/http.ts';
import type { DataEnvelope, UserView } from '../../lib/wire.types.ts';

export async function fetchUsers(signal?: AbortSignal): Promise<UserView[]> {
  return (await apiRequest<DataEnvelope<UserView[]>>('/api/v1/users', { signal })).data;
}
