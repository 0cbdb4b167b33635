import type { MatchablePost, RuleNode } from './rule.types.ts';
import { singleCharSet, wordCharSet } from './text.normalizer.ts';
import { extractUrls, parsePostUrl } from './url.extractor.ts';

/**
 * A deliberately plain evaluator of one rule against one post: whole-string normalization and regular expressions,
 * no index. The compiled matcher must agree with it (checked by a property test); it is also the per-rule loop
 * of the benchmark's sanity checks. Not used on the hot path.
 */

const diacritics = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- ranges of combining marks, deliberately
  '[[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f\\u0591-\\u05c7\\u064b-\\u065f\\u0670\\u06d6-\\u06ed]&&\\p{M}]',
  'gv',
);
const spelledOut: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', ħ: 'h', ı: 'i', þ: 'th', ð: 'd', ŧ: 't', ς: 'σ',
};

/** Whole-string folding, written independently of the matcher's per-character tables. */
export function foldReference(text: string): string {
  const decomposed = text.replace(/[^\uac00-\ud7a3]+/g, (part) => part.normalize('NFKD'));
  return decomposed
    .replace(diacritics, '')
    .toLowerCase()
    .replace(/[ßẞæœøđłħıþðŧς]/gu, (ch) => spelledOut[ch] ?? ch);
}

const tokenPattern = new RegExp(`${singleCharSet}\\p{M}*|${wordCharSet}(?:${wordCharSet}|\\p{M})*`, 'gv');
const wordish = '[\\p{L}\\p{N}\\p{M}_]';
const hashtagPattern = new RegExp(`(?<!${wordish})#(${wordish}+)`, 'gv');
const mentionPattern = new RegExp(`(?<!${wordish})@(${wordish}(?:[${wordish.slice(1, -1)}.\\-@]*${wordish})?)`, 'gv');

interface ReferencePost {
  tokens: string[];
  hashtags: string[];
  mentions: string[];
  post: MatchablePost;
}

export function prepareReferencePost(post: MatchablePost): ReferencePost {
  const folded = foldReference(post.text);
  return {
    tokens: folded.match(tokenPattern) ?? [],
    hashtags: [
      ...[...folded.matchAll(hashtagPattern)].map((m) => m[1]),
      ...(post.hashtags ?? []).map((tag) => foldReference(tag).replace(/^#/, '')),
    ],
    mentions: [
      ...[...folded.matchAll(mentionPattern)].map((m) => m[1]),
      ...(post.mentions ?? []).map((handle) => foldReference(handle).replace(/^@/, '')),
    ],
    post,
  };
}

function handleMatches(actual: string, wanted: string): boolean {
  return actual === wanted || (actual.includes('@') && actual.slice(0, actual.indexOf('@')) === wanted);
}

function containsSequence(tokens: string[], words: string[]): boolean {
  outer: for (let i = 0; i + words.length <= tokens.length; i++) {
    for (let j = 0; j < words.length; j++) if (tokens[i + j] !== words[j]) continue outer;
    return true;
  }
  return false;
}

function evaluate(node: RuleNode, p: ReferencePost): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluate(c, p));
    case 'or':
      return node.children.some((c) => evaluate(c, p));
    case 'not':
      return !evaluate(node.child, p);
    case 'words':
      return containsSequence(p.tokens, node.words);
    case 'hashtag':
      return p.hashtags.includes(node.tag);
    case 'mention':
      return p.mentions.some((m) => handleMatches(m, node.handle));
    case 'from': {
      if (!p.post.authorHandle) return false;
      const handle = foldReference(p.post.authorHandle).replace(/^@/, '');
      return handleMatches(handle, node.handle);
    }
    case 'lang': {
      const lang = (p.post.lang ?? '').trim().toLowerCase().replace(/_/g, '-');
      return lang === node.code || lang.startsWith(`${node.code}-`);
    }
    case 'is':
      return node.what === 'reply' ? p.post.isReply : p.post.isRepost === true;
    case 'url': {
      const urls = [...(p.post.urls ?? []), ...extractUrls(p.post.text)];
      return urls.some((raw) => {
        const url = parsePostUrl(raw);
        if (!url) return false;
        const hostOk = url.host === node.host || url.host.endsWith(`.${node.host}`);
        return hostOk && (node.path === '' || url.path === node.path || url.path.startsWith(`${node.path}/`));
      });
    }
    default: {
      const never: never = node;
      return Boolean(never);
    }
  }
}

/** True when the rule matches the post, computed the slow, obvious way. */
export function matchesReference(rule: RuleNode, post: MatchablePost | ReferencePost): boolean {
  return evaluate(rule, 'tokens' in post ? post : prepareReferencePost(post));
}
