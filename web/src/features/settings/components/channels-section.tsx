import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { ChannelBadge, channelLabel } from '../../../components/channel-badge.tsx';
import { HealthBadge } from '../../../components/health-badge.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { ChannelKind } from '../../../lib/wire.types.ts';
import { channelKinds } from '../../../lib/wire.values.ts';
import { useLiveRefresh } from '../../events/hooks/use-live-events.ts';
import { createChannel, fetchChannels, rotateChannelToken } from '../api.ts';

function parseObject(text: string, what: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} must be a JSON object`);
  return Object.fromEntries(Object.entries(value));
}

function parseStrings(text: string): Record<string, string> | undefined {
  const value = parseObject(text, 'Credentials');
  if (Object.keys(value).length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new Error(`credential ${key} must be a string`);
    out[key] = v;
  }
  return out;
}

/** An ingest token is shown once, on creation or rotation; only its hash is stored. */
function TokenOnce({ label, token }: { label: string; token: string }) {
  return (
    <div className="notice token-once" role="status">
      <p>{label} Copy it now; Parley keeps only its hash.</p>
      <output className="token"><code>{token}</code></output>
    </div>
  );
}

function NewChannelForm({ onCreated }: { onCreated(token: string, name: string): void }) {
  const [kind, setKind] = useState<ChannelKind>('x');
  const [name, setName] = useState('');
  const [owned, setOwned] = useState(true);
  const [config, setConfig] = useState('{}');
  const [credentials, setCredentials] = useState('');
  const create = useAction(async () => {
    const created = await createChannel({ kind, name: name.trim(), owned, config: parseObject(config, 'Settings'), credentials: parseStrings(credentials) });
    setName('');
    onCreated(created.token, created.channel.name);
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void create.run();
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label="Add a channel">
      <h3>Add a channel</h3>
      <div className="row">
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(channelKinds.find((k) => k === e.target.value) ?? kind)}>
            {channelKinds.map((k) => <option key={k} value={k}>{channelLabel(k)}</option>)}
          </select>
        </label>
        <label className="grow">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="@AcmeCares on X" />
        </label>
        <label className="inline"><input type="checkbox" checked={owned} onChange={(e) => setOwned(e.target.checked)} /> The brand's own account</label>
      </div>
      <label>
        Settings (JSON)
        <textarea rows={3} className="mono" value={config} onChange={(e) => setConfig(e.target.value)} spellCheck={false} />
      </label>
      <label>
        Credentials (JSON of strings; stored encrypted, never shown again)
        <textarea rows={2} className="mono" value={credentials} onChange={(e) => setCredentials(e.target.value)} spellCheck={false}
          placeholder='{"accessToken": "…"}' autoComplete="off" />
      </label>
      <p className="hint">docs/CHANNELS.md lists each kind's settings and credentials. Unchecked "own account" makes it a listening channel: only posts matching a rule are kept.</p>
      {create.error && <p className="form-error" role="alert">{create.error}</p>}
      <button type="submit" className="primary" disabled={create.busy || !name.trim()}>Add channel</button>
    </form>
  );
}

/** Channels with their health and why they fail; admins add channels and rotate ingest tokens. */
export function ChannelsSection({ isAdmin }: { isAdmin: boolean }) {
  const channels = useResource('channels', fetchChannels);
  const [token, setToken] = useState<{ label: string; token: string } | null>(null);
  const rotate = useAction(async (id: string, name: string) => {
    if (!window.confirm(`Rotate the ingest token of ${name}? The old token stops working at once.`)) return;
    setToken({ label: `New ingest token for ${name}.`, token: await rotateChannelToken(id) });
  });
  // A failing delivery marks its channel failing; show it without a reload.
  useLiveRefresh((event) => event.type === 'reply.failed' || event.type === 'reply.sent', channels.reload, 500, 2_000);
  return (
    <section aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      {token && <TokenOnce label={token.label} token={token.token} />}
      <AsyncState loading={channels.loading && !channels.data} error={channels.error} status={channels.status} onRetry={channels.reload}>
        <table className="plain channels-table">
          <thead>
            <tr><th scope="col">Channel</th><th scope="col">Kind</th><th scope="col">Health</th><th scope="col">Last success</th><th scope="col">Failures</th>{isAdmin && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr>
          </thead>
          <tbody>
            {(channels.data ?? []).map((c) => (
              <tr key={c.id} data-channel-id={c.id}>
                <td><strong>{c.name}</strong>{!c.owned && <div className="muted small">listening</div>}</td>
                <td><ChannelBadge kind={c.kind} /></td>
                <td>
                  <HealthBadge health={c.health} />
                  {c.healthReason && <div className={c.health === 'failing' ? 'form-error small' : 'muted small'}>{c.healthReason}</div>}
                </td>
                <td>{c.lastSuccessAt ? <time dateTime={c.lastSuccessAt}>{formatDateTime(c.lastSuccessAt)}</time> : <span className="muted">never</span>}</td>
                <td>{c.failureCount}</td>
                {isAdmin && <td><button type="button" disabled={rotate.busy} onClick={() => void rotate.run(c.id, c.name)}>Rotate token</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </AsyncState>
      {rotate.error && <p className="form-error" role="alert">{rotate.error}</p>}
      {isAdmin ? (
        <NewChannelForm onCreated={(t, name) => { setToken({ label: `Ingest token for ${name}.`, token: t }); channels.reload(); }} />
      ) : (
        <p className="hint">Admins add channels and rotate their tokens.</p>
      )}
    </section>
  );
}
