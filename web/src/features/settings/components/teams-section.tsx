import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { Chip } from '../../../components/chip.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import type { AssignmentMode, TeamView, UserView } from '../../../lib/wire.types.ts';
import { deleteTeam, fetchTeams, listOf, saveTeam } from '../api.ts';

const assignmentText: Record<AssignmentMode, string> = { pull: 'agents take next', round_robin: 'round robin by capacity' };

function TeamForm({ team, users, onSaved, onCancel }: { team: TeamView | null; users: UserView[]; onSaved(): void; onCancel(): void }) {
  const [name, setName] = useState(team?.name ?? '');
  const [topics, setTopics] = useState(team?.topics.join(', ') ?? '');
  const [languages, setLanguages] = useState(team?.languages.join(', ') ?? '');
  const [skills, setSkills] = useState(team?.skills.join(', ') ?? '');
  const [tier, setTier] = useState(team?.tier ?? 0);
  const [assignment, setAssignment] = useState<AssignmentMode>(team?.assignment ?? 'pull');
  const [members, setMembers] = useState<Map<string, number>>(new Map(team?.members.map((m) => [m.userId, m.capacity]) ?? []));
  const save = useAction(async () => {
    await saveTeam(team?.id ?? null, {
      name: name.trim(), topics: listOf(topics), languages: listOf(languages), skills: listOf(skills), tier, assignment,
      members: [...members.entries()].map(([userId, capacity]) => ({ userId, capacity })),
    });
    onSaved();
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }
  function setMember(userId: string, capacity: number | null) {
    const next = new Map(members);
    if (capacity === null) next.delete(userId);
    else next.set(userId, capacity);
    setMembers(next);
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label={team ? `Edit team ${team.name}` : 'New team'}>
      <div className="row">
        <label className="grow">Name<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus /></label>
        <label>Escalation tier<input type="number" min={0} max={5} value={tier} onChange={(e) => setTier(Number(e.target.value))} /></label>
        <label>
          Assignment
          <select value={assignment} onChange={(e) => setAssignment(e.target.value === 'round_robin' ? 'round_robin' : 'pull')}>
            <option value="pull">{assignmentText.pull}</option>
            <option value="round_robin">{assignmentText.round_robin}</option>
          </select>
        </label>
      </div>
      <div className="row">
        <label className="grow">Topics it takes (empty: any)<input value={topics} onChange={(e) => setTopics(e.target.value)} placeholder="billing, outage" /></label>
        <label className="grow">Languages (empty: any)<input value={languages} onChange={(e) => setLanguages(e.target.value)} placeholder="en, pt-br" /></label>
        <label className="grow">Skills<input value={skills} onChange={(e) => setSkills(e.target.value)} placeholder="vulnerable-customers" /></label>
      </div>
      <fieldset>
        <legend>Members and how many open cases each can hold</legend>
        <div className="member-grid">
          {users.map((u) => (
            <div key={u.id} className="row">
              <label className="inline">
                <input type="checkbox" checked={members.has(u.id)} onChange={(e) => setMember(u.id, e.target.checked ? 5 : null)} /> {u.name}
              </label>
              {members.has(u.id) && (
                <label className="inline">
                  <span className="visually-hidden">Capacity of {u.name}</span>
                  <input type="number" min={0} max={200} value={members.get(u.id)} onChange={(e) => setMember(u.id, Number(e.target.value))} className="narrow" />
                </label>
              )}
            </div>
          ))}
        </div>
      </fieldset>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={save.busy || !name.trim()}>{team ? 'Save team' : 'Create team'}</button>
      </div>
    </form>
  );
}

/** Teams, what they take (topics, languages, skills, tier) and who is in them; supervisors and admins only. */
export function TeamsSection({ users }: { users: UserView[] }) {
  const teams = useResource('teams', fetchTeams);
  const [editing, setEditing] = useState<TeamView | 'new' | null>(null);
  const remove = useAction(async (team: TeamView) => {
    if (!window.confirm(`Delete the team ${team.name}? Its cases return to the shared queue.`)) return;
    await deleteTeam(team.id);
    teams.reload();
  });
  return (
    <section aria-labelledby="teams-title">
      <div className="panel-head">
        <h2 id="teams-title">Teams and skills</h2>
        {teams.data && editing === null && <button type="button" onClick={() => setEditing('new')}>New team</button>}
      </div>
      {editing !== null && (
        <TeamForm key={editing === 'new' ? 'new' : editing.id} team={editing === 'new' ? null : editing} users={users}
          onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); teams.reload(); }} />
      )}
      <AsyncState loading={teams.loading && !teams.data} error={teams.error} status={teams.status} onRetry={teams.reload}>
        {(teams.data ?? []).length === 0 ? <p className="muted">No teams: every case is in the shared queue.</p> : (
          <ul className="card-list">
            {(teams.data ?? []).map((team) => (
              <li key={team.id} className="panel">
                <div className="panel-head">
                  <h3>{team.name}</h3>
                  <div className="row">
                    <button type="button" onClick={() => setEditing(team)}>Edit</button>
                    <button type="button" className="danger" disabled={remove.busy} onClick={() => void remove.run(team)}>Delete</button>
                  </div>
                </div>
                <p className="small">
                  Tier {team.tier} · {assignmentText[team.assignment]} · topics: {team.topics.join(', ') || 'any'} · languages: {team.languages.join(', ') || 'any'}
                </p>
                {team.skills.length > 0 && <ul className="chips">{team.skills.map((s) => <li key={s}><Chip tone="info">{s}</Chip></li>)}</ul>}
                <ul className="small members">
                  {team.members.map((m) => <li key={m.userId}>{m.name}: {m.openCases} open of {m.capacity}</li>)}
                  {team.members.length === 0 && <li className="muted">No members.</li>}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </AsyncState>
      {remove.error && <p className="form-error" role="alert">{remove.error}</p>}
    </section>
  );
}
