import { measureLength } from './length.rules.ts';
import type { ComposerChannel, LengthOptions } from './length.rules.ts';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const maxParts = 25;

function fits(text: string, channel: ComposerChannel, options: LengthOptions): boolean {
  return measureLength(text, channel, options).ok;
}

/** Words (keeping their trailing space), with any word too long for one post cut into grapheme runs that fit. */
function pieces(text: string, channel: ComposerChannel, options: LengthOptions, suffixRoom: string): string[] {
  const words = text.trim().split(/(?<=\s)/u);
  const out: string[] = [];
  for (const word of words) {
    if (fits(word + suffixRoom, channel, options)) {
      out.push(word);
      continue;
    }
    let run = '';
    for (const { segment } of graphemes.segment(word)) {
      if (run && !fits(run + segment + suffixRoom, channel, options)) {
        out.push(run);
        run = '';
      }
      run += segment;
    }
    if (run) out.push(run);
  }
  return out;
}

/**
 * Splits a draft too long for one post into a numbered thread ("… 1/3"), breaking between words and, where a single
 * word cannot fit, between graphemes — never inside an emoji or a combined character. A draft that fits is one part.
 */
export function splitIntoThread(text: string, channel: ComposerChannel, options: LengthOptions = {}): string[] {
  if (fits(text, channel, options)) return [text];
  // The numbering's own width depends on the number of parts; retry with a wider reserve until it is stable.
  for (let digits = 1; digits <= 2; digits += 1) {
    const reserve = ` ${'9'.repeat(digits)}/${'9'.repeat(digits)}`;
    const parts: string[] = [];
    let current = '';
    for (const piece of pieces(text, channel, options, reserve)) {
      const candidate = current + piece;
      if (current && !fits(candidate.trimEnd() + reserve, channel, options)) {
        parts.push(current.trimEnd());
        current = piece.trimStart();
      } else {
        current = candidate;
      }
    }
    if (current.trim()) parts.push(current.trimEnd());
    if (parts.length > maxParts) throw new Error(`the draft would need more than ${maxParts} posts; shorten it`);
    if (String(parts.length).length <= digits) return parts.map((part, i) => `${part} ${i + 1}/${parts.length}`);
  }
  throw new Error('the draft could not be split');
}

/**
 * Mentions a platform needs for a reply to reach its addressee. Mastodon delivers a reply only to the accounts it
 * mentions, so the customer's handle is added when the draft lacks it; X and Bluesky thread by reference instead.
 */
export function withRequiredMentions(text: string, channel: ComposerChannel, replyToHandle: string | null): string {
  if (channel !== 'mastodon' || !replyToHandle) return text;
  const handle = replyToHandle.replace(/^@/, '');
  const mentioned = new RegExp(`(^|\\s)@${handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w@.-])`, 'i').test(text);
  return mentioned ? text : `@${handle} ${text}`;
}
