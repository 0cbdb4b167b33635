import type { RuleNode } from './rule.types.ts';

/**
 * Translates a Parley rule into an X API v2 filtered-stream rule, used as a server-side pre-filter: X sends what the
 * translation matches, and every post still goes through Parley's own matcher on ingest. So the translation may
 * match more than the rule (an over-approximation) but never less:
 *
 * - a literal X cannot express (a fediverse handle, a language tag X does not know) stands for "anything": inside
 *   an AND it is left out, inside an OR it makes the whole OR "anything";
 * - a negation is kept only when what it negates is translated exactly (excluding an approximation would drop posts
 *   the rule wants);
 * - a rule that comes out as "anything", or that has no positive standalone operator left (X refuses rules made only
 *   of `lang:`, `is:` and exclusions), cannot be filtered on X and is reported with the reason.
 *
 * X matches keywords without folding diacritics, and Parley's rules are stored folded: a rule for `café` reaches X as
 * `cafe`, so X delivers posts written `cafe` (and Parley matches both spellings among what X delivers).
 */

/** X's limit on a rule's length for the standard access levels; Pro and Enterprise allow 1,024. */
export const defaultXRuleMaxLength = 512;

export type XRuleTranslation = { ok: true; value: string; exact: boolean } | { ok: false; reason: string };

type Part =
  | { any: true }
  | { any: false; text: string; exact: boolean; standalone: boolean; grouped: boolean };

const anything: Part = { any: true };

// X handles: 1–15 letters, digits or underscores.
const xHandle = /^[a-z0-9_]{1,15}$/;
// Words X tokenizes the way Parley does (letters, digits, marks, underscore).
const plainWord = /^[\p{L}\p{N}\p{M}_]+$/u;
// ISO 639-1 codes X recognizes are two letters; `und` is X's own.
const xLang = /^(?:[a-z]{2}|und)$/;

function literal(text: string, standalone: boolean): Part {
  return { any: false, text, exact: true, standalone, grouped: false };
}

function translate(node: RuleNode): Part {
  switch (node.kind) {
    case 'words':
      if (!node.words.every((w) => plainWord.test(w))) return anything;
      return literal(node.words.length === 1 ? node.words[0] : `"${node.words.join(' ')}"`, true);
    case 'hashtag':
      return plainWord.test(node.tag) ? literal(`#${node.tag}`, true) : anything;
    case 'mention':
      return xHandle.test(node.handle) ? literal(`@${node.handle}`, true) : anything;
    case 'from':
      return xHandle.test(node.handle) ? literal(`from:${node.handle}`, true) : anything;
    case 'lang':
      return xLang.test(node.code) ? literal(`lang:${node.code}`, false) : anything;
    case 'is':
      return literal(node.what === 'reply' ? 'is:reply' : 'is:retweet', false);
    case 'url':
      return literal(`url:"${node.host}${node.path}"`, true);
    case 'not': {
      if (node.child.kind === 'not') return translate(node.child.child);
      const inner = translate(node.child);
      if (inner.any || !inner.exact) return anything;
      return { any: false, text: `-${group(inner)}`, exact: true, standalone: false, grouped: false };
    }
    case 'and':
      return combine(node.children.map(translate), ' ', 'and');
    case 'or':
      return combine(node.children.map(translate), ' OR ', 'or');
    default: {
      const never: never = node;
      return never;
    }
  }
}

function group(part: Exclude<Part, { any: true }>): string {
  return part.grouped ? `(${part.text})` : part.text;
}

function combine(parts: Part[], separator: string, kind: 'and' | 'or'): Part {
  const known = parts.filter((p): p is Exclude<Part, { any: true }> => !p.any);
  if (kind === 'or' && known.length < parts.length) return anything;
  if (known.length === 0) return anything;
  if (known.length === 1) return { ...known[0], exact: known[0].exact && known.length === parts.length };
  return {
    any: false,
    // X evaluates AND before OR; every group of more than one operand is parenthesized anyway, as X recommends.
    text: known.map(group).join(separator),
    exact: known.length === parts.length && known.every((p) => p.exact),
    standalone: kind === 'and' ? known.some((p) => p.standalone) : known.every((p) => p.standalone),
    grouped: true,
  };
}

/** The X filtered-stream rule for a Parley rule, or why there is none. */
export function toXStreamRule(rule: RuleNode, maxLength = defaultXRuleMaxLength): XRuleTranslation {
  const part = translate(rule);
  if (part.any) return { ok: false, reason: 'nothing in this rule can be filtered on X (it would need the whole firehose)' };
  if (!part.standalone) {
    return { ok: false, reason: 'X needs a keyword, phrase, #hashtag, @mention, from: or url: that every match contains' };
  }
  const value = part.text;
  if (value.length > maxLength) return { ok: false, reason: `the X rule would be ${value.length} characters; X allows ${maxLength}` };
  return { ok: true, value, exact: part.exact };
}
