import type { ReactNode } from 'react';

/** The one way pages show loading, failure and "not allowed" for something they fetched. */
export function AsyncState({ loading, error, status, onRetry, children }: {
  loading: boolean;
  error: string | null;
  status?: number | null;
  onRetry?(): void;
  children?: ReactNode;
}) {
  if (error) {
    if (status === 403) return <p className="notice" role="status">Your role cannot see this. Ask a supervisor or an admin.</p>;
    return (
      <p className="error-banner" role="alert">
        {error} {onRetry && <button type="button" onClick={onRetry}>Retry</button>}
      </p>
    );
  }
  if (loading) return <p className="empty" aria-busy="true">Loading…</p>;
  return <>{children}</>;
}
