import * as hashing from './feature.hash.ts';
import * as lexicon from './lexicon.data.ts';

// Module-local copies of the imports: under tsx every imported binding is read through a getter, which cost 16% of
// extraction time in the hot loops below.
const { combineHashes, finalizeHash, hashString } = hashing;
const { word: wordSeed, negatedWord: negatedSeed, bigram: bigramSeed, char: charSeed, meta: metaSeed } = hashing.featureSeeds;
const { intensifiers, negativeEmoji, negators, polarityLexicon, positiveEmoji } = lexicon;

/** How text becomes a sparse vector. Stored in every model file, so a model is always read with the features it was trained on. */
export interface FeatureConfig {
  /** Number of hash buckets, a power of two. */
  buckets: number;
  charMin: number;
  charMax: number;
  /** Scale of the character n-gram block relative to the word block. */
  charWeight: number;
  /** Scale of the dense tweet features: larger means they are regularised less than any single n-gram. */
  metaWeight: number;
  /** Longer texts are cut here: the first 2,000 characters decide the labels of even the longest email. */
  maxChars: number;
  /**
   * `word`: character n-grams of each token with a space at each end (" refund "), fastText-style, so a token's
   * whole character block can be looked up once per token at classification time. `text`: n-grams of the joined
   * normalised text, crossing token boundaries (generation-1 models).
   */
  charScope: 'word' | 'text';
}

export const defaultFeatureConfig: FeatureConfig = {
  buckets: 1 << 18, charMin: 3, charMax: 5, charWeight: 1, metaWeight: 1, maxChars: 2000, charScope: 'word',
};

/** Dense tweet features, by name. Their order is part of the model format: append only. */
export const metaFeatureNames = [
  'starts-with-mention', 'mentions', 'url', 'hashtags', 'all-caps-words', 'exclamations', 'questions', 'repeated-punct',
  'elongated-words', 'intensifiers', 'negations', 'lexicon-positive', 'lexicon-negative', 'emoji-positive', 'emoji-negative',
  'length-short', 'length-long', 'first-person', 'second-person', 'replacement-chars',
] as const;
export type MetaFeatureName = (typeof metaFeatureNames)[number];

// Where a feature came from, packed into one int so explanations can name the top features without building a
// string for every n-gram of every message.
const originKindShift = 2 ** 27;
const kinds = { word: 0, negated: 1, bigram: 2, char: 3, meta: 4, transfer: 5 } as const;
const transferNames = ['negative', 'neutral', 'positive'];

/** A sparse vector plus what is needed to name its features. Reused between calls to avoid garbage. */
export interface FeatureVector {
  length: number;
  indices: Int32Array;
  values: Float32Array;
  origins: Int32Array;
  tokens: string[];
  /** The lower-cased, normalised text the character n-grams were taken from (with a space at each end). */
  normalized: string;
}

export interface Token {
  /** Normalised form used for features. */
  norm: string;
  raw: string;
  kind: 'url' | 'mention' | 'hashtag' | 'word' | 'emoji' | 'emoticon' | 'punct';
}

const tokenPattern =
  /(https?:\/\/\S+|www\.\S+)|(@\w+)|(#[\p{L}\p{N}_]+)|([\p{L}\p{N}][\p{L}\p{N}_'’]*)|(\p{Extended_Pictographic}(?:\uFE0F)?(?:\u200D\p{Extended_Pictographic}\uFE0F?)*|\uFFFD+)|([:;=][-o']?[)(\][dDpP/|\\3*]|<3|>:\()|([!?.,;:]+)/gu;

function collapseElongation(word: string): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < word.length; i += 1) {
    const c = word[i];
    run = i > 0 && c === word[i - 1] ? run + 1 : 1;
    if (run <= 2) out += c;
  }
  return out;
}

function hasTripleRepeat(word: string): boolean {
  for (let i = 2; i < word.length; i += 1) {
    if (word.charCodeAt(i) === word.charCodeAt(i - 1) && word.charCodeAt(i) === word.charCodeAt(i - 2)) return true;
  }
  return false;
}

function isAllDigits(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return word.length > 0;
}

const tokenKinds = ['url', 'mention', 'hashtag', 'word', 'emoji', 'emoticon', 'punct'] as const;
const K_URL = 0, K_MENTION = 1, K_HASHTAG = 2, K_WORD = 3, K_EMOJI = 4, K_EMOTICON = 5, K_PUNCT = 6;
/** Codes of `TokenBuffer.kinds`. */
export const tokenKindCode = { url: K_URL, mention: K_MENTION, hashtag: K_HASHTAG, word: K_WORD, emoji: K_EMOJI, emoticon: K_EMOTICON, punct: K_PUNCT } as const;

