import { useState } from 'react';
import type { FormEvent } from 'react';
import { Chip } from '../../../components/chip.tsx';
import { channelLabel } from '../../../components/channel-badge.tsx';
import { Link } from '../../../components/link.tsx';
import { ApiError, messageOf } from '../../../lib/http.ts';
import type { AuthorView, IdentityKind, IdentityView } from '../../../lib/wire.types.ts';
import { identityKinds } from '../../../lib/wire.values.ts';
import { addIdentity } from '../api.ts';
import type { NewIdentity } from '../api.ts';

function otherCustomerOf(error: ApiError): string | null {
  if (!Array.isArray(error.details)) return null;
  for (const detail of error.details) {
    if (typeof detail === 'object' && detail !== null && 'path' in detail && detail.path === 'otherCustomerId' && 'message' in detail) return String(detail.message);
  }
  return null;
}

interface IdentitiesPanelProps {
  customerId: string;
  identities: IdentityView[];
  authors: AuthorView[];
  canMerge: boolean;
  readOnly: boolean;
  onChanged(survivorId: string): void;
}

/** How to reach the customer (verified handles, email addresses, phone numbers) and their accounts on each platform. */
export function IdentitiesPanel({ customerId, identities, authors, canMerge, readOnly, onChanged }: IdentitiesPanelProps) {
  const [kind, setKind] = useState<IdentityKind>('email');
  const [platform, setPlatform] = useState('');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [holder, setHolder] = useState<string | null>(null);

  async function save(merge: boolean) {
    setBusy(true);
    setError(null);
    try {
      const input: NewIdentity = { kind, value: value.trim(), merge, ...(kind === 'handle' ? { platform: platform.trim() } : {}) };
      const added = await addIdentity(customerId, input);
      setValue('');
      setHolder(null);
      onChanged(added.customerId);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) setHolder(otherCustomerOf(caught));
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(false);
  }

  return (
    <section className="panel" aria-labelledby="identities-title">
      <h2 id="identities-title">Identities</h2>
      {identities.length === 0 ? <p className="muted">No verified identity yet.</p> : (
        <ul className="identities">
          {identities.map((identity) => (
            <li key={identity.id}>
              <span className="muted">{identity.kind === 'handle' ? channelLabel(identity.platform) : identity.kind}</span>{' '}
              <span className="identity-value">{identity.value}</span>
              {identity.verified ? <> <Chip tone="good">verified</Chip></> : <> <Chip>unverified</Chip></>}
            </li>
          ))}
        </ul>
      )}
      <h3>Accounts</h3>
      {authors.length === 0 ? <p className="muted">None.</p> : (
        <ul className="identities">
          {authors.map((author) => (
            <li key={author.id}>
              <span className="muted">{channelLabel(author.platform)}</span>{' '}
              <span className="identity-value">{author.handle ? `@${author.handle}` : (author.displayName ?? author.externalId)}</span>
              {author.followerCount !== null && <span className="muted"> · {author.followerCount.toLocaleString()} followers</span>}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <form className="stack identity-form" onSubmit={submit} aria-label="Add a verified identity">
          <h3>Add a verified identity</h3>
          <div className="row">
            <label>
              Kind
              <select value={kind} onChange={(e) => setKind(identityKinds.find((k) => k === e.target.value) ?? kind)}>
                {identityKinds.map((k) => <option key={k} value={k}>{k}</option>)}
              </select>
            </label>
            {kind === 'handle' && (
              <label>
                Platform
                <input value={platform} onChange={(e) => setPlatform(e.target.value)} placeholder="x, bluesky, mastodon…" required pattern="[a-z][a-z0-9_-]{0,31}" />
              </label>
            )}
            <label className="grow">
              Value
              <input value={value} onChange={(e) => setValue(e.target.value)} required maxLength={256}
                type={kind === 'email' ? 'email' : kind === 'phone' ? 'tel' : 'text'} />
            </label>
          </div>
          <button type="submit" disabled={busy || !value.trim()}>Add</button>
          {error && (
            <div className="form-error" role="alert">
              <p>{error}</p>
              {holder && (
                <p>
                  It belongs to <Link to={`/customers/${encodeURIComponent(holder)}`}>another customer</Link>.{' '}
                  {canMerge ? <button type="button" disabled={busy} onClick={() => void save(true)}>Merge them and add it</button> : 'A supervisor can merge the two.'}
                </p>
              )}
            </div>
          )}
        </form>
      )}
    </section>
  );
}
