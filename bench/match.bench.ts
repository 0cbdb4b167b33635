/**
 * bench:match — Parley's rule matcher against a single RegExp alternation and a per-rule loop, one core.
 *
 * Posts: every line of ../shared/data/tweeteval-sentiment/train_text.txt (45,615 tweets), repeated until there are
 * at least 200,000. Rules: 10,000 built from the same tweets with a seeded generator — single terms and phrases
 * (2–3 words) drawn from the corpus vocabulary and its word sequences, plus boolean rules (AND, OR, exclusion,
 * groups, hashtags). Terms and phrases use disjoint words, so a RegExp alternation (which reports one
 * alternative per position) can find every one of them; the three engines are compared on exactly these rules.
 *
 * Parley is timed from the raw post (folding included). The baselines get the posts already folded by Parley's
 * folding (untimed), with Unicode-aware boundaries equal to Parley's tokenization, so their figures are flattering.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRules, foldText, parseRule, splitWords } from '../src/features/listening/index.ts';
import type { CompilableRule, MatchablePost } from '../src/features/listening/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataFile = path.resolve(repoRoot, '../shared/data/tweeteval-sentiment/train_text.txt');
const ruleTotal = 10_000;
const minPosts = 200_000;
const workspaceId = 'bench-workspace';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20240917);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

// ---------------------------------------------------------------- posts
const tweets = fs.readFileSync(dataFile, 'utf8').split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0);
const posts: MatchablePost[] = [];
while (posts.length < minPosts) for (const text of tweets) posts.push({ text, authorHandle: null, isReply: false });
const postBytes = posts.map((p) => Buffer.byteLength(p.text, 'utf8'));

// ---------------------------------------------------------------- rules
const latinWord = /^[a-z0-9_]{3,}$/;
const tokenized = tweets.map((t) => splitWords(t));
const frequency = new Map<string, number>();
for (const tokens of tokenized) for (const w of tokens) frequency.set(w, (frequency.get(w) ?? 0) + 1);
// Skip the 150 most frequent words (the, and, …) and the corpus's @user placeholder: nobody monitors those.
const byFrequency = [...frequency.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
const stop = new Set(byFrequency.slice(0, 150));
stop.add('user');
const candidates = byFrequency.filter((w) => !stop.has(w) && latinWord.test(w));

const sequences = new Map<string, number>();
for (const tokens of tokenized) {
  for (let i = 0; i + 1 < tokens.length; i++) {
    for (const n of [2, 3]) {
      const seq = tokens.slice(i, i + n);
      if (seq.length === n && seq.every((w) => latinWord.test(w) && !stop.has(w))) {
        const key = seq.join(' ');
        sequences.set(key, (sequences.get(key) ?? 0) + 1);
      }
    }
  }
}
const phraseCandidates = [...sequences.entries()].filter(([, c]) => c >= 2).map(([k]) => k.split(' '));

const used = new Set<string>();
const termRules: string[][] = [];
const phraseRules: string[][] = [];
const wantPhrases = 2_500;
const wantTerms = 6_500;
for (const seq of phraseCandidates.sort(() => random() - 0.5)) {
  if (phraseRules.length >= wantPhrases) break;
  if (seq.some((w) => used.has(w))) continue;
  seq.forEach((w) => used.add(w));
  phraseRules.push(seq);
}
for (const w of candidates.slice().sort(() => random() - 0.5)) {
  if (termRules.length >= wantTerms) break;
  if (used.has(w)) continue;
  used.add(w);
  termRules.push([w]);
}
const comparable = [...termRules, ...phraseRules];
const hashtags = [...new Set(tweets.flatMap((t) => [...t.matchAll(/#([A-Za-z0-9_]{3,})/g)].map((m) => m[1])))];
const booleanQueries: string[] = [];
while (comparable.length + booleanQueries.length < ruleTotal) {
  const [a, b, c] = [pick(candidates), pick(candidates), pick(candidates)];
  switch (booleanQueries.length % 6) {
    case 0: booleanQueries.push(`${a} ${b}`); break;
    case 1: booleanQueries.push(`${a} OR ${b}`); break;
    case 2: booleanQueries.push(`${a} -${b}`); break;
    case 3: booleanQueries.push(`(${a} OR ${b}) ${c}`); break;
    case 4: booleanQueries.push(`"${a} ${b}" -${c}`); break;
    default: booleanQueries.push(`#${pick(hashtags)} OR ${a}`); break;
  }
}
const queries = [...comparable.map((words) => (words.length === 1 ? words[0] : `"${words.join(' ')}"`)), ...booleanQueries];
const rules: CompilableRule[] = queries.map((query, i) => {
  const parsed = parseRule(query);
  if (!parsed.ok) throw new Error(`bench rule ${query}: ${parsed.error.message}`);
  return { id: `rule-${i}`, workspaceId, rule: parsed.rule };
});

// ---------------------------------------------------------------- engines
const comparableCount = comparable.length;

/** Matched comparable rule indexes of every post, flattened. */
class Hits {
  offsets = new Int32Array(posts.length + 1);
  items: number[] = [];
  postsDone = 0;
  push(rule: number): void {
    this.items.push(rule);
  }
  endPost(): void {
    this.offsets[++this.postsDone] = this.items.length;
  }
  of(post: number): number[] {
    return [...new Set(this.items.slice(this.offsets[post], this.offsets[post + 1]))].sort((a, b) => a - b);
  }
}

