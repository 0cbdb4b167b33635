import { splitWords } from '../listening/index.ts';

// Function words never start or end a phrase. Negations stay out of this list: "not working" and "no signal" are
// what complaints are made of.
const stopwordList = `a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just let me more most my myself of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves im ive id ill youre its dont doesnt didnt cant wont isnt arent wasnt
s t d ll m re ve also get got still even really just please via amp`;
export const stopwords: ReadonlySet<string> = new Set(stopwordList.split(/\s+/).filter(Boolean));

const urlPattern = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;
const mentionPattern = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.@-]+/gu;
const minTokenLength = 2;

/** The words of a post for phrase counting: folded, without links, @mentions, apostrophes or one-letter words. */
export function phraseTokens(text: string): string[] {
  const cleaned = text.replace(urlPattern, ' ').replace(mentionPattern, '$1 ').replace(/['’]/g, '');
  return splitWords(cleaned).filter((t) => t.length >= minTokenLength || /[^\p{Script=Latin}\p{N}]/u.test(t));
}

/**
 * The distinct phrases of a post: every run of 1 to `maxLength` consecutive words that neither starts nor ends with a
 * function word. A phrase is counted once per post, so one angry post repeating itself cannot make a trend.
 */
export function phrasesOf(text: string, maxLength = 3): Set<string> {
  const tokens = phraseTokens(text);
  const phrases = new Set<string>();
  for (let i = 0; i < tokens.length; i += 1) {
    if (stopwords.has(tokens[i])) continue;
    for (let n = 1; n <= maxLength && i + n <= tokens.length; n += 1) {
      const last = tokens[i + n - 1];
      if (stopwords.has(last)) continue;
      phrases.add(tokens.slice(i, i + n).join(' '));
    }
  }
  return phrases;
}

/** How many posts of one week contained each phrase (or topic), and how many posts the week had. */
export interface WeekCounts {
  posts: number;
  counts: ReadonlyMap<string, number>;
}

export interface TrendOptions {
  /** A phrase needs at least this many posts this week. */
  minSupport: number;
  /** …and this lift over its baseline. */
  minLift: number;
  limit: number;
}

export interface Trend {
  item: string;
  posts: number;
  /** Posts expected this week from the baseline rate. */
  expected: number;
  /** (posts + 1) / (expected + 1). */
  lift: number;
}

const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

/**
 * The baseline rate of an item: its share of posts in each previous week (most recent first), averaged with weights
 * halving each week back (1, ½, ¼, …), so last week counts most but one odd week cannot set the baseline alone.
 * Weeks without posts carry no weight. 0 when no previous week had posts.
 */
export function baselineRate(item: string, previous: readonly WeekCounts[]): number {
  let weighted = 0;
  let weights = 0;
  previous.forEach((week, k) => {
    if (week.posts === 0) return;
    const weight = 0.5 ** k;
    weighted += weight * ((week.counts.get(item) ?? 0) / week.posts);
    weights += weight;
  });
  return weights === 0 ? 0 : weighted / weights;
}

/** An item's count this week against its baseline, with add-one smoothing so a first mention is not infinite. */
export function trendOf(item: string, current: WeekCounts, previous: readonly WeekCounts[]): Trend {
  const posts = current.counts.get(item) ?? 0;
  const expected = baselineRate(item, previous) * current.posts;
  return { item, posts, expected: round(expected, 3), lift: round((posts + 1) / (expected + 1), 3) };
}

function containsPhrase(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `);
}

/**
 * Rising phrases: at least `minSupport` posts this week and a lift of at least `minLift`, highest lift first (then
 * more posts, then alphabetical). A phrase inside a longer rising phrase with exactly as many posts says nothing
 * more and is dropped ("signal" when every such post said "no signal").
 */
export function risingPhrases(current: WeekCounts, previous: readonly WeekCounts[], options: TrendOptions): Trend[] {
  const candidates: Trend[] = [];
  for (const [phrase, posts] of current.counts) {
    if (posts < options.minSupport) continue;
    const trend = trendOf(phrase, current, previous);
    if (trend.lift >= options.minLift) candidates.push(trend);
  }
  const kept = candidates.filter((t) => !candidates.some((o) => o.item !== t.item && o.posts === t.posts && containsPhrase(o.item, t.item)));
  return kept
    .sort((a, b) => b.lift - a.lift || b.posts - a.posts || a.item.localeCompare(b.item))
    .slice(0, options.limit);
}

/** Counts, over a week's posts, how many contained each of their items. */
export function countWeek<P>(posts: readonly P[], itemsOf: (post: P) => Iterable<string>): WeekCounts {
  const counts = new Map<string, number>();
  for (const post of posts) for (const item of new Set(itemsOf(post))) counts.set(item, (counts.get(item) ?? 0) + 1);
  return { posts: posts.length, counts };
}
