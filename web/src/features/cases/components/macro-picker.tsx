import { useState } from 'react';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import { fetchMacros, renderMacro } from '../api.ts';

/** Picks a macro and fills its variables for this case on the server ({{customer.first_name}}, {{case.reference}}…). */
export function MacroPicker({ caseId, onInsert }: { caseId: string; onInsert(text: string): void }) {
  const macros = useResource('macros', fetchMacros);
  const [macroId, setMacroId] = useState('');
  const insert = useAction(async () => {
    onInsert(await renderMacro(caseId, macroId));
  });
  const list = macros.data ?? [];
  if (macros.error) return <p className="muted small">Macros unavailable: {macros.error}</p>;
  if (list.length === 0) return null;
  const chosen = list.find((m) => m.id === macroId);
  return (
    <div className="macro-picker">
      <label className="inline">
        Macro
        <select value={macroId} onChange={(e) => setMacroId(e.target.value)}>
          <option value="">Choose…</option>
          {list.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select>
      </label>
      <button type="button" disabled={!macroId || insert.busy} onClick={() => void insert.run()}>Insert</button>
      {chosen && <span className="muted small macro-body" title="variables are filled in for this case">{chosen.body}</span>}
      {insert.error && <p className="form-error" role="alert">{insert.error}</p>}
    </div>
  );
}
