import { useEffect } from 'react';
import { Link } from '../components/link.tsx';
import { hasRole } from '../lib/wire.values.ts';
import { ChannelsSection } from '../features/settings/components/channels-section.tsx';
import { EscalationSection } from '../features/settings/components/escalation-section.tsx';
import { KnowledgeSection } from '../features/settings/components/knowledge-section.tsx';
import { MacrosSection } from '../features/settings/components/macros-section.tsx';
import { PoliciesSection } from '../features/settings/components/policies-section.tsx';
import { SlaSection } from '../features/settings/components/sla-section.tsx';
import { TeamsSection } from '../features/settings/components/teams-section.tsx';
import { UsersSection } from '../features/settings/components/users-section.tsx';
import { useSession } from '../features/session/hooks/use-session.ts';
import { useUsers } from '../features/users/hooks/use-users.ts';

const sections = [
  { id: 'channels', label: 'Channels' },
  { id: 'users', label: 'Users and roles' },
  { id: 'teams', label: 'Teams and skills' },
  { id: 'sla', label: 'SLA and business hours' },
  { id: 'escalation', label: 'Escalation tiers' },
  { id: 'policies', label: 'Priority and approvals' },
  { id: 'knowledge', label: 'Knowledge base' },
  { id: 'macros', label: 'Macros' },
  { id: 'learning', label: 'Classifier feedback' },
] as const;

function LearningSection({ canExport }: { canExport: boolean }) {
  return (
    <section aria-labelledby="learning-title">
      <h2 id="learning-title">Classifier feedback</h2>
      <p>Every label an agent corrects on a case is kept beside the model's own. The corrections retrain the models:</p>
      {canExport ? (
        <>
          <p><a href="/api/v1/label-corrections" download="corrections.jsonl">Download the corrections (JSONL)</a></p>
          <pre className="mono small">npm run --silent parley -- train --with-feedback corrections.jsonl</pre>
          <p className="hint">docs/EVALUATION.md describes how the retrained models are evaluated before they replace the current ones.</p>
        </>
      ) : (
        <p className="hint">Supervisors download them for training.</p>
      )}
    </section>
  );
}

/** Workspace settings, each section writable by the roles the API allows and read-only for the others. */
export function SettingsRoute({ section }: { section: string }) {
  const { session } = useSession();
  const users = useUsers();
  const role = session.user.role;
  const isAdmin = hasRole(role, 'admin');
  const isSupervisor = hasRole(role, 'supervisor');
  const current = sections.find((s) => s.id === section);

  useEffect(() => {
    document.title = `${current?.label ?? 'Settings'} · Settings · Parley`;
  }, [current]);

  function body() {
    switch (current?.id) {
      case 'channels':
        return <ChannelsSection isAdmin={isAdmin} />;
      case 'users':
        return <UsersSection isAdmin={isAdmin} />;
      case 'teams':
        return <TeamsSection users={[...users.values()].sort((a, b) => a.name.localeCompare(b.name))} />;
      case 'sla':
        return <SlaSection isAdmin={isAdmin} />;
      case 'escalation':
        return <EscalationSection isAdmin={isAdmin} />;
      case 'policies':
        return <PoliciesSection isAdmin={isAdmin} />;
      case 'knowledge':
        return <KnowledgeSection canEdit={isSupervisor} />;
      case 'macros':
        return <MacrosSection canEdit={isSupervisor} />;
      case 'learning':
        return <LearningSection canExport={isSupervisor} />;
      case undefined:
        return <p>There is no such settings section.</p>;
      default: {
        const unreachable: never = current;
        return unreachable;
      }
    }
  }

  return (
    <section className="page settings-page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <div className="settings-body">
        <nav aria-label="Settings sections" className="settings-nav">
          <ul>
            {sections.map((s) => (
              <li key={s.id}><Link to={`/settings/${s.id}`} aria-current={s.id === current?.id ? 'page' : undefined}>{s.label}</Link></li>
            ))}
          </ul>
        </nav>
        <div className="settings-content">{body()}</div>
      </div>
    </section>
  );
}
