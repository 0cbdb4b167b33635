import { AppError } from '../../platform/errors.ts';
import { supportsThreads } from '../channels/index.ts';
import type { ChannelKind } from '../channels/index.ts';
import { composerChannelFor, findPersonalData, measureLength, platformLimits, splitIntoThread, withRequiredMentions } from './composer/index.ts';
import type { ComposerChannel, LengthOptions } from './composer/index.ts';

/**
 * The composer's hard rules, enforced when a reply is written (the review endpoint shows the same findings while the
 * agent types): personal data never goes out in public, and every post must fit the platform's length rule. Mentions
 * the platform needs for the reply to reach the customer are added.
 */

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ path, message }]);
}

/** Refuses text that would put personal data in public, naming what and where. */
export function assertNoPersonalData(text: string, path = 'text', why = 'this public reply'): void {
  const personal = findPersonalData(text);
  if (personal.length === 0) return;
  throw new AppError(
    'validation_failed',
    `${why} contains personal data (${[...new Set(personal.map((p) => p.kind))].join(', ')}); move the conversation to a private channel instead`,
    personal.map((p) => ({ path, message: `${p.kind} at ${p.start}–${p.end}` })),
  );
}

/**
 * One post: checked, with the mentions the platform needs. A `suffix` is text Parley itself appends (a secure link):
 * it counts for the length, and the personal-data check, which random link tokens could trip, leaves it alone.
 */
export function checkDraft(
  draft: string,
  kind: ChannelKind,
  isPrivate: boolean,
  customerHandle: string | null,
  options: LengthOptions = {},
  suffix = '',
): string {
  const channel = composerChannelFor(kind);
  const own = withRequiredMentions(draft, channel, customerHandle);
  if (!isPrivate) assertNoPersonalData(own);
  const text = own + suffix;
  const length = measureLength(text, channel, options);
  if (!length.ok) {
    const parts = !isPrivate && !suffix && supportsThreads(kind) ? threadLength(draft, channel, options) : 0;
    throw new AppError(
      'validation_failed',
      `the reply is ${length.count} ${length.unit}; ${kind} allows ${length.limit}${parts > 1 ? ` — shorten it or send it as ${parts} numbered parts (split: true)` : ''}`,
      [{ path: 'text', message: `over the ${kind} limit` }],
    );
  }
  return text;
}

/**
 * A public draft as a numbered thread of posts ("… 1/3"), each within the platform's limit. On Mastodon every part
 * mentions the customer (a status reaches only the accounts it mentions), so the split leaves room for the mention.
 * A draft that fits one post is one part, unnumbered.
 */
export function checkThreadDraft(draft: string, kind: ChannelKind, customerHandle: string | null, options: LengthOptions = {}): string[] {
  assertCanThread(kind);
  const channel = composerChannelFor(kind);
  assertNoPersonalData(withRequiredMentions(draft, channel, customerHandle));
  const mention = channel === 'mastodon' && customerHandle ? `@${customerHandle.replace(/^@/, '')} ` : '';
  const splitOptions = mention
    ? { ...options, mastodonLimit: (options.mastodonLimit ?? platformLimits.mastodon) - measureLength(mention, channel, options).count }
    : options;
  let parts: string[];
  try {
    parts = splitIntoThread(draft.trim(), channel, splitOptions);
  } catch (error) {
    throw invalid('text', error instanceof Error ? error.message : 'the draft cannot be split into posts');
  }
  return parts.map((part, i) => {
    const text = withRequiredMentions(part, channel, customerHandle);
    const length = measureLength(text, channel, options);
    if (!length.ok) throw invalid('text', `part ${i + 1} is ${length.count} ${length.unit}; ${kind} allows ${length.limit}`);
    return text;
  });
}

/** Only platforms where a post can answer the brand's own previous post carry a thread. */
export function assertCanThread(kind: ChannelKind): void {
  if (supportsThreads(kind)) return;
  throw invalid('split', `${kind} replies cannot be sent as a thread: only X, Bluesky and Mastodon chain posts; shorten the reply instead`);
}

/** How many numbered parts the draft would make, or 0 when it cannot be split. */
function threadLength(text: string, channel: ComposerChannel, options: LengthOptions): number {
  try {
    return splitIntoThread(text, channel, options).length;
  } catch {
    return 0;
  }
}

/** A Mastodon instance sets its own limit: `config.characterLimit` on the channel (500 when unset). */
export function lengthOptionsOf(config: Record<string, unknown>): LengthOptions {
  const limit = config.characterLimit;
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? { mastodonLimit: limit } : {};
}
