import type { IsValue, ParseResult, RuleNode } from './rule.types.ts';
import { isValues } from './rule.types.ts';
import { foldText, isAllWordish, isHandle, splitWords } from './text.normalizer.ts';

export const maxQueryLength = 1000;
export const maxRuleDepth = 32;
export const maxRuleLiterals = 200;

type Token =
  | { type: 'lparen' | 'rparen' | 'or' | 'and' | 'minus' | 'end'; at: number }
  | { type: 'phrase' | 'atom'; at: number; text: string };

class SyntaxFailure extends Error {
  readonly at: number;
  constructor(reason: string, at: number) {
    super(reason);
    this.at = at;
  }
}

const operatorNames = ['from', 'lang', 'is', 'url'] as const;

function isSpace(ch: string): boolean {
  return /^\s$/u.test(ch);
}

function lex(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i];
    if (isSpace(ch)) {
      i++;
    } else if (ch === '(') {
      tokens.push({ type: 'lparen', at: i++ });
    } else if (ch === ')') {
      tokens.push({ type: 'rparen', at: i++ });
    } else if (ch === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) throw new SyntaxFailure('unclosed quote', i);
      tokens.push({ type: 'phrase', at: i, text: query.slice(i + 1, close) });
      i = close + 1;
    } else if (ch === '-') {
      const next = query[i + 1];
      if (next === undefined || isSpace(next) || next === ')') {
        throw new SyntaxFailure("'-' must be followed directly by what to exclude", i);
      }
      if (next === '-') throw new SyntaxFailure("'--' is not allowed: exclude once", i);
      tokens.push({ type: 'minus', at: i++ });
    } else {
      const start = i;
      while (i < query.length && !isSpace(query[i]) && query[i] !== '(' && query[i] !== ')' && query[i] !== '"') i++;
      const text = query.slice(start, i);
      if (text === 'OR') tokens.push({ type: 'or', at: start });
      else if (text === 'AND') tokens.push({ type: 'and', at: start });
      else tokens.push({ type: 'atom', at: start, text });
    }
  }
  tokens.push({ type: 'end', at: query.length });
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private literals = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parseQuery(): RuleNode {
    const first = this.peek();
    if (first.type === 'end') throw new SyntaxFailure('the rule is empty', 0);
    const rule = this.parseOr();
    const rest = this.peek();
    if (rest.type === 'rparen') throw new SyntaxFailure("unmatched ')'", rest.at);
    if (rest.type !== 'end') throw new SyntaxFailure('unexpected text', rest.at);
    return rule;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private parseOr(): RuleNode {
    const children: RuleNode[] = [];
    const lead = this.peek();
    if (lead.type === 'or') throw new SyntaxFailure('OR needs something to match before it', lead.at);
    children.push(this.parseAnd());
    while (this.peek().type === 'or') {
      const or = this.next();
      const after = this.peek();
      if (after.type === 'end' || after.type === 'rparen' || after.type === 'or') {
        throw new SyntaxFailure('OR needs something to match after it', or.at);
      }
      children.push(this.parseAnd());
    }
    return combine('or', children);
  }

  private parseAnd(): RuleNode {
    const children: RuleNode[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type === 'end' || token.type === 'rparen' || token.type === 'or') break;
      if (token.type === 'and') {
        this.next();
        const after = this.peek();
        if (children.length === 0) throw new SyntaxFailure('AND needs something to match before it', token.at);
        if (after.type === 'end' || after.type === 'rparen' || after.type === 'or' || after.type === 'and') {
          throw new SyntaxFailure('AND needs something to match after it', token.at);
        }
        continue;
      }
      children.push(this.parseUnary());
    }
    return combine('and', children);
  }

  private parseUnary(): RuleNode {
    const token = this.peek();
    if (token.type === 'minus') {
      this.next();
      return { kind: 'not', child: this.parsePrimary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): RuleNode {
    const token = this.next();
    switch (token.type) {
      case 'lparen': {
        if (this.peek().type === 'rparen') throw new SyntaxFailure('empty parentheses', token.at);
        this.depth++;
        if (this.depth > maxRuleDepth) throw new SyntaxFailure(`parentheses nested deeper than ${maxRuleDepth}`, token.at);
        const inner = this.parseOr();
        if (this.peek().type !== 'rparen') throw new SyntaxFailure("unclosed '('", token.at);
        this.next();
        this.depth--;
        return inner;
      }
      case 'phrase': {
        this.countLiteral(token.at);
        const words = splitWords(token.text);
        if (words.length === 0) throw new SyntaxFailure('the phrase has no letters or digits to match', token.at);
        return { kind: 'words', words };
      }
      case 'atom':
        this.countLiteral(token.at);
        return parseAtom(token.text, token.at);
      case 'rparen':
        throw new SyntaxFailure("unmatched ')'", token.at);
      case 'or':
      case 'and':
        throw new SyntaxFailure(`${token.type.toUpperCase()} cannot follow '-'`, token.at);
      case 'minus':
        throw new SyntaxFailure("'--' is not allowed: exclude once", token.at);
      case 'end':
        throw new SyntaxFailure('the rule ends too early', token.at);
      default: {
        const never: never = token;
        throw new SyntaxFailure(`unexpected token ${String(never)}`, 0);
      }
    }
  }

  private countLiteral(at: number): void {
    this.literals++;
    if (this.literals > maxRuleLiterals) throw new SyntaxFailure(`a rule may have at most ${maxRuleLiterals} terms`, at);
  }
}

function combine(kind: 'and' | 'or', children: RuleNode[]): RuleNode {
  const flat: RuleNode[] = [];
  for (const child of children) {
    if (child.kind === kind) flat.push(...child.children);
    else flat.push(child);
  }
  return flat.length === 1 ? flat[0] : { kind, children: flat };
}

function parseAtom(text: string, at: number): RuleNode {
  if (text.startsWith('#')) {
    const tag = foldText(text.slice(1));
    if (!isAllWordish(tag)) throw new SyntaxFailure('a hashtag is letters, digits and _ after #', at);
    return { kind: 'hashtag', tag };
  }
  if (text.startsWith('@')) {
    const handle = foldText(text.slice(1));
    if (!isHandle(handle)) throw new SyntaxFailure('a mention is a handle after @ (letters, digits, _ and inner . - @)', at);
    return { kind: 'mention', handle };
  }
  const operator = /^([A-Za-z]+):/.exec(text);
  if (operator) {
    const name = operator[1].toLowerCase();
    const value = text.slice(operator[0].length);
    const valueAt = at + operator[0].length;
    if (!isOperatorName(name)) {
      throw new SyntaxFailure(
        `unknown operator '${operator[1]}:' (use from:, lang:, is: or url:, or quote the text to match it)`,
        at,
      );
    }
    if (value.length === 0) throw new SyntaxFailure(`${name}: needs a value`, valueAt);
    return parseOperator(name, value, valueAt);
  }
  const words = splitWords(text);
  if (words.length === 0) throw new SyntaxFailure(`'${text}' has no letters or digits to match`, at);
  return { kind: 'words', words };
}

function isOperatorName(name: string): name is (typeof operatorNames)[number] {
  return (operatorNames as readonly string[]).includes(name);
}

function isIsValue(value: string): value is IsValue {
  return (isValues as readonly string[]).includes(value);
}

function parseOperator(name: (typeof operatorNames)[number], value: string, at: number): RuleNode {
  switch (name) {
    case 'from': {
      const handle = foldText(value.startsWith('@') ? value.slice(1) : value);
      if (!isHandle(handle)) throw new SyntaxFailure('from: needs a handle (letters, digits, _ and inner . - @)', at);
      return { kind: 'from', handle };
    }
    case 'lang': {
      const code = normalizeLang(value);
      if (!/^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/.test(code)) throw new SyntaxFailure('lang: needs a language code such as en or pt-BR', at);
      return { kind: 'lang', code };
    }
    case 'is': {
      const what = value.toLowerCase();
      if (!isIsValue(what)) throw new SyntaxFailure(`is: must be one of ${isValues.join(', ')}`, at);
      return { kind: 'is', what };
    }
    case 'url': {
      const parsed = parseUrlValue(value);
      if (!parsed) throw new SyntaxFailure('url: needs a domain, optionally with a path (example.com/help)', at);
      return { kind: 'url', ...parsed };
    }
    default: {
      const never: never = name;
      throw new SyntaxFailure(`unknown operator ${String(never)}`, at);
    }
  }
}

/** Lower case, `_` as `-`: `pt_BR` → `pt-br`. */
export function normalizeLang(lang: string): string {
  return lang.trim().toLowerCase().replace(/_/g, '-');
}

/** Host without `www.` and a path prefix without trailing `/`, both lower case; null when it is not a host. */
export function parseUrlValue(value: string): { host: string; path: string } | null {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#\s:@]+)(?::\d+)?(\/[^?#\s]*)?$/i.exec(value.trim());
  if (!m) return null;
  const host = m[1].toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
  if (!/^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*$/u.test(host)) return null;
  const path = (m[2] ?? '').toLowerCase().replace(/\/+$/, '');
  return { host, path };
}

function columnOf(query: string, at: number): number {
  let column = 1;
  for (let i = 0; i < at && i < query.length; i++) {
    const c = query.charCodeAt(i);
    // the second half of a surrogate pair does not start a new character
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && query.charCodeAt(i - 1) >= 0xd800 && query.charCodeAt(i - 1) <= 0xdbff)) column++;
  }
  return column;
}

