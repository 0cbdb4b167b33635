/** What a rule listens for; shown on matched posts and used by competitor watch. */
export const ruleTags = ['brand', 'product', 'competitor', 'other'] as const;
export type RuleTag = (typeof ruleTags)[number];

export const isValues = ['reply', 'repost'] as const;
export type IsValue = (typeof isValues)[number];

/**
 * A parsed rule. Word sequences, handles and tags are folded (lower case, no diacritics): a one-word `words` node is
 * a term, a longer one a phrase (consecutive tokens).
 */
export type RuleNode =
  | { kind: 'and'; children: RuleNode[] }
  | { kind: 'or'; children: RuleNode[] }
  | { kind: 'not'; child: RuleNode }
  | { kind: 'words'; words: string[] }
  | { kind: 'hashtag'; tag: string }
  | { kind: 'mention'; handle: string }
  | { kind: 'from'; handle: string }
  | { kind: 'lang'; code: string }
  | { kind: 'is'; what: IsValue }
  | { kind: 'url'; host: string; path: string };

export type RuleLiteral = Exclude<RuleNode, { kind: 'and' } | { kind: 'or' } | { kind: 'not' }>;

export interface RuleSyntaxError {
  /** The reason with its position, e.g. `unclosed quote at column 12`. */
  message: string;
  /** 1-based, in characters (code points) of the query. */
  column: number;
}

export type ParseResult = { ok: true; rule: RuleNode } | { ok: false; error: RuleSyntaxError };

/** A post as the matcher sees it. Optional fields are filled by connectors that know them. */
export interface MatchablePost {
  text: string;
  authorHandle: string | null;
  isReply: boolean;
  isRepost?: boolean;
  /** BCP 47 language tag from the platform (`en`, `pt-BR`). */
  lang?: string | null;
  /** Expanded link URLs; URLs written in the text are found too. */
  urls?: readonly string[];
  /** Hashtags and mentions the platform marked up (with or without `#`/`@`), in addition to those in the text. */
  hashtags?: readonly string[];
  mentions?: readonly string[];
}

/** A rule ready to compile. */
export interface CompilableRule {
  id: string;
  workspaceId: string;
  rule: RuleNode;
}