/** Whether a token opens a negation scope ("not", "can't"): shared by the extractor and the fast scorer. */
export function isNegator(norm: string): boolean {
  return negators.has(norm) || norm.endsWith("n't");
}

/** Tokens of one message in parallel arrays, reused between messages so the hot path allocates no token objects. */
export interface TokenBuffer {
  count: number;
  norms: string[];
  raws: string[];
  kinds: Uint8Array;
}

export function createTokenBuffer(): TokenBuffer {
  return { count: 0, norms: [], raws: [], kinds: new Uint8Array(64) };
}

function pushToken(buffer: TokenBuffer, norm: string, raw: string, kind: number): void {
  const n = buffer.count;
  if (n === buffer.kinds.length) {
    const grown = new Uint8Array(n * 2);
    grown.set(buffer.kinds);
    buffer.kinds = grown;
  }
  buffer.norms[n] = norm;
  buffer.raws[n] = raw;
  buffer.kinds[n] = kind;
  buffer.count = n + 1;
}

/** Fills `buffer` with the tokens of `text`: URLs and mentions become placeholders, elongations are collapsed. */
export function scanTokens(text: string, buffer: TokenBuffer): TokenBuffer {
  buffer.count = 0;
  tokenPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = tokenPattern.exec(text)) !== null) {
    const raw = match[0];
    if (match[1] !== undefined) pushToken(buffer, '<url>', raw, K_URL);
    else if (match[2] !== undefined) pushToken(buffer, '@user', raw, K_MENTION);
    else if (match[3] !== undefined) pushToken(buffer, raw.toLowerCase(), raw, K_HASHTAG);
    else if (match[4] !== undefined) {
      let norm = raw.toLowerCase();
      if (norm.includes('’')) norm = norm.replace(/’/g, "'");
      if (isAllDigits(norm)) norm = norm.length <= 1 ? norm : '<num>';
      else if (hasTripleRepeat(norm)) norm = collapseElongation(norm);
      pushToken(buffer, norm, raw, K_WORD);
    } else if (match[5] !== undefined) pushToken(buffer, raw.charCodeAt(0) === 0xfffd ? '<?>' : raw, raw, K_EMOJI);
    else if (match[6] !== undefined) pushToken(buffer, raw.toLowerCase(), raw, K_EMOTICON);
    else pushToken(buffer, raw.length > 1 ? raw.slice(0, 2) : raw, raw, K_PUNCT);
  }
  buffer.norms.length = buffer.count;
  buffer.raws.length = buffer.count;
  return buffer;
}

/** Splits a social post into normalised tokens: URLs and mentions are replaced by placeholders, elongations collapsed. */
export function tokenize(text: string): Token[] {
  const buffer = scanTokens(text, createTokenBuffer());
  return buffer.norms.map((norm, i) => ({ norm, raw: buffer.raws[i], kind: tokenKinds[buffer.kinds[i]] }));
}

function toBuffer(tokens: readonly Token[]): TokenBuffer {
  const buffer = createTokenBuffer();
  for (const t of tokens) pushToken(buffer, t.norm, t.raw, tokenKinds.indexOf(t.kind));
  return buffer;
}

// ASCII fast path of `raw === raw.toUpperCase() && raw !== raw.toLowerCase()`, without allocating two strings.
function isAllCapsWord(raw: string): boolean {
  if (raw.length < 3) return false;
  let upper = false;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (c > 127) return raw === raw.toUpperCase() && raw !== raw.toLowerCase();
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) upper = true;
  }
  return upper;
}

function squash(x: number, scale: number): number {
  return (x < scale ? x : scale) / scale;
}

function startsWithMention(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 64) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) return c > 127 ? text.trimStart().startsWith('@') : false;
  }
  return false;
}

function isPunctChar(c: number): boolean {
  return c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63;
}

