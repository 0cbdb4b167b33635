import { useState } from 'react';
import { useLiveStatus } from '../features/events/hooks/use-live-events.ts';
import { useSession } from '../features/session/hooks/use-session.ts';
import { useLocation } from '../lib/router.ts';
import { Link } from './link.tsx';

const liveText = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;

const sections = [
  { to: '/', label: 'Queue', matches: (path: string) => path === '/' || path.startsWith('/cases/') },
  { to: '/listening', label: 'Listening', matches: (path: string) => path.startsWith('/listening') },
  { to: '/customers', label: 'Customers', matches: (path: string) => path.startsWith('/customers') },
  { to: '/settings', label: 'Settings', matches: (path: string) => path.startsWith('/settings') },
];

export function AppHeader({ onHelp }: { onHelp(): void }) {
  const { session, signOut } = useSession();
  const live = useLiveStatus();
  const { pathname } = useLocation();
  const [busy, setBusy] = useState(false);
  return (
    <header className="app-header">
      <Link to="/" className="brand">Parley</Link>
      <span className="workspace" title="Workspace">{session.workspace.name}</span>
      <nav aria-label="Main">
        <ul>
          {sections.map((s) => (
            <li key={s.to}><Link to={s.to} aria-current={s.matches(pathname) ? 'page' : undefined}>{s.label}</Link></li>
          ))}
        </ul>
      </nav>
      <span className={`live live-${live}`} role="status" title="Live updates from the event stream">{liveText[live]}</span>
      <span className="spacer" />
      <button type="button" className="ghost" onClick={onHelp} aria-label="Keyboard shortcuts">?</button>
      <span className="who">{session.user.name} <span className="muted">({session.user.role})</span></span>
      <button type="button" disabled={busy} onClick={() => { setBusy(true); void signOut().finally(() => setBusy(false)); }}>Sign out</button>
    </header>
  );
}
