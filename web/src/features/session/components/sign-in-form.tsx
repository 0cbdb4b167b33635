import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, messageOf } from '../../../lib/http.ts';
import type { SessionView } from '../../../lib/wire.types.ts';
import { signIn } from '../api.ts';

function explain(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'invalid_credentials') return 'Wrong email or password.';
    if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
    if (error.status === 422) return 'Enter an email address and a password.';
  }
  return messageOf(error);
}

export function SignInForm({ onSignedIn }: { onSignedIn(session: SessionView): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const slug = workspace.trim();
      onSignedIn(await signIn({ email: email.trim(), password, ...(slug ? { workspace: slug } : {}) }));
    } catch (caught) {
      setError(explain(caught));
      setBusy(false);
    }
  }

  return (
    <form className="sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Parley</h1>
      <label htmlFor="sign-in-email">Email</label>
      <input id="sign-in-email" name="email" type="email" autoComplete="username" required value={email}
        onChange={(e) => setEmail(e.target.value)} autoFocus />
      <label htmlFor="sign-in-password">Password</label>
      <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required value={password}
        onChange={(e) => setPassword(e.target.value)} />
      <label htmlFor="sign-in-workspace">Workspace <span className="muted">(optional)</span></label>
      <input id="sign-in-workspace" name="workspace" type="text" autoComplete="organization" value={workspace}
        onChange={(e) => setWorkspace(e.target.value)} placeholder="e.g. demo" />
      {error && <p className="form-error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  );
}
