import { createContext, useContext } from 'react';
import type { SessionView } from '../../../lib/wire.types.ts';

export interface SessionState {
  session: SessionView;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The signed-in session; only rendered below the sign-in gate, so it is always there. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession must be used inside the signed-in app');
  return state;
}
