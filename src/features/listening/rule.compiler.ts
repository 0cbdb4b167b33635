import type { CompilableRule, RuleLiteral, RuleNode } from './rule.types.ts';

/**
 * Turns every rule of every workspace into one set of flat tables for the matcher (rule.matcher.ts):
 * a dictionary of folded strings (words, hashtags, mentions, handles, languages, hosts) in an open-addressing hash
 * table, the literals each dictionary entry can complete, the rules each literal can make true, and a boolean
 * evaluator for every rule that is more than one literal.
 */

export const wordKind = 0;
export const hashtagKind = 1;
export const mentionKind = 2;
export const fromKind = 3;
export const langKind = 4;
export const urlKind = 5;

export const hashPrime = 0x01000193;

/** The starting hash of a dictionary kind; each UTF-16 unit then goes through `hashStep`. */
export function hashSeed(kind: number): number {
  return (0x811c9dc5 ^ Math.imul(kind + 1, 0x9e3779b1)) | 0;
}

export function hashStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, hashPrime);
}

/** Final avalanche (murmur3 fmix32) so that the low bits used as the slot are well mixed. */
export function hashFinish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export function hashString(kind: number, s: string): number {
  let h = hashSeed(kind);
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return hashFinish(h);
}

/** Read by the per-rule evaluators: literal `l` is present in the current post when `litGen[l] === gen`. */
export interface EvalState {
  litGen: Int32Array;
  gen: number;
  isReply: boolean;
  isRepost: boolean;
}

export type RuleEvaluator = (state: EvalState) => boolean;

export interface RuleTables {
  ruleIds: string[];
  workspaceIndex: Map<string, number>;
  /** Per rule: its workspace's index. */
  ruleWorkspace: Int32Array;
  /** Per rule: 1 when the rule is a single literal, true as soon as the literal is seen. */
  ruleSimple: Uint8Array;
  /** Per rule: the evaluator of a rule that is not simple. */
  ruleEval: (RuleEvaluator | null)[];
  /** Per workspace index: rules that may hold with no indexed literal present (`-spam`, `is:reply`). */
  alwaysCheck: Int32Array[];
  // dictionary
  slotMask: number;
  /** Open addressing, two ints per slot: [hash, entry id + 1]; an entry of 0 is an empty slot. */
  slots: Int32Array;
  /** 2^17 bits: bit `(hash >>> 12) & 0x1ffff` is set for every word entry (a one-hash Bloom filter). */
  wordFilter: Int32Array;
  entryKind: Uint8Array;
  entryCharStart: Int32Array;
  entryChars: Uint16Array;
  /** CSR: the literals entry e completes are entryLits[entryLitStart[e] .. entryLitStart[e + 1]). */
  entryLitStart: Int32Array;
  entryLits: Int32Array;
  // literals
  literalCount: number;
  /** Number of words of a words literal (0 for other kinds). */
  litLen: Int32Array;
  litWordStart: Int32Array;
  /** Entry ids of the words of each words literal. */
  litWords: Int32Array;
  /** The path prefix of url literals ('' for any path). */
  litPath: string[];
  /** CSR: rules a literal can make true (those where it occurs without negation). */
  litRuleStart: Int32Array;
  litRules: Int32Array;
  hasKind: boolean[];
}

interface LiteralInfo {
  id: number;
  literal: RuleLiteral;
  rules: number[];
}

function literalKey(lit: RuleLiteral): string {
  switch (lit.kind) {
    case 'words':
      return `w\u0000${lit.words.join('\u0000')}`;
    case 'hashtag':
      return `h\u0000${lit.tag}`;
    case 'mention':
      return `m\u0000${lit.handle}`;
    case 'from':
      return `f\u0000${lit.handle}`;
    case 'lang':
      return `l\u0000${lit.code}`;
    case 'is':
      return `i\u0000${lit.what}`;
    case 'url':
      return `u\u0000${lit.host}\u0000${lit.path}`;
    default: {
      const never: never = lit;
      return String(never);
    }
  }
}

