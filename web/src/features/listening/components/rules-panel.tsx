import { useState } from 'react';
import { Chip } from '../../../components/chip.tsx';
import { AsyncState } from '../../../components/async-state.tsx';
import { useAction } from '../../../lib/use-action.ts';
import type { Resource } from '../../../lib/use-resource.ts';
import type { MonitoringRule } from '../../../lib/wire.types.ts';
import { deleteRule, updateRule } from '../api.ts';
import { RuleEditor } from './rule-editor.tsx';

interface RulesPanelProps {
  rules: Resource<MonitoringRule[]>;
  canEdit: boolean;
}

/** The workspace's monitoring rules: supervisors write them; everyone can try a query. */
export function RulesPanel({ rules, canEdit }: RulesPanelProps) {
  const [editing, setEditing] = useState<MonitoringRule | 'new' | null>(null);
  const change = useAction(async (rule: MonitoringRule, action: 'toggle' | 'delete') => {
    if (action === 'delete') {
      if (!window.confirm(`Delete the rule "${rule.name}"? Posts it matched stay.`)) return;
      await deleteRule(rule.id);
    } else {
      await updateRule(rule.id, { enabled: !rule.enabled });
    }
    rules.reload();
  });
  const list = rules.data ?? [];
  return (
    <section className="panel rules-panel" aria-labelledby="rules-title">
      <div className="panel-head">
        <h2 id="rules-title">Rules</h2>
        {editing === null && <button type="button" onClick={() => setEditing('new')}>{canEdit ? 'New rule' : 'Try a query'}</button>}
      </div>
      {editing !== null && (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          canSave={canEdit}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            rules.reload();
          }}
        />
      )}
      <AsyncState loading={rules.loading && list.length === 0} error={rules.error} status={rules.status} onRetry={rules.reload}>
        {list.length === 0 ? (
          <p className="muted">No rules yet: listening channels hear nothing until a rule matches.</p>
        ) : (
          <ul className="rule-list">
            {list.map((rule) => (
              <li key={rule.id} className={rule.enabled ? '' : 'disabled'}>
                <div className="rule-line">
                  <strong>{rule.name}</strong> <Chip>{rule.tag}</Chip> {!rule.enabled && <Chip tone="warn">disabled</Chip>}
                </div>
                <code className="rule-query">{rule.query}</code>
                <div className="rule-buttons">
                  <button type="button" className="link-button" onClick={() => setEditing(rule)}>{canEdit ? 'Edit' : 'Open'}</button>
                  {canEdit && (
                    <>
                      <button type="button" className="link-button" disabled={change.busy} onClick={() => void change.run(rule, 'toggle')}>
                        {rule.enabled ? 'Disable' : 'Enable'}
                      </button>
                      <button type="button" className="link-button danger" disabled={change.busy} onClick={() => void change.run(rule, 'delete')}>Delete</button>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </AsyncState>
      {change.error && <p className="form-error" role="alert">{change.error}</p>}
    </section>
  );
}
