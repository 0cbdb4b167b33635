import type { RuleSyntaxProblem } from '../hooks/use-rule-test.ts';

/** The UTF-16 offset of a 1-based column counted in code points, as the rule parser counts. */
export function offsetOfColumn(query: string, column: number): number {
  const points = Array.from(query);
  return points.slice(0, Math.max(0, column - 1)).join('').length;
}

/**
 * The parser's error shown where it points: the query's line with the character at the column marked and a caret
 * under it, plus a button that puts the text cursor there.
 */
export function QueryProblem({ id, query, problem, onGoTo }: { id: string; query: string; problem: RuleSyntaxProblem; onGoTo(offset: number): void }) {
  if (problem.column === null) return <p id={id} className="form-error" role="alert">{problem.message}</p>;
  const points = Array.from(query);
  const index = Math.min(Math.max(problem.column - 1, 0), points.length);
  // The line holding the column, and the column within it.
  let lineStart = index;
  while (lineStart > 0 && points[lineStart - 1] !== '\n') lineStart -= 1;
  let lineEnd = index;
  while (lineEnd < points.length && points[lineEnd] !== '\n') lineEnd += 1;
  const before = points.slice(lineStart, index).join('');
  const at = index < points.length && points[index] !== '\n' ? points[index] : ' ';
  const after = points.slice(Math.min(index + 1, lineEnd), lineEnd).join('');
  return (
    <div id={id} className="query-problem" role="alert">
      <p className="form-error">{problem.message}</p>
      <pre className="query-line" aria-hidden="true">
        {before}<mark className="query-error-at">{at}</mark>{after}
        {'\n'}
        <span className="caret">{' '.repeat(Array.from(before).length)}^</span>
      </pre>
      <button type="button" className="link-button" onClick={() => onGoTo(offsetOfColumn(query, problem.column ?? 1))}>
        Put the cursor at column {problem.column}
      </button>
    </div>
  );
}