/** The dense tweet features of one message into `meta` (length = metaFeatureNames.length). */
export function fillMetaFeatures(text: string, tokens: TokenBuffer, meta: Float32Array): Float32Array {
  let mentions = 0, urls = 0, hashtags = 0, caps = 0, exclaim = 0, question = 0, repeated = 0, elongated = 0;
  let intense = 0, negations = 0, lexPos = 0, lexNeg = 0, emojiPos = 0, emojiNeg = 0, first = 0, second = 0, replacement = 0;
  let negatedUntil = -1;
  const { norms, raws, kinds } = tokens;
  for (let i = 0; i < tokens.count; i += 1) {
    const kind = kinds[i];
    if (kind === K_WORD) {
      const norm = norms[i];
      const raw = raws[i];
      if (isAllCapsWord(raw)) caps += 1;
      if (norm.length < raw.length && hasTripleRepeat(raw.toLowerCase())) elongated += 1;
      if (intensifiers.has(norm)) intense += 1;
      if (norm === 'i' || norm === 'my' || norm === 'me' || norm === "i'm" || norm === 'im') first += 1;
      if (norm === 'you' || norm === 'your' || norm === 'u' || norm === 'ur') second += 1;
      if (negators.has(norm) || norm.endsWith("n't")) {
        negations += 1;
        negatedUntil = i + 4;
        continue;
      }
      const score = polarityLexicon.get(norm);
      if (score !== undefined) {
        // Negation flips and damps polarity: "not good" is mildly negative, "not bad" mildly positive.
        const s = i <= negatedUntil ? -0.5 * score : score;
        if (s > 0) lexPos += s;
        else lexNeg -= s;
      }
    } else if (kind === K_PUNCT) {
      const raw = raws[i];
      let bang = false, ask = false, stop = false;
      for (let j = 0; j < raw.length; j += 1) {
        const c = raw.charCodeAt(j);
        if (c === 33) bang = true;
        else if (c === 63) ask = true;
        if (isPunctChar(c)) stop = true;
      }
      if (bang) exclaim += 1;
      if (ask) question += 1;
      if (raw.length > 1 && (bang || ask)) repeated += 1;
      if (stop) negatedUntil = -1;
    } else if (kind === K_EMOJI || kind === K_EMOTICON) {
      const norm = norms[i];
      if (norm === '<?>') replacement += 1;
      else if (positiveEmoji.has(norm)) emojiPos += 1;
      else if (negativeEmoji.has(norm)) emojiNeg += 1;
    } else if (kind === K_MENTION) mentions += 1;
    else if (kind === K_URL) urls += 1;
    else if (kind === K_HASHTAG) hashtags += 1;
  }
  meta[0] = startsWithMention(text) ? 1 : 0;
  meta[1] = squash(mentions, 3);
  meta[2] = urls > 0 ? 1 : 0;
  meta[3] = squash(hashtags, 3);
  meta[4] = squash(caps, 3);
  meta[5] = squash(exclaim, 3);
  meta[6] = squash(question, 3);
  meta[7] = squash(repeated, 2);
  meta[8] = squash(elongated, 2);
  meta[9] = squash(intense, 3);
  meta[10] = squash(negations, 3);
  meta[11] = squash(lexPos, 6);
  meta[12] = squash(lexNeg, 6);
  meta[13] = squash(emojiPos, 2);
  meta[14] = squash(emojiNeg, 2);
  meta[15] = tokens.count < 6 ? 1 : 0;
  meta[16] = tokens.count > 30 ? 1 : 0;
  meta[17] = squash(first, 3);
  meta[18] = squash(second, 3);
  meta[19] = replacement > 0 ? 1 : 0;
  return meta;
}

/** The dense tweet features of one message. */
export function computeMetaFeatures(text: string, tokens: readonly Token[]): Float32Array {
  return fillMetaFeatures(text, toBuffer(tokens), new Float32Array(metaFeatureNames.length));
}

export type FeatureExtractor = (text: string) => FeatureVector;

/**
 * Builds the function that turns text into hashed word 1–2-grams (plus negation-marked words), character n-grams
 * and dense tweet features. Each block is L2-normalised so short and long messages score on the same scale.
 * The returned vector is reused by the next call: copy it if you need to keep it.
 */