const started = performance.now();
const matcher = compileRules(rules);
const compileMs = performance.now() - started;
const ws = matcher.workspaceIndexOf(workspaceId);

const cpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
let lastCpuSeconds = 0;

function runParley(count: number, hits: Hits | null): number {
  const results = matcher.results;
  const c0 = cpuSeconds();
  const t0 = performance.now();
  for (let p = 0; p < count; p++) {
    const n = matcher.scan(posts[p], ws);
    if (hits) {
      for (let k = 0; k < n; k++) if (results[k] < comparableCount) hits.push(results[k]);
      hits.endPost();
    }
  }
  lastCpuSeconds = cpuSeconds() - c0;
  return (performance.now() - t0) / 1000;
}

function runParleyIds(count: number): number {
  let total = 0;
  const t0 = performance.now();
  for (let p = 0; p < count; p++) total += matcher.matchIds(posts[p], workspaceId).length;
  if (total < 0) console.log(total);
  return (performance.now() - t0) / 1000;
}

const foldedPosts = posts.slice(0, tweets.length).map((p) => foldText(p.text));
const foldedOf = (p: number): string => foldedPosts[p % tweets.length];

const escape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
// The fastest formulation measured (a one-character Unicode lookbehind beat \b by 3×); on these tweets it draws the
// same boundaries as Parley's tokenizer, which the comparison below checks.
const separator = '[^\\p{L}\\p{N}\\p{M}_]+';
const before = '(?<![\\p{L}\\p{N}\\p{M}_])';
const after = '(?![\\p{L}\\p{N}\\p{M}_])';
const sourceOf = (words: string[]): string => words.map(escape).join(separator);
const byText = new Map<string, number>(comparable.map((words, i) => [words.join(' '), i]));
const alternation = new RegExp(
  `${before}(?:${comparable.map((w, i) => [sourceOf(w), i] as const).sort((a, b) => b[0].length - a[0].length).map(([s]) => s).join('|')})${after}`,
  'gu',
);

function runRegex(count: number, hits: Hits, budgetMs: number): { seconds: number; count: number } {
  const t0 = performance.now();
  let p = 0;
  for (; p < count; p++) {
    if ((p & 255) === 0 && performance.now() - t0 > budgetMs) break;
    const text = foldedOf(p);
    alternation.lastIndex = 0;
    for (let m = alternation.exec(text); m !== null; m = alternation.exec(text)) {
      const key = /^[\p{L}\p{N}_]+$/u.test(m[0]) ? m[0] : m[0].replace(/[^\p{L}\p{N}\p{M}_]+/gu, ' ');
      const rule = byText.get(key);
      if (rule !== undefined) hits.push(rule);
    }
    hits.endPost();
  }
  return { seconds: (performance.now() - t0) / 1000, count: p };
}

const perRule = comparable.map((words) => ({ first: words[0], re: new RegExp(`${before}${sourceOf(words)}${after}`, 'u') }));
function runLoop(count: number, hits: Hits, budgetMs: number): { seconds: number; count: number } {
  const t0 = performance.now();
  let p = 0;
  for (; p < count; p++) {
    if (performance.now() - t0 > budgetMs) break;
    const text = foldedOf(p);
    for (let r = 0; r < perRule.length; r++) {
      const rule = perRule[r];
      if (text.includes(rule.first) && rule.re.test(text)) hits.push(r);
    }
    hits.endPost();
  }
  return { seconds: (performance.now() - t0) / 1000, count: p };
}

