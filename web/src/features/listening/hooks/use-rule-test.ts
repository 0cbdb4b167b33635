import { useEffect, useState } from 'react';
import { ApiError, isAbort, messageOf } from '../../../lib/http.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import type { RuleTestResult } from '../../../lib/wire.types.ts';
import { testRule } from '../api.ts';

/** The parser's complaint about a query: its message and the 1-based column (in code points) it points at. */
export interface RuleSyntaxProblem {
  message: string;
  column: number | null;
}

export interface RuleTestState {
  result: RuleTestResult | null;
  problem: RuleSyntaxProblem | null;
  error: string | null;
  /** The result shown is for an older query than the one typed. */
  pending: boolean;
}

function problemOf(error: ApiError): RuleSyntaxProblem {
  const details = Array.isArray(error.details) ? error.details : [];
  for (const detail of details) {
    if (typeof detail === 'object' && detail !== null && 'message' in detail && typeof detail.message === 'string') {
      const column = 'column' in detail && typeof detail.column === 'number' ? detail.column : null;
      return { message: detail.message, column };
    }
  }
  return { message: error.message, column: null };
}

/** Tries the query against the workspace's recent posts as the agent types (debounced), with the real matcher. */
export function useRuleTest(query: string, delayMs = 300): RuleTestState {
  const settled = useDebouncedValue(query, delayMs);
  const [state, setState] = useState<{ query: string; result: RuleTestResult | null; problem: RuleSyntaxProblem | null; error: string | null }>({
    query: '', result: null, problem: null, error: null,
  });

  useEffect(() => {
    if (!settled.trim()) {
      setState({ query: settled, result: null, problem: null, error: null });
      return;
    }
    const controller = new AbortController();
    testRule(settled, controller.signal)
      .then((result) => setState({ query: settled, result, problem: null, error: null }))
      .catch((caught: unknown) => {
        if (isAbort(caught)) return;
        if (caught instanceof ApiError && caught.status === 422) setState({ query: settled, result: null, problem: problemOf(caught), error: null });
        else setState({ query: settled, result: null, problem: null, error: messageOf(caught) });
      });
    return () => controller.abort();
  }, [settled]);

  return { result: state.result, problem: state.problem, error: state.error, pending: state.query !== query };
}
