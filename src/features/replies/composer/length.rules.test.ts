import { describe, expect, it } from 'vitest';
import { countSmsSegments, measureLength } from './length.rules.ts';

describe('measureLength', () => {
  it.each([
    ['x: plain ASCII counts 1 each', 'hello', 'x', 5, 280],
    ['x: a URL counts 23 whatever its length', 'see https://example.com/a/very/long/path/that/goes/on/and/on', 'x', 4 + 23, 280],
    ['x: CJK characters count 2', '你好世界', 'x', 8, 280],
    ['x: an emoji counts 2', '👍🏽', 'x', 2, 280],
    ['bluesky: graphemes, so a family emoji is 1', 'hi 👨‍👩‍👧', 'bluesky', 4, 300],
    ['bluesky: a combining accent joins its letter', 'e\u0301', 'bluesky', 1, 300],
    ['mastodon: URL 23, remote mention by local part', '@priya@mastodon.social see https://example.com/x/y/z', 'mastodon', 6 + 5 + 23, 500],
    ['facebook: code points', 'ok 👍', 'facebook', 4, 8000],
    ['email: code points', 'Dear Tom', 'email', 8, 20000],
  ] as const)('%s', (_name, text, channel, count, limit) => {
    const report = measureLength(text, channel);
    expect(report.count).toBe(count);
    expect(report.limit).toBe(limit);
    expect(report.ok).toBe(count <= limit);
  });

  it('honours an instance-specific Mastodon limit', () => {
    expect(measureLength('x'.repeat(600), 'mastodon').ok).toBe(false);
    expect(measureLength('x'.repeat(600), 'mastodon', { mastodonLimit: 1000 }).ok).toBe(true);
  });

  it('flags over-limit drafts on X', () => {
    const report = measureLength('a'.repeat(281), 'x');
    expect(report).toMatchObject({ count: 281, ok: false });
  });
});

describe('countSmsSegments', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['one GSM segment at 160', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['two GSM segments at 161', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['extension characters cost two', '€'.repeat(80), 'GSM-7', 160, 1],
    ['any non-GSM character switches to UCS-2', 'Hello 🙂', 'UCS-2', 8, 1],
    ['UCS-2 segments of 67 after 70', 'ü'.repeat(10) + 'ł'.repeat(61), 'UCS-2', 71, 2],
  ] as const)('%s', (_name, text, encoding, units, segments) => {
    expect(countSmsSegments(text)).toEqual({ encoding, units, segments });
  });

  it('counts SMS drafts in segments against the maximum', () => {
    expect(measureLength('a'.repeat(153 * 3), 'sms')).toMatchObject({ count: 3, limit: 3, ok: true });
    expect(measureLength('a'.repeat(153 * 3 + 1), 'sms')).toMatchObject({ count: 4, ok: false });
  });
});
