import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AppHeader } from './components/app-header.tsx';
import { HelpDialog } from './components/help-dialog.tsx';
import { LiveEventsContext } from './features/events/hooks/use-live-events.ts';
import { LiveEvents } from './features/events/live-events.ts';
import { fetchSession, signOut } from './features/session/api.ts';
import { SignInForm } from './features/session/components/sign-in-form.tsx';
import { SessionContext } from './features/session/hooks/use-session.ts';
import type { SessionState } from './features/session/hooks/use-session.ts';
import { clearUsersCache } from './features/users/hooks/use-users.ts';
import { ApiError, apiRequest, messageOf, setCsrfToken, setUnauthorizedHandler } from './lib/http.ts';
import { useShortcuts } from './lib/keyboard.ts';
import { matchPath, navigate, useLocation } from './lib/router.ts';
import type { SessionView } from './lib/wire.types.ts';
import { QueueRoute } from './routes/queue.route.tsx';

// The queue is the landing page and ships in the first bundle; every other page is its own chunk, fetched on first
// visit (and warmed up once the app is idle, so the first click does not wait).
const loadCase = () => import('./routes/case.route.tsx');
const loadListening = () => import('./routes/listening.route.tsx');
const loadCustomers = () => import('./routes/customers.route.tsx');
const loadSettings = () => import('./routes/settings.route.tsx');
const CaseRoute = lazy(async () => ({ default: (await loadCase()).CaseRoute }));
const ListeningRoute = lazy(async () => ({ default: (await loadListening()).ListeningRoute }));
const CustomersRoute = lazy(async () => ({ default: (await loadCustomers()).CustomersRoute }));
const CustomerRoute = lazy(async () => ({ default: (await loadCustomers()).CustomerRoute }));
const SettingsRoute = lazy(async () => ({ default: (await loadSettings()).SettingsRoute }));

type Boot = { state: 'checking' } | { state: 'signed-out'; notice?: string } | { state: 'signed-in'; session: SessionView } | { state: 'failed'; error: string };

function Page() {
  const { pathname } = useLocation();
  const caseMatch = matchPath('/cases/:id', pathname);
  if (caseMatch) return <CaseRoute key={caseMatch.id} id={caseMatch.id} />;
  const customerMatch = matchPath('/customers/:id', pathname);
  if (customerMatch) return <CustomerRoute key={customerMatch.id} id={customerMatch.id} />;
  const settingsMatch = matchPath('/settings/:section', pathname);
  if (settingsMatch) return <SettingsRoute section={settingsMatch.section} />;
  switch (pathname) {
    case '/':
      return <QueueRoute />;
    case '/listening':
      return <ListeningRoute />;
    case '/customers':
      return <CustomersRoute />;
    case '/settings':
      return <SettingsRoute section="channels" />;
    default:
      return (
        <section className="page">
          <h1>Not found</h1>
          <p>There is no page at this address.</p>
        </section>
      );
  }
}

function Routes() {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  // A new page moves focus to the main region, so screen readers and keyboard users start at its top.
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus({ preventScroll: false });
  }, [pathname]);
  return (
    <Suspense fallback={<p className="empty">Loading…</p>}>
      <Page />
    </Suspense>
  );
}

const goTo: Record<string, string> = { q: '/', l: '/listening', c: '/customers', s: '/settings' };
const sequenceMs = 1_500;

function SignedInApp({ session, onSignOut }: { session: SessionView; onSignOut(): Promise<void> }) {
  const [helpOpen, setHelpOpen] = useState(false);
  // A refused stream usually means the session ended; asking for it again lets the 401 handler sign the tab out.
  const live = useMemo(() => new LiveEvents(() => void apiRequest('/api/v1/session').catch(() => undefined)), []);
  useEffect(() => {
    live.open();
    return () => live.close();
  }, [live]);
  // "g" then a letter goes to a page, as in most web mail and issue trackers.
  const pendingGo = useRef(0);
  const go = (key: string) => () => {
    if (Date.now() - pendingGo.current > sequenceMs) return;
    pendingGo.current = 0;
    navigate(goTo[key]);
  };
  useShortcuts({
    '?': () => setHelpOpen((open) => !open),
    g: () => {
      pendingGo.current = Date.now();
    },
    q: go('q'),
    l: go('l'),
    c: go('c'),
    s: go('s'),
  });
  useEffect(() => {
    const warm = () => {
      for (const load of [loadCase, loadListening, loadCustomers, loadSettings]) void load().catch(() => undefined);
    };
    const timer = window.setTimeout(warm, 1_500);
    return () => window.clearTimeout(timer);
  }, []);
  const state = useMemo<SessionState>(() => ({ session, signOut: onSignOut }), [session, onSignOut]);
  return (
    <SessionContext.Provider value={state}>
      <LiveEventsContext.Provider value={live}>
        <a className="skip-link" href="#main">Skip to content</a>
        <AppHeader onHelp={() => setHelpOpen(true)} />
        <main id="main" tabIndex={-1}>
          <Routes />
        </main>
        <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
      </LiveEventsContext.Provider>
    </SessionContext.Provider>
  );
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'checking' });

  const signedIn = useCallback((session: SessionView) => {
    setCsrfToken(session.csrfToken);
    setBoot({ state: 'signed-in', session });
  }, []);

  const signedOut = useCallback((notice?: string) => {
    setCsrfToken(null);
    clearUsersCache();
    setBoot({ state: 'signed-out', notice });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => signedOut('Your session has ended. Sign in again.'));
    fetchSession()
      .then(signedIn)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) signedOut();
        else setBoot({ state: 'failed', error: messageOf(error) });
      });
    return () => setUnauthorizedHandler(null);
  }, [signedIn, signedOut]);

  const handleSignOut = useCallback(async () => {
    try {
      await signOut();
    } catch (error) {
      // A session that is already gone is as good as signed out.
      if (!(error instanceof ApiError && error.status === 401)) console.warn('sign-out failed', error);
    }
    signedOut();
  }, [signedOut]);

  switch (boot.state) {
    case 'checking':
      return <p className="boot">Loading Parley…</p>;
    case 'failed':
      return (
        <main className="boot">
          <p role="alert">Parley could not start: {boot.error}</p>
          <button type="button" onClick={() => window.location.reload()}>Retry</button>
        </main>
      );
    case 'signed-out':
      return (
        <main className="sign-in-page">
          {boot.notice && <p className="notice" role="status">{boot.notice}</p>}
          <SignInForm onSignedIn={signedIn} />
        </main>
      );
    case 'signed-in':
      return <SignedInApp key={boot.session.user.id} session={boot.session} onSignOut={handleSignOut} />;
    default: {
      const unreachable: never = boot;
      return unreachable;
    }
  }
}
