import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureLength } from './length.rules.ts';
import type { ComposerChannel } from './length.rules.ts';
import { splitIntoThread, withRequiredMentions } from './thread.splitter.ts';

describe('splitIntoThread', () => {
  it('leaves a draft that fits alone', () => {
    expect(splitIntoThread('Sorry about that!', 'x')).toEqual(['Sorry about that!']);
  });

  it('numbers the parts and keeps every part within the limit', () => {
    const text = 'We found the fault. '.repeat(40).trim();
    const parts = splitIntoThread(text, 'x');
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, i) => {
      expect(part.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
      expect(measureLength(part, 'x').ok).toBe(true);
    });
  });

  it('never cuts inside an emoji grapheme', () => {
    const family = '👨‍👩‍👧';
    const parts = splitIntoThread(family.repeat(400), 'bluesky');
    for (const part of parts) expect(part.replace(/ \d+\/\d+$/, '').replaceAll(family, '')).toBe('');
  });

  it('keeps every word, in order, for any text and channel (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zé你👍]{1,30}$/u), { minLength: 1, maxLength: 120 }),
        fc.constantFrom<ComposerChannel>('x', 'bluesky', 'mastodon'),
        (words, channel) => {
          const text = words.join(' ');
          const parts = splitIntoThread(text, channel);
          for (const part of parts) expect(measureLength(part, channel).ok).toBe(true);
          const rejoined = parts.map((p) => (parts.length > 1 ? p.replace(/ \d+\/\d+$/, '') : p)).join('');
          expect(rejoined.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('withRequiredMentions', () => {
  it.each([
    ['adds the addressee on Mastodon', 'Sorry!', 'mastodon', 'priya@mastodon.social', '@priya@mastodon.social Sorry!'],
    ['does not add it twice', '@priya@mastodon.social Sorry!', 'mastodon', '@priya@mastodon.social', '@priya@mastodon.social Sorry!'],
    ['X threads by reference: unchanged', 'Sorry!', 'x', 'priya', 'Sorry!'],
    ['no handle: unchanged', 'Sorry!', 'mastodon', null, 'Sorry!'],
  ] as const)('%s', (_name, text, channel, handle, expected) => {
    expect(withRequiredMentions(text, channel, handle)).toBe(expected);
  });
});