export function createFeatureExtractor(config: FeatureConfig = defaultFeatureConfig): FeatureExtractor {
  const mask = config.buckets - 1;
  if ((config.buckets & mask) !== 0) throw new Error('buckets must be a power of two');
  const metaIndices = metaFeatureNames.map((name) => finalizeHash(hashString(name, metaSeed)) & mask);
  let capacity = 1024;
  const vector: FeatureVector = {
    length: 0, indices: new Int32Array(capacity), values: new Float32Array(capacity), origins: new Int32Array(capacity),
    tokens: [], normalized: '',
  };
  const ensure = (extra: number) => {
    if (vector.length + extra <= capacity) return;
    while (vector.length + extra > capacity) capacity *= 2;
    const indices = new Int32Array(capacity); indices.set(vector.indices);
    const values = new Float32Array(capacity); values.set(vector.values);
    const origins = new Int32Array(capacity); origins.set(vector.origins);
    vector.indices = indices; vector.values = values; vector.origins = origins;
  };
  const push = (hash: number, origin: number) => {
    const n = vector.length;
    vector.indices[n] = finalizeHash(hash) & mask;
    vector.origins[n] = origin;
    vector.length = n + 1;
  };
  const scaleBlock = (from: number, to: number, weight: number) => {
    if (to <= from) return;
    const v = weight / Math.sqrt(to - from);
    vector.values.fill(v, from, to);
  };

  const tokens = createTokenBuffer();
  let wordHashes = new Uint32Array(64);
  const meta = new Float32Array(metaFeatureNames.length);

  return (input: string) => {
    const text = input.length > config.maxChars ? input.slice(0, config.maxChars) : input;
    scanTokens(text, tokens);
    const { norms, kinds: tokenKindOf } = tokens;
    const count = tokens.count;
    vector.length = 0;
    vector.tokens = norms;
    ensure(count * 4 + 8);
    if (wordHashes.length < count) wordHashes = new Uint32Array(count * 2);

    // Word block: unigrams, hashtag bodies, negation-scoped copies, bigrams.
    let negatedUntil = -1;
    for (let i = 0; i < count; i += 1) {
      const w = norms[i];
      const h = hashString(w, wordSeed);
      wordHashes[i] = h;
      push(h, kinds.word * originKindShift + i);
      const kind = tokenKindOf[i];
      if (kind === K_PUNCT) negatedUntil = -1;
      else if (kind === K_WORD && i <= negatedUntil) push(hashString(w, negatedSeed), kinds.negated * originKindShift + i);
      if (kind === K_WORD && isNegator(w)) negatedUntil = i + 3;
      if (i > 0) push(combineHashes(wordHashes[i - 1] ^ bigramSeed, h), kinds.bigram * originKindShift + i - 1);
    }
    scaleBlock(0, vector.length, 1);

    // Character block over the normalised text, hashed in place with no substring allocation.
    const normalized = ` ${norms.join(' ')} `;
    vector.normalized = normalized;
    const charStart = vector.length;
    const { charMin, charMax } = config;
    ensure(normalized.length * (charMax - charMin + 1));
    if (config.charScope === 'word') {
      let start = 0;
      for (let t = 0; t < count; t += 1) {
        const norm = norms[t];
        forEachTokenCharGram(norm, charMin, charMax, (h, offset, n) => push(h, kinds.char * originKindShift + (start + offset) * 8 + n));
        start += norm.length + 1;
      }
    } else for (let i = 0; i + charMin <= normalized.length; i += 1) {
      let h: number = charSeed;
      const limit = Math.min(charMax, normalized.length - i);
      for (let j = 0; j < limit; j += 1) {
        h = Math.imul(h ^ normalized.charCodeAt(i + j), 0x01000193);
        if (j + 1 >= charMin) push(h, kinds.char * originKindShift + i * 8 + j + 1);
      }
    }
    scaleBlock(charStart, vector.length, config.charWeight);

    fillMetaFeatures(text, tokens, meta);
    // Room for the features later heads append (see transfer.features.ts).
    ensure(meta.length + 8);
    for (let m = 0; m < meta.length; m += 1) {
      if (meta[m] === 0) continue;
      const n = vector.length;
      vector.indices[n] = metaIndices[m];
      vector.values[n] = meta[m] * config.metaWeight;
      vector.origins[n] = kinds.meta * originKindShift + m;
      vector.length = n + 1;
    }
    return vector;
  };
}

/**
 * The character n-grams (charMin..charMax) of ` ${token} `, hashed in place: calls `emit(hash, offset, n)` for the
 * n-gram of length n starting at `offset` in that padded string. Used by training and by the per-token cache alike.
 */
export function forEachTokenCharGram(token: string, charMin: number, charMax: number, emit: (hash: number, offset: number, n: number) => void): void {
  const padded = token.length + 2;
  for (let i = 0; i + charMin <= padded; i += 1) {
    let h: number = charSeed;
    const limit = Math.min(charMax, padded - i);
    for (let j = 0; j < limit; j += 1) {
      const p = i + j;
      const c = p === 0 || p === padded - 1 ? 32 : token.charCodeAt(p - 1);
      h = Math.imul(h ^ c, 0x01000193);
      if (j + 1 >= charMin) emit(h, i, j + 1);
    }
  }
}

/** A readable name for feature k of a vector, e.g. `word:refund`, `bigram:still waiting`, `char:"efun"`, `meta:all-caps-words`. */
export function nameFeature(vector: FeatureVector, k: number): string {
  const origin = vector.origins[k];
  const kind = Math.floor(origin / originKindShift);
  const payload = origin % originKindShift;
  switch (kind) {
    case kinds.word: return `word:${vector.tokens[payload]}`;
    case kinds.negated: return `not:${vector.tokens[payload]}`;
    case kinds.bigram: return `bigram:${vector.tokens[payload]} ${vector.tokens[payload + 1]}`;
    case kinds.char: {
      const start = Math.floor(payload / 8);
      return `char:"${vector.normalized.slice(start, start + (payload % 8))}"`;
    }
    case kinds.meta: return `meta:${metaFeatureNames[payload]}`;
    case kinds.transfer: return `sentiment:${transferNames[payload]}`;
    default: return 'unknown';
  }
}
