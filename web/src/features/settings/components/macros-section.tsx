import { useState } from 'react';
import type { FormEvent } from 'react';
import { AsyncState } from '../../../components/async-state.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import type { Macro } from '../../../lib/wire.types.ts';
import { macroVariables } from '../../../lib/wire.values.ts';
import { deleteMacro, fetchMacros, saveMacro } from '../api.ts';

function MacroForm({ macro, onSaved, onCancel }: { macro: Macro | null; onSaved(): void; onCancel(): void }) {
  const [name, setName] = useState(macro?.name ?? '');
  const [body, setBody] = useState(macro?.body ?? '');
  const save = useAction(async () => {
    await saveMacro(macro?.id ?? null, { name: name.trim(), body: body.trim() });
    onSaved();
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }
  return (
    <form className="stack settings-form" onSubmit={submit} aria-label={macro ? `Edit ${macro.name}` : 'New macro'}>
      <label>Name<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus /></label>
      <label>Text<textarea rows={4} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={5_000} /></label>
      <p className="hint">Variables: {macroVariables.map((v) => <code key={v}>{`{{${v}}}`} </code>)}</p>
      {save.error && <p className="form-error" role="alert">{save.error}</p>}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" className="primary" disabled={save.busy}>{macro ? 'Save macro' : 'Add macro'}</button>
      </div>
    </form>
  );
}

/** Reply templates whose variables are filled for each case; supervisors write them. */
export function MacrosSection({ canEdit }: { canEdit: boolean }) {
  const macros = useResource('macros', fetchMacros);
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const remove = useAction(async (macro: Macro) => {
    if (!window.confirm(`Delete the macro "${macro.name}"?`)) return;
    await deleteMacro(macro.id);
    macros.reload();
  });
  return (
    <section aria-labelledby="macros-title">
      <div className="panel-head">
        <h2 id="macros-title">Macros</h2>
        {canEdit && editing === null && <button type="button" onClick={() => setEditing('new')}>New macro</button>}
      </div>
      {editing !== null && (
        <MacroForm key={editing === 'new' ? 'new' : editing.id} macro={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); macros.reload(); }} />
      )}
      <AsyncState loading={macros.loading && !macros.data} error={macros.error} status={macros.status} onRetry={macros.reload}>
        {(macros.data ?? []).length === 0 ? <p className="muted">No macros yet.</p> : (
          <ul className="card-list">
            {(macros.data ?? []).map((m) => (
              <li key={m.id} className="panel">
                <strong>{m.name}</strong>
                <p className="post-text">{m.body}</p>
                {canEdit && (
                  <div className="row">
                    <button type="button" onClick={() => setEditing(m)}>Edit</button>
                    <button type="button" className="danger" disabled={remove.busy} onClick={() => void remove.run(m)}>Delete</button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </AsyncState>
      {remove.error && <p className="form-error" role="alert">{remove.error}</p>}
    </section>
  );
}
