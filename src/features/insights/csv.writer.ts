// Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
const formulaStarts = new Set(['=', '+', '-', '@', '\t', '\r']);

/** One CSV cell: neutralised against formula injection, then quoted when it holds a separator, quote or newline. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (text.length > 0 && formulaStarts.has(text[0])) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
