/** The variables a macro may use; anything else is refused when the macro is saved. */
export const macroVariables = ['customer.name', 'customer.first_name', 'case.reference', 'agent.name', 'agent.first_name'] as const;
export type MacroVariable = (typeof macroVariables)[number];

const placeholder = /\{\{\s*([a-z_.]{1,40})\s*\}\}/g;

export interface TemplateProblem {
  variable: string;
  index: number;
}

/** Variables used in a template that Parley does not know. */
export function unknownVariables(template: string): TemplateProblem[] {
  const known = new Set<string>(macroVariables);
  return [...template.matchAll(placeholder)]
    .filter((m) => !known.has(m[1]))
    .map((m) => ({ variable: m[1], index: m.index ?? 0 }));
}

export type MacroValues = Record<MacroVariable, string>;

/** Fills a template; values are inserted as plain text, never re-expanded. */
export function renderTemplate(template: string, values: MacroValues): string {
  return template.replace(placeholder, (whole, name: string) => (name in values ? values[name as MacroVariable] : whole));
}

export function caseReference(caseId: string): string {
  return `C-${caseId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
