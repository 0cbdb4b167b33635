/**
 * Text folding and character classes shared by the rule parser and the matcher (see docs/LISTENING.md).
 *
 * Folding is per code point: compatibility decomposition (NFKD), Latin/Greek/Cyrillic diacritics and the optional
 * Hebrew and Arabic vowel marks dropped, lower case, a few letters that do not decompose spelled out (ß → ss,
 * ø → o, …), final sigma as sigma. Hangul syllables are kept whole. Folding is idempotent.
 *
 * Word characters are Unicode letters, digits, marks and `_`. Scripts written without spaces (Han, Hiragana,
 * Katakana, Hangul, Thai, Lao, Khmer, Myanmar) make one token per character, so terms in them match as substrings.
 */

/** A character that separates tokens. */
export const boundaryClass = 0;
/** A letter, digit or `_` that continues (or starts) a word token. */
export const wordClass = 1;
/** A character of a script without spaces: a token by itself (marks after it still attach). */
export const singleClass = 2;
/** A kept combining mark: attaches to the token before it, ignored after a boundary. */
export const markClass = 3;
/** A dropped diacritic: vanishes from the folded text. */
export const dropClass = 4;
/** A character that folds to several characters (ß, ﬁ, …): the matcher folds such a post whole. */
export const expandClass = 5;
/** First half of a surrogate pair: classify the code point with `astralClassOf`. */
export const highSurrogateClass = 6;
/** Second half of a surrogate pair. */
export const lowSurrogateClass = 7;
/** `#`: a boundary that may start a hashtag. */
export const hashClass = 8;
/** `@`: a boundary that may start (or continue) a mention. */
export const atClass = 9;
/** `.` and `-`: boundaries that may sit inside a mention. */
export const mentionPunctClass = 10;
/** An astral code point whose folding changes it (𝐀 → a): the matcher folds such a post whole. */
export const complexClass = 11;

const noSpaceScripts =
  '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}';
/** A letter or digit of a script without spaces. */
export const singleCharSet = `[[${noSpaceScripts}]&&[\\p{L}\\p{N}]]`;
/** A letter, digit or `_` of the other scripts. */
export const wordCharSet = `[[\\p{L}\\p{N}_]--${singleCharSet}]`;

const singlePattern = new RegExp(`^${singleCharSet}$`, 'v');
const wordPattern = new RegExp(`^${wordCharSet}$`, 'v');
const markPattern = /^\p{M}$/u;

// Diacritics that only decorate a letter: dropped, so `café` matches `cafe` and `Ĳssel` matches `ijssel`.
const droppableRanges: readonly [number, number][] = [
  [0x0300, 0x036f], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x20d0, 0x20ff], [0xfe20, 0xfe2f],
  [0x0591, 0x05c7], [0x064b, 0x065f], [0x0670, 0x0670], [0x06d6, 0x06ed],
];

function isDroppableMark(cp: number, ch: string): boolean {
  if (!markPattern.test(ch)) return false;
  for (const [lo, hi] of droppableRanges) if (cp >= lo && cp <= hi) return true;
  return false;
}

// Letters that NFKD leaves alone but that searchers type without their stroke or ligature.
const spelledOut = new Map<string, string>([
  ['ß', 'ss'], ['ẞ', 'ss'], ['æ', 'ae'], ['œ', 'oe'], ['ø', 'o'], ['đ', 'd'], ['ł', 'l'], ['ħ', 'h'],
  ['ı', 'i'], ['þ', 'th'], ['ð', 'd'], ['ŧ', 't'], ['ς', 'σ'],
]);

/** Folds one code point (see the module comment). */
export function foldCodePoint(cp: number): string {
  if (cp >= 0xac00 && cp <= 0xd7a3) return String.fromCharCode(cp);
  let out = '';
  for (const ch of String.fromCodePoint(cp).normalize('NFKD')) {
    const c = ch.codePointAt(0) ?? 0;
    if (isDroppableMark(c, ch)) continue;
    const lower = ch.toLowerCase();
    out += spelledOut.get(lower) ?? lower;
  }
  return out;
}

/** The class of one folded code point. */
export function classOfFolded(ch: string): number {
  if (ch === '#') return hashClass;
  if (ch === '@') return atClass;
  if (ch === '.' || ch === '-') return mentionPunctClass;
  if (singlePattern.test(ch)) return singleClass;
  if (wordPattern.test(ch)) return wordClass;
  if (markPattern.test(ch)) return markClass;
  return boundaryClass;
}

