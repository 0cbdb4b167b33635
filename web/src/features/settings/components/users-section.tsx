import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import type { Role } from '../../../lib/wire.types.ts';
import { roles } from '../../../lib/wire.values.ts';
import { createUser, fetchUsers } from '../api.ts';

const roleText: Record<Role, string> = {
  agent: 'answers cases',
  supervisor: 'also approves replies, overrides priority, merges customers, writes rules, teams, macros and policy articles',
  admin: 'also manages channels, users and the SLA, escalation and approval policies',
};

/** Who works in the workspace and with what role; admins add people (roles cannot be changed through the API yet). */
export function UsersSection({ isAdmin }: { isAdmin: boolean }) {
  const users = useResource('users', fetchUsers);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [password, setPassword] = useState('');
  const create = useAction(async () => {
    await createUser({ email: email.trim(), name: name.trim(), role, password });
    setEmail('');
    setName('');
    setPassword('');
    users.reload();
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void create.run();
  }
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      <AsyncState loading={users.loading && !users.data} error={users.error} status={users.status} onRetry={users.reload}>
        <table className="plain">
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th></tr></thead>
          <tbody>
            {(users.data ?? []).map((u) => <tr key={u.id}><td>{u.name}</td><td>{u.email}</td><td>{u.role}</td></tr>)}
          </tbody>
        </table>
      </AsyncState>
      <dl className="role-help">
        {roles.map((r) => <div key={r}><dt>{r}</dt><dd>{roleText[r]}</dd></div>)}
      </dl>
      {isAdmin && (
        <form className="stack settings-form" onSubmit={submit} aria-label="Add a user">
          <h3>Add a user</h3>
          <div className="row">
            <label className="grow">Name<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} /></label>
            <label className="grow">Email<input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" /></label>
            <label>
              Role
              <select value={role} onChange={(e) => setRole(roles.find((r) => r === e.target.value) ?? role)}>
                {roles.map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
            </label>
            <label>Initial password<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={10} required autoComplete="new-password" /></label>
          </div>
          {create.error && <p className="form-error" role="alert">{create.error}</p>}
          <button type="submit" className="primary" disabled={create.busy}>Add user</button>
        </form>
      )}
    </section>
  );
}
