import { Chip } from '../../../components/chip.tsx';
import { channelLabel } from '../../../components/channel-badge.tsx';
import { Link } from '../../../components/link.tsx';
import type { CustomerView } from '../../../lib/wire.types.ts';

/** Who the customer is across channels: linked identities (handles, email, phone) and platform accounts. */
export function CustomerCard({ customerId, customer, fallbackName }: { customerId: string; customer: CustomerView | null; fallbackName: string }) {
  return (
    <section className="panel" aria-labelledby="customer-title">
      <h2 id="customer-title">Customer</h2>
      <p className="customer-name">
        {customer?.displayName ?? fallbackName}
        {customer?.vulnerable && <> <Chip tone="warn" title="Handle with extra care">vulnerable</Chip></>}
      </p>
      <p className="small"><Link to={`/customers/${encodeURIComponent(customerId)}`}>Profile, history and merges</Link></p>
      {customer && customer.identities.length > 0 && (
        <>
          <h3>Identities</h3>
          <ul className="identities">
            {customer.identities.map((identity) => (
              <li key={`${identity.kind}:${identity.platform}:${identity.value}`}>
                <span className="muted">{identity.kind === 'handle' ? channelLabel(identity.platform) : identity.kind}</span>{' '}
                <span className="identity-value">{identity.value}</span>
                {identity.verified && <> <Chip tone="good">verified</Chip></>}
              </li>
            ))}
          </ul>
        </>
      )}
      {customer && customer.authors.length > 0 && (
        <>
          <h3>Accounts</h3>
          <ul className="identities">
            {customer.authors.map((author) => (
              <li key={`${author.platform}:${author.externalId}`}>
                <span className="muted">{channelLabel(author.platform)}</span>{' '}
                <span className="identity-value">{author.handle ? `@${author.handle}` : (author.displayName ?? author.externalId)}</span>
                {author.followerCount !== null && <span className="muted"> · {author.followerCount.toLocaleString()} followers</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