// ---------------------------------------------------------------- run
const mb = (count: number): number => postBytes.slice(0, count).reduce((a, b) => a + b, 0) / 1e6;
const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(`machine: ${cpu}, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`posts: ${posts.length} (${tweets.length} tweets × ${Math.ceil(posts.length / tweets.length)}), ${mb(posts.length).toFixed(1)} MB`);
console.log(`rules: ${rules.length} — ${termRules.length} terms, ${phraseRules.length} phrases, ${booleanQueries.length} boolean; compiled in ${compileMs.toFixed(0)} ms`);

runParley(tweets.length, null); // warm-up
runParleyIds(tweets.length);
// Best of three rounds over all posts: the machine may be shared, and the best round is the least disturbed one.
let parleyHits = new Hits();
let parleySeconds = Infinity;
let parleyCpu = Infinity;
const rounds: number[] = [];
for (let round = 0; round < 3; round++) {
  const hits = new Hits();
  const seconds = runParley(posts.length, hits);
  rounds.push(posts.length / seconds);
  if (seconds < parleySeconds) {
    parleySeconds = seconds;
    parleyHits = hits;
  }
  parleyCpu = Math.min(parleyCpu, lastCpuSeconds);
}
const idsSeconds = Math.min(runParleyIds(posts.length), runParleyIds(posts.length));
const postsPerSec = posts.length / parleySeconds;
const mbPerSec = mb(posts.length) / parleySeconds;
const fmt = (n: number): string => Math.round(n).toLocaleString('en');
console.log(`parley scan:        ${fmt(postsPerSec)} posts/s, ${mbPerSec.toFixed(1)} MB/s (best of rounds ${rounds.map(fmt).join(', ')}; ${fmt(posts.length / parleyCpu)} posts per CPU-second)`);
console.log(`parley matchIds():  ${fmt(posts.length / idsSeconds)} posts/s (rule ids as strings, as ingest calls it)`);

const regexHits = new Hits();
const regex = runRegex(posts.length, regexHits, 30_000);
const regexPostsPerSec = regex.count / regex.seconds;
console.log(`regex alternation:  ${Math.round(regexPostsPerSec).toLocaleString('en')} posts/s over ${regex.count} posts (${comparableCount} alternatives)`);

const loopHits = new Hits();
const loop = runLoop(posts.length, loopHits, 20_000);
const loopPostsPerSec = loop.count / loop.seconds;
console.log(`per-rule loop:      ${Math.round(loopPostsPerSec).toLocaleString('en')} posts/s over ${loop.count} posts (includes() then RegExp per rule)`);

let mismatches = 0;
let matchedPosts = 0;
let matchPairs = 0;
for (let p = 0; p < posts.length; p++) {
  const expected = parleyHits.of(p).join(',');
  if (expected !== '') matchedPosts++;
  matchPairs += parleyHits.offsets[p + 1] - parleyHits.offsets[p];
  const others = [p < regex.count ? regexHits.of(p).join(',') : expected, p < loop.count ? loopHits.of(p).join(',') : expected];
  for (const other of others) {
    if (other !== expected) {
      if (mismatches < 5) console.error(`mismatch on post ${p}: parley [${expected}] other [${other}] — ${posts[p].text}`);
      mismatches++;
    }
  }
}
const sameMatches = mismatches === 0;
console.log(
  `same matches on the ${comparableCount} term/phrase rules: ${sameMatches} (${matchedPosts} of ${posts.length} posts match, ${matchPairs} post-rule pairs; regex checked on ${regex.count}, loop on ${loop.count} posts)`,
);
console.log(`speed-up: ${(postsPerSec / regexPostsPerSec).toFixed(1)}× the regex, ${(postsPerSec / loopPostsPerSec).toFixed(0)}× the loop`);
console.log(
  JSON.stringify({
    bench: 'match',
    rules: rules.length,
    posts: posts.length,
    postsPerSec: Math.round(postsPerSec),
    mbPerSec: Number(mbPerSec.toFixed(1)),
    regexPostsPerSec: Math.round(regexPostsPerSec),
    loopPostsPerSec: Math.round(loopPostsPerSec),
    sameMatches,
  }),
);
if (!sameMatches) process.exitCode = 1;
