import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { measureLength } from './composer/index.ts';
import { checkDraft, checkThreadDraft } from './reply.draft.ts';

const words = (count: number, tag: string) => Array.from({ length: count }, (_, i) => `${tag}${i}`).join(' ');

function refusal(run: () => unknown): { path: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { path: error.details?.[0]?.path ?? '', message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('checkThreadDraft', () => {
  it.each([
    ['x', null, 280],
    ['bluesky', null, 300],
    ['mastodon', 'priya@other.example', 500],
  ] as const)('%s: numbered parts, each within the limit, no word lost', (kind, handle, limit) => {
    const draft = words(Math.ceil(limit / 2), 'w');
    const parts = checkThreadDraft(draft, kind, handle);
    expect(parts.length).toBeGreaterThan(1);
    for (const [i, part] of parts.entries()) {
      expect(part.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
      expect(measureLength(part, kind).ok).toBe(true);
    }
    const rebuilt = parts.map((p) => p.replace(/ \d+\/\d+$/, '').replace(/^@priya@other\.example /, '')).join(' ');
    expect(rebuilt).toBe(draft);
  });

  it('mentions the customer in every Mastodon part, and only once', () => {
    const parts = checkThreadDraft(words(300, 'm'), 'mastodon', '@priya@other.example');
    expect(parts.every((p) => p.startsWith('@priya@other.example ') && p.split('@priya@other.example').length === 2)).toBe(true);
  });

  it('keeps a draft that fits as one unnumbered part', () => {
    expect(checkThreadDraft('Thanks, fixed now.', 'x', null)).toEqual(['Thanks, fixed now.']);
  });

  it.each([
    ['facebook', 'split', /facebook replies cannot be sent as a thread/],
    ['email', 'split', /email replies cannot be sent as a thread/],
    ['phone', 'split', /phone replies cannot be sent as a thread/],
  ] as const)('refuses %s', (kind, path, message) => {
    expect(refusal(() => checkThreadDraft(words(200, 'z'), kind, null))).toEqual({ path, message: expect.stringMatching(message) });
  });

  it('refuses personal data anywhere in the thread, and more than 25 parts', () => {
    expect(refusal(() => checkThreadDraft(`${words(100, 'p')} call 07700 900123`, 'x', null)).message).toMatch(/personal data \(phone\)/);
    expect(refusal(() => checkThreadDraft(words(2_000, 'q'), 'bluesky', null))).toEqual({ path: 'text', message: expect.stringMatching(/more than 25 posts/) });
  });
});

describe('checkDraft with a suffix', () => {
  it('counts the suffix for length but leaves it out of the personal-data check', () => {
    // Parley's own text (a link) is never personal data, whatever its characters look like.
    const link = ' https://care.example/p/+442079460991';
    expect(refusal(() => checkDraft(`Please continue here:${link}`, 'bluesky', false, null)).message).toMatch(/personal data \(phone\)/);
    expect(checkDraft('Please continue here:', 'bluesky', false, null, {}, link)).toBe(`Please continue here:${link}`);
    expect(refusal(() => checkDraft('x'.repeat(270), 'bluesky', false, null, {}, link)).message).toMatch(/bluesky allows 300$/);
  });
});
