import { useCallback, useEffect, useState } from 'react';
import { AsyncState } from '../components/async-state.tsx';
import { ChannelBadge } from '../components/channel-badge.tsx';
import { Chip } from '../components/chip.tsx';
import { Link } from '../components/link.tsx';
import { navigate, useLocation } from '../lib/router.ts';
import { formatDateTime } from '../lib/time.ts';
import { useResource } from '../lib/use-resource.ts';
import { hasRole } from '../lib/wire.values.ts';
import { fetchCustomer } from '../features/customers/api.ts';
import { IdentitiesPanel } from '../features/customers/components/identities-panel.tsx';
import { MergesPanel } from '../features/customers/components/merges-panel.tsx';
import { SuggestionsPanel } from '../features/customers/components/suggestions-panel.tsx';
import { VulnerableFlag } from '../features/customers/components/vulnerable-flag.tsx';
import { useCustomerSearch } from '../features/customers/hooks/use-customer-search.ts';
import { useLiveRefresh } from '../features/events/hooks/use-live-events.ts';
import { useSession } from '../features/session/hooks/use-session.ts';
import { useUsers } from '../features/users/hooks/use-users.ts';

const customerHref = (id: string) => `/customers/${encodeURIComponent(id)}`;

/** Finding a customer by name, handle, email address or phone number. */
export function CustomersRoute() {
  const { search } = useLocation();
  const [q, setQ] = useState(search.get('q') ?? '');
  const found = useCustomerSearch(q);

  useEffect(() => {
    document.title = 'Customers · Parley';
  }, []);

  function change(next: string) {
    setQ(next);
    navigate(`/customers${next.trim() ? `?q=${encodeURIComponent(next.trim())}` : ''}`, { replace: true });
  }

  return (
    <section className="page customers-page" aria-labelledby="customers-title">
      <div className="page-head">
        <h1 id="customers-title">Customers</h1>
        <form role="search" aria-label="Customers" onSubmit={(e) => e.preventDefault()} className="filters">
          <label>
            Search
            <input type="search" value={q} onChange={(e) => change(e.target.value)} placeholder="Name, @handle, email or phone" autoFocus />
          </label>
        </form>
      </div>
      <div aria-live="polite" className="visually-hidden">{found.loading ? 'Searching' : `${found.results.length} customers found`}</div>
      {found.error && <p className="error-banner" role="alert">Could not search: {found.error}</p>}
      {found.results.length === 0 && !found.loading ? (
        <p className="empty">{q.trim() ? 'No customer matches.' : 'No customers yet.'}</p>
      ) : (
        <ul className="customer-list" aria-busy={found.loading}>
          {found.results.map((c) => (
            <li key={c.id}>
              <Link to={customerHref(c.id)} className="customer-name">{c.displayName}</Link>
              {c.vulnerable && <> <Chip tone="warn">vulnerable</Chip></>}
              <span className="muted small"> {c.identities.map((i) => i.value).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
      {found.nextCursor && <div className="load-more"><button type="button" onClick={found.loadMore}>More customers</button></div>}
    </section>
  );
}

/** One customer: identities, accounts, cases on every channel, suggested links, merges and un-merges. */
export function CustomerRoute({ id }: { id: string }) {
  const { session } = useSession();
  const users = useUsers();
  const customer = useResource(id, (signal) => fetchCustomer(id, signal));
  const { reload } = customer;
  const isSupervisor = hasRole(session.user.role, 'supervisor');
  const detail = customer.data;

  useEffect(() => {
    document.title = detail ? `${detail.displayName} · Customers · Parley` : 'Customer · Parley';
  }, [detail]);

  useLiveRefresh((event) => event.type.startsWith('customer.'), reload);

  const goToSurvivor = useCallback((survivorId: string) => {
    if (survivorId === id) reload();
    else navigate(customerHref(survivorId));
  }, [id, reload]);

  if (customer.status === 404) {
    return (
      <section className="page">
        <h1>Customer not found</h1>
        <p><Link to="/customers">Back to customers</Link></p>
      </section>
    );
  }
  return (
    <section className="page customer-page" aria-labelledby="customer-page-title">
      <nav className="breadcrumb" aria-label="Breadcrumb"><Link to="/customers">← Customers</Link></nav>
      <AsyncState loading={customer.loading && !detail} error={detail ? null : customer.error} status={customer.status} onRetry={reload}>
        {detail && (
          <>
            <header className="case-head">
              <div>
                <h1 id="customer-page-title">{detail.displayName}</h1>
                <p className="muted small">Customer since {formatDateTime(detail.createdAt)}</p>
                {detail.mergedIntoId && (
                  <p className="notice">This customer was merged into <Link to={customerHref(detail.mergedIntoId)}>another customer</Link>; their accounts and cases are there now.</p>
                )}
                <VulnerableFlag customerId={detail.id} vulnerable={detail.vulnerable} note={detail.vulnerableNote}
                  canChange={isSupervisor && !detail.mergedIntoId} onChanged={reload} />
              </div>
            </header>
            <div className="case-body">
              <div className="main-column">
                <section className="panel" aria-labelledby="history-title">
                  <h2 id="history-title">Cases on every channel</h2>
                  {detail.history.length === 0 ? <p className="muted">No cases.</p> : (
                    <table className="plain">
                      <thead><tr><th scope="col">Channel</th><th scope="col">Case</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Last message</th></tr></thead>
                      <tbody>
                        {detail.history.map((c) => (
                          <tr key={c.id}>
                            <td><ChannelBadge kind={c.channel.kind} name={c.channel.name} /></td>
                            <td><Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.subject || '(no text)'}</Link></td>
                            <td>{c.status}</td>
                            <td>{c.priority}</td>
                            <td><time dateTime={c.lastMessageAt}>{formatDateTime(c.lastMessageAt)}</time></td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </section>
                <MergesPanel customerId={detail.id} merges={detail.merges} users={users} canMerge={isSupervisor}
                  readOnly={detail.mergedIntoId !== null} onChanged={reload} onMerged={goToSurvivor} />
              </div>
              <aside className="side">
                <IdentitiesPanel customerId={detail.id} identities={detail.identities} authors={detail.authors} canMerge={isSupervisor}
                  readOnly={detail.mergedIntoId !== null} onChanged={goToSurvivor} />
                <SuggestionsPanel customerId={detail.id} suggestions={detail.suggestions} readOnly={detail.mergedIntoId !== null} onChanged={reload} />
              </aside>
            </div>
          </>
        )}
      </AsyncState>
    </section>
  );
}
