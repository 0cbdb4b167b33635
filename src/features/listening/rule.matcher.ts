import type { CompilableRule, MatchablePost } from './rule.types.ts';
import type { EvalState, RuleTables } from './rule.compiler.ts';
import {
  compileRuleTables, fromKind, hashFinish, hashPrime, hashSeed, hashStep, hashString, hashtagKind, langKind, mentionKind, urlKind, wordKind,
} from './rule.compiler.ts';
import {
  astralClassOf, atClass, boundaryClass, complexClass, dropClass, foldTables, foldText, hashClass,
  highSurrogateClass, lowSurrogateClass, markClass, mentionPunctClass, singleClass, wordClass,
} from './text.normalizer.ts';
import { normalizeLang } from './rule.parser.ts';
import { extractUrls, parsePostUrl } from './url.extractor.ts';

const stateNone = 0;
const stateWord = 1;
const stateSingle = 2;
const wordSeed = hashSeed(wordKind);

/**
 * All rules of all workspaces in one structure. A post is read once: folded and tokenized in a single pass over its
 * UTF-16 units with per-unit tables, each token hashed as it is read and looked up in one hash table; phrases are
 * checked backwards from their last word by comparing word ids; only rules with a literal present (plus the few
 * that can hold without any, like `-spam`) are evaluated. The scan allocates nothing for ordinary posts.
 *
 * Not safe for concurrent use (its scratch buffers are reused), which JavaScript's one thread guarantees.
 */
export class RuleMatcher implements EvalState {
  readonly ruleCount: number;
  /** After `scan`: the indexes of the matched rules in `results[0 .. count)`. */
  readonly results: Int32Array;
  litGen: Int32Array;
  gen = 0;
  isReply = false;
  isRepost = false;

  private readonly t: RuleTables;
  private readonly charTable: Uint32Array;
  private readonly slots: Int32Array;
  private readonly slotMask: number;
  private readonly entryKind: Uint8Array;
  private readonly wordFilter: Int32Array;
  private readonly hashtagsWanted: boolean;
  private readonly mentionsWanted: boolean;
  private readonly ruleGen: Int32Array;
  private readonly candGen: Int32Array;
  private readonly cand: Int32Array;
  private buf = new Uint16Array(1024);
  private tokTerm = new Int32Array(1024);
  private spans = new Int32Array(48);
  private spanCount = 0;
  private ntok = 0;
  private textUnits = 0;
  private nOut = 0;
  private nCand = 0;
  private ws = -1;

  constructor(tables: RuleTables) {
    this.t = tables;
    this.ruleCount = tables.ruleIds.length;
    this.charTable = foldTables().packed;
    this.slots = tables.slots;
    this.slotMask = tables.slotMask;
    this.entryKind = tables.entryKind;
    this.wordFilter = tables.wordFilter;
    this.hashtagsWanted = tables.hasKind[hashtagKind];
    this.mentionsWanted = tables.hasKind[mentionKind];
    this.results = new Int32Array(this.ruleCount);
    this.cand = new Int32Array(this.ruleCount);
    this.ruleGen = new Int32Array(this.ruleCount);
    this.candGen = new Int32Array(this.ruleCount);
    this.litGen = new Int32Array(tables.literalCount);
  }

  /** The index of a workspace that has enabled rules, or -1. */
  workspaceIndexOf(workspaceId: string): number {
    return this.t.workspaceIndex.get(workspaceId) ?? -1;
  }

  ruleIdAt(index: number): string {
    return this.t.ruleIds[index];
  }

  /** Ids of the rules of `workspaceId` the post satisfies, in rule order. */
  matchIds(post: MatchablePost, workspaceId: string): string[] {
    const ws = this.workspaceIndexOf(workspaceId);
    if (ws < 0) return [];
    const count = this.scan(post, ws);
    if (count === 0) return [];
    const hits = Array.from(this.results.subarray(0, count)).sort((a, b) => a - b);
    return hits.map((r) => this.t.ruleIds[r]);
  }

