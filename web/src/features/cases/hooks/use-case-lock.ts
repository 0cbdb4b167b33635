import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../lib/http.ts';
import { lockCase, unlockCase } from '../api.ts';

const renewEveryMs = 60_000;

/** The 409's details name the holder: `{path: 'lockedByName', message: <name>}`. */
function holderName(details: unknown): string | null {
  if (!Array.isArray(details)) return null;
  for (const detail of details) {
    if (typeof detail === 'object' && detail !== null && 'path' in detail && detail.path === 'lockedByName' && 'message' in detail) {
      return String(detail.message);
    }
  }
  return null;
}

/**
 * While `active` (the agent is writing a reply), holds the case's short lease so teammates see who is answering,
 * renewing it before it lapses and releasing it after. Another agent's lease is reported, never fought over.
 */
export function useCaseLock(caseId: string, active: boolean): { otherHolder: string | null } {
  const [otherHolder, setOtherHolder] = useState<string | null>(null);
  const held = useRef(false);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const take = () => {
      lockCase(caseId)
        .then(() => {
          held.current = true;
          if (!stopped) setOtherHolder(null);
        })
        .catch((error: unknown) => {
          if (stopped) return;
          if (error instanceof ApiError && error.status === 409) {
            setOtherHolder(holderName(error.details) ?? 'another agent');
          }
        });
    };
    take();
    const timer = window.setInterval(take, renewEveryMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      if (held.current) {
        held.current = false;
        void unlockCase(caseId).catch(() => undefined);
      }
    };
  }, [caseId, active]);

  return { otherHolder };
}
