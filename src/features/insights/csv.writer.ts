// Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection), including the
// full-width forms some of them normalise, and they skip leading white space before deciding.
const formulaStarts = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠', '|']);
const leadingSpace = /^[\s\u00a0\u2000-\u200b\u3000\ufeff]*/u;

function looksLikeFormula(text: string): boolean {
  if (text.length === 0) return false;
  if (formulaStarts.has(text[0])) return true;
  const rest = text.replace(leadingSpace, '');
  return rest.length < text.length && rest.length > 0 && formulaStarts.has(rest[0]);
}

export type CsvValue = string | number | null;

/**
 * One CSV cell: text that a spreadsheet would run as a formula is neutralised with a leading `'`, then the cell is
 * quoted when it holds a separator, quote or line break. Numbers are written as numbers (a negative number is not a
 * formula); a number that is not finite is an empty cell.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (looksLikeFormula(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly CsvValue[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole CSV document: a header line, then one line per row. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}