  /**
   * Scans one post for the rules of workspace index `ws` (-1: every workspace). Returns how many matched; their
   * indexes are in `results`.
   */
  scan(post: MatchablePost, ws: number): number {
    this.begin(ws, post);
    this.scanText(post.text, true);
    this.scanPostFields(post);
    return this.finish();
  }

  private begin(ws: number, post: MatchablePost): void {
    this.gen++;
    if (this.gen === 0x7fffffff) {
      this.gen = 1;
      this.litGen.fill(0);
      this.ruleGen.fill(0);
      this.candGen.fill(0);
    }
    this.ws = ws;
    this.ntok = 0;
    this.nOut = 0;
    this.nCand = 0;
    this.spanCount = 0;
    this.isReply = post.isReply;
    this.isRepost = post.isRepost === true;
  }

  private grow(units: number): void {
    let size = this.buf.length;
    while (size < units) size *= 2;
    if (size === this.buf.length) return;
    const buf = new Uint16Array(size);
    buf.set(this.buf);
    this.buf = buf;
    const tok = new Int32Array(size);
    tok.set(this.tokTerm);
    this.tokTerm = tok;
  }

  // The hot loop: fold, tokenize and hash one UTF-16 unit at a time; `#` and `@` are only noted here.
  private scanText(text: string, mayRefold: boolean): void {
    const len = text.length;
    if (this.buf.length < len + 8) this.grow(len + 8);
    const buf = this.buf;
    const table = this.charTable;
    const hashtagsWanted = this.hashtagsWanted;
    const mentionsWanted = this.mentionsWanted;
    let n = 0;
    let state = stateNone;
    let tokStart = 0;
    let h = 0;
    let lowContinues = false;
    for (let i = 0; i < len; i++) {
      const entry = table[text.charCodeAt(i)];
      const cls = entry >>> 16;
      const u = entry & 0xffff;
      if (cls === wordClass) {
        if (state !== stateWord) {
          if (state === stateSingle) this.closeWord(tokStart, n, h);
          tokStart = n;
          h = wordSeed;
          state = stateWord;
        }
        h = Math.imul(h ^ u, hashPrime);
        buf[n++] = u;
      } else if (cls === boundaryClass) {
        if (state !== stateNone) {
          this.closeWord(tokStart, n, h);
          state = stateNone;
        }
        buf[n++] = u;
      } else if (cls === singleClass) {
        if (state !== stateNone) this.closeWord(tokStart, n, h);
        tokStart = n;
        h = Math.imul(wordSeed ^ u, hashPrime);
        state = stateSingle;
        buf[n++] = u;
      } else if (cls === markClass || (cls === lowSurrogateClass && lowContinues)) {
        // a kept mark, or the second half of a letter outside the BMP: extends the open token
        if (state !== stateNone) h = Math.imul(h ^ u, hashPrime);
        lowContinues = false;
        buf[n++] = u;
      } else if (cls === hashClass || cls === atClass || cls === mentionPunctClass || cls === lowSurrogateClass) {
        if (state !== stateNone) {
          this.closeWord(tokStart, n, h);
          state = stateNone;
        }
        if ((cls === hashClass && hashtagsWanted) || (cls === atClass && mentionsWanted)) this.pushSpan(cls, n, 0);
        buf[n++] = u;
      } else if (cls === highSurrogateClass) {
        const lo = i + 1 < len ? text.charCodeAt(i + 1) : 0;
        const astral = lo >= 0xdc00 && lo <= 0xdfff ? astralClassOf(((u - 0xd800) << 10) + (lo - 0xdc00) + 0x10000) : boundaryClass;
        if (astral === complexClass && mayRefold) {
          this.refold(text);
          return;
        }
        if (astral === wordClass) {
          if (state !== stateWord) {
            if (state === stateSingle) this.closeWord(tokStart, n, h);
            tokStart = n;
            h = wordSeed;
            state = stateWord;
          }
          h = Math.imul(h ^ u, hashPrime);
        } else if (astral === singleClass) {
          if (state !== stateNone) this.closeWord(tokStart, n, h);
          tokStart = n;
          h = Math.imul(wordSeed ^ u, hashPrime);
          state = stateSingle;
        } else if (astral === markClass) {
          if (state !== stateNone) h = Math.imul(h ^ u, hashPrime);
        } else if (state !== stateNone) {
          this.closeWord(tokStart, n, h);
          state = stateNone;
        }
        lowContinues = astral === wordClass || astral === singleClass || astral === markClass;
        buf[n++] = u;
      } else if (cls === dropClass) {
        // a diacritic: gone from the folded text
      } else if (mayRefold) {
        // A character that folds to several (ß, ﬁ, …): rare, so fold the whole post and read it again. Literals
        // already marked came from a prefix that reads the same, so keeping them is correct.
        this.refold(text);
        return;
      }
    }
    if (state !== stateNone) this.closeWord(tokStart, n, h);
    this.textUnits = n;
    if (this.spanCount > 0) this.lookupSpans();
  }

