import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { bucketIndexOf, resolveReportRange } from './report-range.ts';
import { percentile, ratio } from './percentile.ts';

const now = new Date('2026-03-15T12:00:00Z');

describe('resolveReportRange', () => {
  it('cuts the period into UTC days', () => {
    const r = resolveReportRange({ from: '2026-03-01T06:00:00Z', to: '2026-03-03' }, 'day', now);
    expect(r.bucketStarts.map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(r.origin.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(bucketIndexOf(r, new Date('2026-03-02T23:59:59Z'))).toBe(1);
  });

  it('cuts the period into ISO weeks starting on Monday', () => {
    // 2026-03-01 is a Sunday: its week started on Monday 2026-02-23.
    const r = resolveReportRange({ from: '2026-03-01', to: '2026-03-09' }, 'week', now);
    expect(r.bucketStarts.map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-02-23', '2026-03-02', '2026-03-09']);
    expect(bucketIndexOf(r, new Date('2026-03-08T23:00:00Z'))).toBe(1);
  });

  it.each([
    ['a year of days', { from: '2025-03-14', to: '2026-03-14' }, 'day', 'ok'],
    ['more than a year of days', { from: '2025-03-01', to: '2026-03-14' }, 'day', /at most 366 days \(use bucket=week\)/],
    ['two years of weeks', { from: '2024-03-16', to: '2026-03-14' }, 'week', 'ok'],
    ['more than two years', { from: '2023-01-01', to: '2026-03-14' }, 'week', /at most 731 days/],
    ['reversed', { from: '2026-03-10', to: '2026-03-01' }, 'day', /before/],
  ] as const)('%s', (_title, query, bucket, expected) => {
    let outcome = 'ok';
    try {
      resolveReportRange(query, bucket, now);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      outcome = error instanceof AppError ? `${error.status}: ${error.message}` : 'other';
      expect(outcome).toMatch(/^400: /);
    }
    if (expected === 'ok') expect(outcome).toBe('ok');
    else expect(outcome).toMatch(expected);
  });
});

describe('percentile', () => {
  it.each([
    [[], 0.5, null],
    [[7], 0.9, 7],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[10, 20, 60], 0.9, 52],
    [[3, 1, 2], 0.5, 2],
  ])('percentile(%j, %d) = %j', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('ratio is null over nothing', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(2, 3)).toBe(0.6667);
  });
});
