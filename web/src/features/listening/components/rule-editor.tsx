import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { channelLabel } from '../../../components/channel-badge.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { formatDateTime } from '../../../lib/time.ts';
import type { MonitoringRule, RuleTag } from '../../../lib/wire.types.ts';
import { ruleTags } from '../../../lib/wire.values.ts';
import { createRule, updateRule } from '../api.ts';
import { useRuleTest } from '../hooks/use-rule-test.ts';
import { QueryProblem } from './query-problem.tsx';

/** What an X filtered stream would carry for this rule, when the server says (the X stream-rule translation). */
function xStreamRuleOf(result: object): { ok: boolean; text: string } | null {
  if (!('xStreamRule' in result) || typeof result.xStreamRule !== 'object' || result.xStreamRule === null) return null;
  const rule = result.xStreamRule;
  if ('ok' in rule && rule.ok === true && 'value' in rule && typeof rule.value === 'string') return { ok: true, text: rule.value };
  if ('reason' in rule && typeof rule.reason === 'string') return { ok: false, text: rule.reason };
  return null;
}

interface RuleEditorProps {
  rule: MonitoringRule | null;
  canSave: boolean;
  onSaved(rule: MonitoringRule): void;
  onCancel(): void;
}

/**
 * Writes a rule in Parley's rule language (docs/LISTENING.md) and tries it against the latest posts while typing;
 * a query the parser refuses shows the error at the column it points to.
 */
export function RuleEditor({ rule, canSave, onSaved, onCancel }: RuleEditorProps) {
  const [name, setName] = useState(rule?.name ?? '');
  const [tag, setTag] = useState<RuleTag>(rule?.tag ?? 'brand');
  const [query, setQuery] = useState(rule?.query ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const queryRef = useRef<HTMLTextAreaElement>(null);
  const test = useRuleTest(query);
  const problemId = useId();
  const resultId = useId();
  const save = useAction(async () => {
    const input = { name: name.trim(), tag, query, enabled };
    onSaved(rule ? await updateRule(rule.id, input) : await createRule(input));
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }

  function goTo(offset: number) {
    const area = queryRef.current;
    if (!area) return;
    area.focus();
    area.setSelectionRange(offset, offset);
  }

  const xRule = test.result ? xStreamRuleOf(test.result) : null;
  return (
    <form className="rule-editor stack" onSubmit={submit} aria-label={rule ? `Edit rule ${rule.name}` : 'New rule'}>
      <div className="row">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} disabled={!canSave} />
        </label>
        <label>
          Listens for
          <select value={tag} onChange={(e) => setTag(ruleTags.find((t) => t === e.target.value) ?? tag)} disabled={!canSave}>
            {ruleTags.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} disabled={!canSave} /> Enabled
        </label>
      </div>
      <label>
        Query
        <textarea
          ref={queryRef}
          className="query-input"
          rows={3}
          value={query}
          spellCheck={false}
          onChange={(e) => setQuery(e.target.value)}
          aria-invalid={test.problem !== null}
          aria-describedby={`${test.problem ? problemId : resultId} rule-syntax-hint`}
          placeholder='acme OR @AcmeCares OR #acme -from:acme lang:en "acme router"'
        />
      </label>
      <p id="rule-syntax-hint" className="hint">
        Words and "phrases", OR, -exclusions, (groups), #tags, @mentions, from:handle, lang:xx, is:reply, url:host. Tried against the latest 200 posts as you type.
      </p>
      <div aria-live="polite" className={test.pending ? 'rule-test stale' : 'rule-test'}>
        {test.problem ? (
          <QueryProblem id={problemId} query={query} problem={test.problem} onGoTo={goTo} />
        ) : test.error ? (
          <p className="form-error">Could not test the rule: {test.error}</p>
        ) : test.result ? (
          <div id={resultId}>
            <p><strong data-testid="rule-match-count">{test.result.matches.length}</strong> of the {test.result.scanned} latest posts match.</p>
            {xRule && <p className="small muted">On an X filtered stream: {xRule.ok ? <code>{xRule.text}</code> : `not filterable (${xRule.text})`}</p>}
            {test.result.matches.length > 0 && (
              <ul className="rule-matches">
                {test.result.matches.slice(0, 8).map((m) => (
                  <li key={m.messageId}>
                    <span className="muted small">{channelLabel(m.channelKind)} · {m.authorHandle ? `@${m.authorHandle}` : 'unknown'} · {formatDateTime(m.sentAt)}</span>
                    <p className="post-text">{m.text}</p>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ) : (
          <p id={resultId} className="muted small">Type a query to see which recent posts it matches.</p>
        )}
      </div>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>{canSave ? 'Cancel' : 'Close'}</button>
        {canSave && (
          <button type="submit" className="primary" disabled={save.busy || !name.trim() || !query.trim() || test.problem !== null}>
            {save.busy ? 'Saving…' : rule ? 'Save rule' : 'Create rule'}
          </button>
        )}
      </div>
    </form>
  );
}