  private refold(text: string): void {
    this.ntok = 0;
    this.spanCount = 0;
    this.scanText(foldText(text), false);
  }

  // Most words are in no rule: a 16 KB bit filter (in L1 cache) settles those without touching the hash table.
  private closeWord(start: number, end: number, hash: number): void {
    const h = hashFinish(hash);
    const bit = (h >>> 12) & 0x1ffff;
    if (((this.wordFilter[bit >>> 5] >>> (bit & 31)) & 1) === 0) {
      this.tokTerm[this.ntok++] = -1;
      return;
    }
    this.lookupWord(h, start, end);
  }

  private lookupWord(h: number, start: number, end: number): void {
    const slots = this.slots;
    const mask = this.slotMask;
    let slot = h & mask;
    let term = -1;
    for (;;) {
      const e = slots[slot * 2 + 1];
      if (e === 0) break;
      if (slots[slot * 2] === h && this.entryKind[e - 1] === wordKind && this.sameUnits(e - 1, start, end)) {
        term = e - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    const tok = this.ntok++;
    this.tokTerm[tok] = term;
    if (term >= 0) this.onWord(term, tok);
  }

  private sameUnits(entry: number, start: number, end: number): boolean {
    const t = this.t;
    const from = t.entryCharStart[entry];
    if (t.entryCharStart[entry + 1] - from !== end - start) return false;
    const buf = this.buf;
    const chars = t.entryChars;
    for (let k = 0; k < end - start; k++) if (chars[from + k] !== buf[start + k]) return false;
    return true;
  }

  private onWord(term: number, tok: number): void {
    const t = this.t;
    const tokTerm = this.tokTerm;
    for (let k = t.entryLitStart[term]; k < t.entryLitStart[term + 1]; k++) {
      const l = t.entryLits[k];
      const len = t.litLen[l];
      if (len === 1) {
        this.mark(l);
        continue;
      }
      if (tok + 1 < len) continue;
      const words = t.litWordStart[l] + len - 1;
      let j = 1;
      while (j < len && tokTerm[tok - j] === t.litWords[words - j]) j++;
      if (j === len) this.mark(l);
    }
  }

  private mark(l: number): void {
    if (this.litGen[l] === this.gen) return;
    this.litGen[l] = this.gen;
    const t = this.t;
    const gen = this.gen;
    const ws = this.ws;
    for (let k = t.litRuleStart[l]; k < t.litRuleStart[l + 1]; k++) {
      const r = t.litRules[k];
      if (ws >= 0 && t.ruleWorkspace[r] !== ws) continue;
      if (t.ruleSimple[r] === 1) {
        if (this.ruleGen[r] !== gen) {
          this.ruleGen[r] = gen;
          this.results[this.nOut++] = r;
        }
      } else if (this.candGen[r] !== gen) {
        this.candGen[r] = gen;
        this.cand[this.nCand++] = r;
      }
    }
  }

  private pushSpan(kind: number, start: number, end: number): void {
    if (this.spanCount * 3 + 3 > this.spans.length) {
      const spans = new Int32Array(this.spans.length * 2);
      spans.set(this.spans);
      this.spans = spans;
    }
    const at = this.spanCount++ * 3;
    this.spans[at] = kind;
    this.spans[at + 1] = start;
    this.spans[at + 2] = end;
  }

  // The class of the folded unit at k, with surrogate pairs classified as their code point.
  private classAt(k: number): number {
    const buf = this.buf;
    const cls = this.charTable[buf[k]] >>> 16;
    if (cls === highSurrogateClass) {
      const lo = k + 1 < this.textUnits ? buf[k + 1] : 0;
      return lo >= 0xdc00 && lo <= 0xdfff ? astralClassOf(((buf[k] - 0xd800) << 10) + (lo - 0xdc00) + 0x10000) : boundaryClass;
    }
    if (cls === lowSurrogateClass) {
      const hi = k > 0 ? buf[k - 1] : 0;
      return hi >= 0xd800 && hi <= 0xdbff ? astralClassOf(((hi - 0xd800) << 10) + (buf[k] - 0xdc00) + 0x10000) : boundaryClass;
    }
    return cls;
  }

  private isWordishAt(k: number): boolean {
    const cls = this.classAt(k);
    return cls === wordClass || cls === singleClass || cls === markClass;
  }

  // `#` and `@` noted by the scan become hashtag and mention spans: `#` + a run of word characters; `@` + word
  // characters with inner `.`, `-` or `@` (the part before an inner `@` is looked up as well).
  private lookupSpans(): void {
    const found = this.spanCount;
    const end = this.textUnits;
    let mentionScanEnd = -1;
    for (let s = 0; s < found; s++) {
      const kind = this.spans[s * 3];
      const at = this.spans[s * 3 + 1];
      if (at > 0 && this.isWordishAt(at - 1)) continue;
      if (kind === hashClass) {
        let j = at + 1;
        while (j < end && this.isWordishAt(j)) j++;
        if (j > at + 1) this.lookupSpan(hashtagKind, at + 1, j);
        continue;
      }
      if (at < mentionScanEnd) continue;
      let j = at + 1;
      let last = -1;
      let inner = -1;
      while (j < end) {
        const cls = this.classAt(j);
        if (cls === wordClass || cls === singleClass || cls === markClass) last = j + 1;
        else if (last < 0 || (cls !== atClass && cls !== mentionPunctClass)) break;
        else if (cls === atClass && inner < 0) inner = j;
        j++;
      }
      mentionScanEnd = j;
      if (last < 0) continue;
      this.lookupSpan(mentionKind, at + 1, last);
      if (inner > at + 1 && inner < last) this.lookupSpan(mentionKind, at + 1, inner);
    }
  }

  private lookupSpan(kind: number, start: number, end: number): void {
    let h = hashSeed(kind);
    for (let k = start; k < end; k++) h = hashStep(h, this.buf[k]);
    const entry = this.findEntry(kind, hashFinish(h), (e) => this.sameUnits(e, start, end));
    if (entry >= 0) this.markEntry(entry);
  }

  private findEntry(kind: number, h: number, same: (entry: number) => boolean): number {
    const t = this.t;
    let slot = h & t.slotMask;
    for (;;) {
      const e = t.slots[slot * 2 + 1];
      if (e === 0) return -1;
      if (t.slots[slot * 2] === h && t.entryKind[e - 1] === kind && same(e - 1)) return e - 1;
      slot = (slot + 1) & t.slotMask;
    }
  }

  private findString(kind: number, value: string): number {
    const t = this.t;
    return this.findEntry(kind, hashString(kind, value), (e) => {
      const from = t.entryCharStart[e];
      if (t.entryCharStart[e + 1] - from !== value.length) return false;
      for (let k = 0; k < value.length; k++) if (t.entryChars[from + k] !== value.charCodeAt(k)) return false;
      return true;
    });
  }

  private markEntry(entry: number): void {
    const t = this.t;
    for (let k = t.entryLitStart[entry]; k < t.entryLitStart[entry + 1]; k++) this.mark(t.entryLits[k]);
  }

  private markString(kind: number, value: string): void {
    const entry = this.findString(kind, value);
    if (entry >= 0) this.markEntry(entry);
  }

  // Operators on the post's fields rather than its words: from:, lang:, url:.
  private scanPostFields(post: MatchablePost): void {
    const t = this.t;
    if (t.hasKind[fromKind] && post.authorHandle) this.markHandle(fromKind, post.authorHandle);
    if (t.hasKind[mentionKind] && post.mentions) for (const m of post.mentions) this.markHandle(mentionKind, m);
    if (t.hasKind[hashtagKind] && post.hashtags) {
      for (const tag of post.hashtags) {
        const folded = foldText(tag);
        this.markString(hashtagKind, folded.startsWith('#') ? folded.slice(1) : folded);
      }
    }
    if (t.hasKind[langKind] && post.lang) {
      const lang = normalizeLang(post.lang);
      this.markString(langKind, lang);
      for (let dash = lang.indexOf('-'); dash > 0; dash = lang.indexOf('-', dash + 1)) this.markString(langKind, lang.slice(0, dash));
    }
    if (t.hasKind[urlKind]) {
      const inText = extractUrls(post.text);
      const urls = post.urls && post.urls.length > 0 ? [...post.urls, ...inText] : inText;
      for (const raw of urls) this.markUrl(raw);
    }
  }

  // A handle matches itself and, for fediverse handles (`alice@host`), its local part.
  private markHandle(kind: number, raw: string): void {
    const folded = foldText(raw);
    const handle = folded.startsWith('@') ? folded.slice(1) : folded;
    this.markString(kind, handle);
    const at = handle.indexOf('@');
    if (at > 0) this.markString(kind, handle.slice(0, at));
  }

  private markUrl(raw: string): void {
    const url = parsePostUrl(raw);
    if (!url) return;
    const t = this.t;
    for (let host = url.host; host.length > 0; ) {
      const entry = this.findString(urlKind, host);
      if (entry >= 0) {
        for (let k = t.entryLitStart[entry]; k < t.entryLitStart[entry + 1]; k++) {
          const l = t.entryLits[k];
          const path = t.litPath[l];
          if (path === '' || url.path === path || url.path.startsWith(`${path}/`)) this.mark(l);
        }
      }
      const dot = host.indexOf('.');
      host = dot < 0 ? '' : host.slice(dot + 1);
    }
  }

  private finish(): number {
    const t = this.t;
    if (this.ws >= 0) this.addAlwaysCheck(t.alwaysCheck[this.ws]);
    else for (const list of t.alwaysCheck) this.addAlwaysCheck(list);
    for (let c = 0; c < this.nCand; c++) {
      const r = this.cand[c];
      const evaluate = t.ruleEval[r];
      if (this.ruleGen[r] !== this.gen && evaluate !== null && evaluate(this)) {
        this.ruleGen[r] = this.gen;
        this.results[this.nOut++] = r;
      }
    }
    return this.nOut;
  }

  private addAlwaysCheck(list: Int32Array | undefined): void {
    if (!list) return;
    for (let k = 0; k < list.length; k++) {
      const r = list[k];
      if (this.candGen[r] !== this.gen) {
        this.candGen[r] = this.gen;
        this.cand[this.nCand++] = r;
      }
    }
  }
}

/** Compiles rules of every workspace into one matcher. */
export function compileRules(rules: readonly CompilableRule[]): RuleMatcher {
  return new RuleMatcher(compileRuleTables(rules));
}