/** Evaluates a rule with every indexed literal absent, for each value of the post flags. */
function holdsWithoutLiterals(node: RuleNode, isReply: boolean, isRepost: boolean): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => holdsWithoutLiterals(c, isReply, isRepost));
    case 'or':
      return node.children.some((c) => holdsWithoutLiterals(c, isReply, isRepost));
    case 'not':
      return !holdsWithoutLiterals(node.child, isReply, isRepost);
    case 'is':
      return node.what === 'reply' ? isReply : isRepost;
    default:
      return false;
  }
}

function mayHoldWithoutLiterals(node: RuleNode): boolean {
  return [false, true].some((reply) => [false, true].some((repost) => holdsWithoutLiterals(node, reply, repost)));
}

class DictionaryBuilder {
  readonly keys = new Map<string, number>();
  readonly kinds: number[] = [];
  readonly strings: string[] = [];
  readonly lits: number[][] = [];

  entry(kind: number, value: string): number {
    const key = `${kind}\u0000${value}`;
    let id = this.keys.get(key);
    if (id === undefined) {
      id = this.kinds.length;
      this.keys.set(key, id);
      this.kinds.push(kind);
      this.strings.push(value);
      this.lits.push([]);
    }
    return id;
  }
}

/** Compiles rules of many workspaces into one structure; the matcher only reads it, so a new one can be swapped in. */
export function compileRuleTables(rules: readonly CompilableRule[]): RuleTables {
  const workspaceIndex = new Map<string, number>();
  const literals = new Map<string, LiteralInfo>();
  const literalList: LiteralInfo[] = [];
  const ruleWorkspace = new Int32Array(rules.length);
  const ruleSimple = new Uint8Array(rules.length);
  const ruleEval: (RuleEvaluator | null)[] = [];
  const alwaysLists: number[][] = [];

  const literalOf = (lit: RuleLiteral): LiteralInfo => {
    const key = literalKey(lit);
    let info = literals.get(key);
    if (!info) {
      info = { id: literalList.length, literal: lit, rules: [] };
      literals.set(key, info);
      literalList.push(info);
    }
    return info;
  };

  // Collects the literals; `positive` is false under an odd number of negations.
  const compileNode = (node: RuleNode, rule: number, positive: boolean): RuleEvaluator => {
    switch (node.kind) {
      case 'and': {
        const parts = node.children.map((c) => compileNode(c, rule, positive));
        return (s) => {
          for (const part of parts) if (!part(s)) return false;
          return true;
        };
      }
      case 'or': {
        const parts = node.children.map((c) => compileNode(c, rule, positive));
        return (s) => {
          for (const part of parts) if (part(s)) return true;
          return false;
        };
      }
      case 'not': {
        const inner = compileNode(node.child, rule, !positive);
        return (s) => !inner(s);
      }
      case 'is':
        return node.what === 'reply' ? (s) => s.isReply : (s) => s.isRepost;
      default: {
        const info = literalOf(node);
        if (positive && info.rules[info.rules.length - 1] !== rule) info.rules.push(rule);
        const l = info.id;
        return (s) => s.litGen[l] === s.gen;
      }
    }
  };

  rules.forEach((rule, r) => {
    let ws = workspaceIndex.get(rule.workspaceId);
    if (ws === undefined) {
      ws = workspaceIndex.size;
      workspaceIndex.set(rule.workspaceId, ws);
      alwaysLists.push([]);
    }
    ruleWorkspace[r] = ws;
    const evaluator = compileNode(rule.rule, r, true);
    const simple = rule.rule.kind !== 'and' && rule.rule.kind !== 'or' && rule.rule.kind !== 'not' && rule.rule.kind !== 'is';
    ruleSimple[r] = simple ? 1 : 0;
    ruleEval.push(simple ? null : evaluator);
    if (mayHoldWithoutLiterals(rule.rule)) alwaysLists[ws].push(r);
  });

  const dict = new DictionaryBuilder();
  const litLen = new Int32Array(literalList.length);
  const litWordStart = new Int32Array(literalList.length);
  const litWords: number[] = [];
  const litPath: string[] = new Array<string>(literalList.length).fill('');
  const hasKind = [false, false, false, false, false, false];
  for (const info of literalList) {
    const lit = info.literal;
    let entry: number;
    switch (lit.kind) {
      case 'words': {
        litLen[info.id] = lit.words.length;
        litWordStart[info.id] = litWords.length;
        for (const word of lit.words) litWords.push(dict.entry(wordKind, word));
        entry = litWords[litWords.length - 1];
        break;
      }
      case 'hashtag':
        entry = dict.entry(hashtagKind, lit.tag);
        break;
      case 'mention':
        entry = dict.entry(mentionKind, lit.handle);
        break;
      case 'from':
        entry = dict.entry(fromKind, lit.handle);
        break;
      case 'lang':
        entry = dict.entry(langKind, lit.code);
        break;
      case 'url':
        entry = dict.entry(urlKind, lit.host);
        litPath[info.id] = lit.path;
        break;
      case 'is':
        continue;
      default: {
        const never: never = lit;
        throw new Error(`unknown literal ${String(never)}`);
      }
    }
    hasKind[dict.kinds[entry]] = true;
    dict.lits[entry].push(info.id);
  }

  const entryCount = dict.kinds.length;
  let capacity = 16;
  while (capacity < entryCount * 2) capacity *= 2;
  const slots = new Int32Array(capacity * 2);
  const wordFilter = new Int32Array(1 << 12);
  const entryKind = new Uint8Array(entryCount);
  const entryCharStart = new Int32Array(entryCount + 1);
  let totalChars = 0;
  for (const s of dict.strings) totalChars += s.length;
  const entryChars = new Uint16Array(totalChars);
  const entryLitStart = new Int32Array(entryCount + 1);
  let litRefs = 0;
  for (const l of dict.lits) litRefs += l.length;
  const entryLits = new Int32Array(litRefs);
  let charPos = 0;
  let litPos = 0;
  for (let e = 0; e < entryCount; e++) {
    const s = dict.strings[e];
    entryKind[e] = dict.kinds[e];
    entryCharStart[e] = charPos;
    for (let i = 0; i < s.length; i++) entryChars[charPos++] = s.charCodeAt(i);
    entryLitStart[e] = litPos;
    for (const l of dict.lits[e]) entryLits[litPos++] = l;
    const h = hashString(dict.kinds[e], s);
    if (dict.kinds[e] === wordKind) {
      const bit = (h >>> 12) & 0x1ffff;
      wordFilter[bit >>> 5] |= 1 << (bit & 31);
    }
    let slot = h & (capacity - 1);
    while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & (capacity - 1);
    slots[slot * 2] = h;
    slots[slot * 2 + 1] = e + 1;
  }
  entryCharStart[entryCount] = charPos;
  entryLitStart[entryCount] = litPos;

  const litRuleStart = new Int32Array(literalList.length + 1);
  let ruleRefs = 0;
  for (const info of literalList) ruleRefs += info.rules.length;
  const litRules = new Int32Array(ruleRefs);
  let rulePos = 0;
  for (const info of literalList) {
    litRuleStart[info.id] = rulePos;
    for (const r of info.rules) litRules[rulePos++] = r;
  }
  litRuleStart[literalList.length] = rulePos;

  return {
    ruleIds: rules.map((r) => r.id),
    workspaceIndex,
    ruleWorkspace,
    ruleSimple,
    ruleEval,
    alwaysCheck: alwaysLists.map((l) => Int32Array.from(l)),
    slotMask: capacity - 1,
    slots,
    wordFilter,
    entryKind,
    entryCharStart,
    entryChars,
    entryLitStart,
    entryLits,
    literalCount: literalList.length,
    litLen,
    litWordStart,
    litWords: Int32Array.from(litWords),
    litPath,
    litRuleStart,
    litRules,
    hasKind,
  };
}