export interface FoldTables {
  /** For each UTF-16 unit: the folded unit (valid when the class is not drop, expand or a surrogate). */
  fold: Uint16Array;
  /** For each UTF-16 unit: the class of its folded form. */
  cls: Uint8Array;
  /** `cls << 16 | fold` for each unit: one load on the matcher's hot path. */
  packed: Uint32Array;
}

let tables: FoldTables | null = null;

/** The BMP folding tables, built once per process (about 65k code points; tens of milliseconds). */
export function foldTables(): FoldTables {
  if (tables) return tables;
  const fold = new Uint16Array(0x10000);
  const cls = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      // surrogates stay as they are; the pair is classified as its code point
      cls[c] = c <= 0xdbff ? highSurrogateClass : lowSurrogateClass;
      fold[c] = c;
      continue;
    }
    const folded = foldCodePoint(c);
    if (folded.length === 0) {
      cls[c] = dropClass;
    } else if (folded.length === 1) {
      fold[c] = folded.charCodeAt(0);
      cls[c] = classOfFolded(folded);
    } else {
      cls[c] = expandClass;
    }
  }
  const packed = new Uint32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) packed[c] = (cls[c] << 16) | fold[c];
  tables = { fold, cls, packed };
  return tables;
}

const astralClasses = new Map<number, number>();

/** The class of an astral code point, or `complexClass` when folding changes it. Cached. */
export function astralClassOf(cp: number): number {
  const known = astralClasses.get(cp);
  if (known !== undefined) return known;
  const self = String.fromCodePoint(cp);
  const cls = foldCodePoint(cp) === self ? classOfFolded(self) : complexClass;
  astralClasses.set(cp, cls);
  return cls;
}

/** Folds a whole string code point by code point. */
export function foldText(text: string): string {
  const { fold, cls } = foldTables();
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x10000) {
      const k = cls[cp];
      if (k === dropClass) continue;
      if (k === expandClass) out += foldCodePoint(cp);
      else if (k === highSurrogateClass || k === lowSurrogateClass) out += ch;
      else out += String.fromCharCode(fold[cp]);
    } else {
      out += astralClassOf(cp) === complexClass ? foldCodePoint(cp) : ch;
    }
  }
  return out;
}

/** True for letters, digits, `_` and marks: the characters a hashtag or mention is made of. */
export function isWordish(cls: number): boolean {
  return cls === wordClass || cls === singleClass || cls === markClass;
}

function classOfCodePointIn(folded: string, i: number): { cls: number; width: number } {
  const cp = folded.codePointAt(i) ?? 0;
  const ch = String.fromCodePoint(cp);
  return { cls: classOfFolded(ch), width: ch.length };
}

/** Splits already folded text into word tokens: runs of word characters, one token per no-space-script letter. */
export function tokenizeFolded(folded: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let state: 'none' | 'word' | 'single' = 'none';
  for (let i = 0; i < folded.length; ) {
    const { cls, width } = classOfCodePointIn(folded, i);
    const ch = folded.slice(i, i + width);
    i += width;
    if (cls === wordClass) {
      if (state === 'single') {
        tokens.push(current);
        current = '';
      }
      current += ch;
      state = 'word';
    } else if (cls === singleClass) {
      if (state !== 'none') tokens.push(current);
      current = ch;
      state = 'single';
    } else if (cls === markClass) {
      if (state !== 'none') current += ch;
    } else if (state !== 'none') {
      tokens.push(current);
      current = '';
      state = 'none';
    }
  }
  if (state !== 'none') tokens.push(current);
  return tokens;
}

/** Folds and tokenizes: the words a bare term or a quoted phrase of a rule stands for. */
export function splitWords(text: string): string[] {
  return tokenizeFolded(foldText(text));
}

/** True when every code point of folded text is a word character (letters, digits, marks, `_`). */
export function isAllWordish(folded: string): boolean {
  if (folded.length === 0) return false;
  for (let i = 0; i < folded.length; ) {
    const { cls, width } = classOfCodePointIn(folded, i);
    if (!isWordish(cls)) return false;
    i += width;
  }
  return true;
}

/** A mention or handle after folding: word characters, with `.`, `-` or `@` only between them. */
export function isHandle(folded: string): boolean {
  if (folded.length === 0) return false;
  let prevWordish = false;
  let first = true;
  for (let i = 0; i < folded.length; ) {
    const { cls, width } = classOfCodePointIn(folded, i);
    const wordish = isWordish(cls);
    if (!wordish && cls !== atClass && cls !== mentionPunctClass) return false;
    if (first && !wordish) return false;
    prevWordish = wordish;
    first = false;
    i += width;
  }
  return prevWordish;
}
