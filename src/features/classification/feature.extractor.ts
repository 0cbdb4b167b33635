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
}

export const defaultFeatureConfig: FeatureConfig = { buckets: 1 << 18, charMin: 3, charMax: 5, charWeight: 1, metaWeight: 1, maxChars: 2000 };

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

/** Splits a social post into normalised tokens: URLs and mentions are replaced by placeholders, elongations collapsed. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = tokenPattern.exec(text)) !== null) {
    const raw = match[0];
    if (match[1] !== undefined) tokens.push({ norm: '<url>', raw, kind: 'url' });
    else if (match[2] !== undefined) tokens.push({ norm: '@user', raw, kind: 'mention' });
    else if (match[3] !== undefined) tokens.push({ norm: raw.toLowerCase(), raw, kind: 'hashtag' });
    else if (match[4] !== undefined) {
      let norm = raw.toLowerCase().replace(/’/g, "'");
      if (isAllDigits(norm)) norm = norm.length <= 1 ? norm : '<num>';
      else if (hasTripleRepeat(norm)) norm = collapseElongation(norm);
      tokens.push({ norm, raw, kind: 'word' });
    } else if (match[5] !== undefined) tokens.push({ norm: raw.charCodeAt(0) === 0xfffd ? '<?>' : raw, raw, kind: 'emoji' });
    else if (match[6] !== undefined) tokens.push({ norm: raw.toLowerCase(), raw, kind: 'emoticon' });
    else tokens.push({ norm: raw.length > 1 ? raw.slice(0, 2) : raw, raw, kind: 'punct' });
  }
  return tokens;
}

function isAllCapsWord(raw: string): boolean {
  if (raw.length < 3) return false;
  return raw === raw.toUpperCase() && raw !== raw.toLowerCase();
}

export interface MetaValues {
  values: Float32Array;
}

/** The dense tweet features of one message; also used by the rule-based heads (intent, urgency). */
export function computeMetaFeatures(text: string, tokens: Token[]): Float32Array {
  const meta = new Float32Array(metaFeatureNames.length);
  let mentions = 0, urls = 0, hashtags = 0, caps = 0, exclaim = 0, question = 0, repeated = 0, elongated = 0;
  let intense = 0, negations = 0, lexPos = 0, lexNeg = 0, emojiPos = 0, emojiNeg = 0, first = 0, second = 0, replacement = 0;
  let negatedUntil = -1;
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    switch (t.kind) {
      case 'mention': mentions += 1; break;
      case 'url': urls += 1; break;
      case 'hashtag': hashtags += 1; break;
      case 'punct':
        if (t.raw.includes('!')) exclaim += 1;
        if (t.raw.includes('?')) question += 1;
        if (t.raw.length > 1 && /[!?]/.test(t.raw)) repeated += 1;
        if (/[.,;:!?]/.test(t.raw)) negatedUntil = -1;
        break;
      case 'emoji':
      case 'emoticon':
        if (t.norm === '<?>') replacement += 1;
        else if (positiveEmoji.has(t.norm)) emojiPos += 1;
        else if (negativeEmoji.has(t.norm)) emojiNeg += 1;
        break;
      case 'word': {
        if (isAllCapsWord(t.raw)) caps += 1;
        if (t.norm.length < t.raw.length && hasTripleRepeat(t.raw.toLowerCase())) elongated += 1;
        if (intensifiers.has(t.norm)) intense += 1;
        if (t.norm === 'i' || t.norm === 'my' || t.norm === 'me' || t.norm === "i'm" || t.norm === 'im') first += 1;
        if (t.norm === 'you' || t.norm === 'your' || t.norm === 'u' || t.norm === 'ur') second += 1;
        if (negators.has(t.norm) || t.norm.endsWith("n't")) {
          negations += 1;
          negatedUntil = i + 4;
          break;
        }
        const score = polarityLexicon.get(t.norm);
        if (score !== undefined) {
          // Negation flips and damps polarity: "not good" is mildly negative, "not bad" mildly positive.
          const s = i <= negatedUntil ? -0.5 * score : score;
          if (s > 0) lexPos += s;
          else lexNeg -= s;
        }
        break;
      }
      default: {
        const unreachable: never = t.kind;
        throw new Error(`unknown token kind ${String(unreachable)}`);
      }
    }
  }
  const squash = (x: number, scale: number) => Math.min(x, scale) / scale;
  meta[0] = text.trimStart().startsWith('@') ? 1 : 0;
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
  meta[15] = tokens.length < 6 ? 1 : 0;
  meta[16] = tokens.length > 30 ? 1 : 0;
  meta[17] = squash(first, 3);
  meta[18] = squash(second, 3);
  meta[19] = replacement > 0 ? 1 : 0;
  return meta;
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

  return (input: string) => {
    const text = input.length > config.maxChars ? input.slice(0, config.maxChars) : input;
    const tokens = tokenize(text);
    vector.length = 0;
    const norms = tokens.map((t) => t.norm);
    vector.tokens = norms;
    ensure(tokens.length * 4 + 8);

    // Word block: unigrams, hashtag bodies, negation-scoped copies, bigrams.
    const wordHashes = new Array<number>(norms.length);
    let negatedUntil = -1;
    for (let i = 0; i < norms.length; i += 1) {
      const w = norms[i];
      const h = hashString(w, wordSeed);
      wordHashes[i] = h;
      push(h, kinds.word * originKindShift + i);
      const kind = tokens[i].kind;
      if (kind === 'punct') negatedUntil = -1;
      else if (kind === 'word' && i <= negatedUntil) push(hashString(w, negatedSeed), kinds.negated * originKindShift + i);
      if (kind === 'word' && (negators.has(w) || w.endsWith("n't"))) negatedUntil = i + 3;
      if (i > 0) push(combineHashes(wordHashes[i - 1] ^ bigramSeed, h), kinds.bigram * originKindShift + i - 1);
    }
    scaleBlock(0, vector.length, 1);

    // Character block over the normalised text, hashed in place with no substring allocation.
    const normalized = ` ${norms.join(' ')} `;
    vector.normalized = normalized;
    const charStart = vector.length;
    const { charMin, charMax } = config;
    ensure(normalized.length * (charMax - charMin + 1));
    for (let i = 0; i + charMin <= normalized.length; i += 1) {
      let h: number = charSeed;
      const limit = Math.min(charMax, normalized.length - i);
      for (let j = 0; j < limit; j += 1) {
        h = Math.imul(h ^ normalized.charCodeAt(i + j), 0x01000193);
        if (j + 1 >= charMin) push(h, kinds.char * originKindShift + i * 8 + j + 1);
      }
    }
    scaleBlock(charStart, vector.length, config.charWeight);

    const meta = computeMetaFeatures(text, tokens);
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
