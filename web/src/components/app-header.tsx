import { useState } from 'react';
import { useLiveStatus } from '../features/events/hooks/use-live-events.ts';
import { useSession } from '../features/session/hooks/use-session.ts';
import { Link } from './link.tsx';

const liveText = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;

export function AppHeader({ onHelp }: { onHelp(): void }) {
  const { session, signOut } = useSession();
  const live = useLiveStatus();
  const [busy, setBusy] = useState(false);
  return (
    <header className="app-header">
      <Link to="/" className="brand">Parley</Link>
      <span className="workspace" title="Workspace">{session.workspace.name}</span>
      <nav aria-label="Main">
        <Link to="/">Queue</Link>
      </nav>
      <span className={`live live-${live}`} role="status" title="Live updates from the event stream">{liveText[live]}</span>
      <span className="spacer" />
      <button type="button" className="ghost" onClick={onHelp} aria-label="Keyboard shortcuts">?</button>
      <span className="who">{session.user.name} <span className="muted">({session.user.role})</span></span>
      <button type="button" disabled={busy} onClick={() => { setBusy(true); void signOut().finally(() => setBusy(false)); }}>Sign out</button>
    </header>
  );
}