/** Parses a monitoring rule (grammar in docs/LISTENING.md); a malformed rule reports the column of the problem. */
export function parseRule(query: string): ParseResult {
  if (query.length > maxQueryLength) {
    const column = columnOf(query, maxQueryLength);
    return { ok: false, error: { message: `the rule is longer than ${maxQueryLength} characters at column ${column}`, column } };
  }
  try {
    return { ok: true, rule: new Parser(lex(query)).parseQuery() };
  } catch (error) {
    if (!(error instanceof SyntaxFailure)) throw error;
    const column = columnOf(query, error.at);
    return { ok: false, error: { message: `${error.message} at column ${column}`, column } };
  }
}

function printLiteralWords(words: string[]): string {
  return words.length === 1 ? words[0] : `"${words.join(' ')}"`;
}

/** Prints a rule in the canonical form `parseRule` reads back to the same tree. */
export function printRule(node: RuleNode): string {
  switch (node.kind) {
    case 'and':
      return node.children.map((c) => (c.kind === 'or' ? `(${printRule(c)})` : printRule(c))).join(' ');
    case 'or':
      return node.children.map((c) => printRule(c)).join(' OR ');
    case 'not':
      return node.child.kind === 'and' || node.child.kind === 'or' || node.child.kind === 'not'
        ? `-(${printRule(node.child)})`
        : `-${printRule(node.child)}`;
    case 'words':
      return printLiteralWords(node.words);
    case 'hashtag':
      return `#${node.tag}`;
    case 'mention':
      return `@${node.handle}`;
    case 'from':
      return `from:${node.handle}`;
    case 'lang':
      return `lang:${node.code}`;
    case 'is':
      return `is:${node.what}`;
    case 'url':
      return `url:${node.host}${node.path}`;
    default: {
      const never: never = node;
      return String(never);
    }
  }
}
