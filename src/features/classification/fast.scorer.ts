import * as extractor from './feature.extractor.ts';
import type { FeatureConfig, TokenBuffer } from './feature.extractor.ts';
import * as hashing from './feature.hash.ts';

// Module-local copies: under tsx every imported binding is read through a getter (see feature.extractor.ts).
const { combineHashes, finalizeHash, hashString } = hashing;
const { word: wordSeed, negatedWord: negatedSeed, bigram: bigramSeed, meta: metaSeed } = hashing.featureSeeds;
const { createTokenBuffer, fillMetaFeatures, forEachTokenCharGram, isNegator, metaFeatureNames, scanTokens, tokenKindCode } = extractor;
const WORD = tokenKindCode.word, PUNCT = tokenKindCode.punct;

/** Columns of the interleaved weight table: 3 sentiment classes and the complaint margin. */
export const tableWidth = 4;
// Per cached token: unigram row (4), sum of its character n-gram rows (4), n-gram count, negator flag.
const slotWidth = 10;
const maxSlots = 1 << 16;

export type FastScore = (text: string, out: Float64Array) => TokenBuffer;

/**
 * The classification hot path for `charScope: 'word'` models: the same features as createFeatureExtractor, with the
 * dot product taken as they are produced. A token's unigram and its whole character block (~15 n-grams) depend only
 * on the token, so they are summed once and cached by token (bounded: the cache is dropped when full); a message
 * then costs one map lookup per token plus its bigrams and dense features. Writes the four raw margins (without
 * bias) into `out` and returns the message's tokens (reused by the next call).
 */
export function createFastScorer(table: Float32Array, config: FeatureConfig): FastScore {
  if (config.charScope !== 'word') throw new Error('the fast scorer needs charScope "word"');
  const mask = config.buckets - 1;
  const metaRows = metaFeatureNames.map((name) => (finalizeHash(hashString(name, metaSeed)) & mask) * tableWidth);
  const tokens = createTokenBuffer();
  const meta = new Float32Array(metaFeatureNames.length);
  const slotOf = new Map<string, number>();
  const slab = new Float32Array(maxSlots * slotWidth);
  const hashes = new Uint32Array(maxSlots);
  let used = 0;

  const cache = (norm: string): number => {
    if (used === maxSlots) { slotOf.clear(); used = 0; }
    const slot = used;
    used += 1;
    const base = slot * slotWidth;
    const h = hashString(norm, wordSeed);
    hashes[slot] = h;
    const row = (finalizeHash(h) & mask) * tableWidth;
    for (let k = 0; k < tableWidth; k += 1) slab[base + k] = table[row + k];
    let grams = 0;
    for (let k = 0; k < tableWidth; k += 1) slab[base + 4 + k] = 0;
    forEachTokenCharGram(norm, config.charMin, config.charMax, (gram) => {
      const r = (finalizeHash(gram) & mask) * tableWidth;
      for (let k = 0; k < tableWidth; k += 1) slab[base + 4 + k] += table[r + k];
      grams += 1;
    });
    slab[base + 8] = grams;
    slab[base + 9] = isNegator(norm) ? 1 : 0;
    slotOf.set(norm, slot);
    return slot;
  };

  return (input: string, out: Float64Array) => {
    const text = input.length > config.maxChars ? input.slice(0, config.maxChars) : input;
    scanTokens(text, tokens);
    const { norms, kinds } = tokens;
    let w0 = 0, w1 = 0, w2 = 0, w3 = 0, words = 0;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, grams = 0;
    let negatedUntil = -1;
    let previous = 0;
    for (let i = 0; i < tokens.count; i += 1) {
      const norm = norms[i];
      const slot = slotOf.get(norm) ?? cache(norm);
      const base = slot * slotWidth;
      w0 += slab[base]; w1 += slab[base + 1]; w2 += slab[base + 2]; w3 += slab[base + 3];
      c0 += slab[base + 4]; c1 += slab[base + 5]; c2 += slab[base + 6]; c3 += slab[base + 7];
      grams += slab[base + 8];
      words += 1;
      const h = hashes[slot];
      const kind = kinds[i];
      if (kind === PUNCT) negatedUntil = -1;
      else if (kind === WORD && i <= negatedUntil) {
        const r = (finalizeHash(hashString(norm, negatedSeed)) & mask) * tableWidth;
        w0 += table[r]; w1 += table[r + 1]; w2 += table[r + 2]; w3 += table[r + 3];
        words += 1;
      }
      if (kind === WORD && slab[base + 9] === 1) negatedUntil = i + 3;
      if (i > 0) {
        const r = (finalizeHash(combineHashes(previous ^ bigramSeed, h)) & mask) * tableWidth;
        w0 += table[r]; w1 += table[r + 1]; w2 += table[r + 2]; w3 += table[r + 3];
        words += 1;
      }
      previous = h;
    }
    const wordScale = words > 0 ? 1 / Math.sqrt(words) : 0;
    const charScale = grams > 0 ? config.charWeight / Math.sqrt(grams) : 0;
    out[0] = w0 * wordScale + c0 * charScale;
    out[1] = w1 * wordScale + c1 * charScale;
    out[2] = w2 * wordScale + c2 * charScale;
    out[3] = w3 * wordScale + c3 * charScale;
    fillMetaFeatures(text, tokens, meta);
    for (let m = 0; m < meta.length; m += 1) {
      const v = meta[m];
      if (v === 0) continue;
      const r = metaRows[m];
      const x = v * config.metaWeight;
      out[0] += table[r] * x; out[1] += table[r + 1] * x; out[2] += table[r + 2] * x; out[3] += table[r + 3] * x;
    }
    return tokens;
  };
}
