import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { csvCell, csvLine } from './csv.writer.ts';
import { resolvePeriod } from './equity.report.ts';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    [12.5, '12.5'],
    [null, ''],
    ['', ''],
  ] as const)('csvCell(%j) = %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('joins a line with CRLF', () => {
    expect(csvLine(['a', 1, null, '=x'])).toBe("a,1,,'=x\r\n");
  });
});

describe('resolvePeriod', () => {
  const now = new Date('2026-03-15T12:00:00.000Z');

  it.each([
    ['defaults to the 30 days up to now', {}, '2026-02-13T12:00:00.000Z', '2026-03-15T12:00:00.000Z'],
    ['a bare `to` date runs through that day', { from: '2026-03-01', to: '2026-03-10' }, '2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['date-times are taken as given', { from: '2026-03-01T06:00:00+01:00', to: '2026-03-02T00:00:00Z' }, '2026-03-01T05:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    ['`from` alone ends now', { from: '2026-03-01' }, '2026-03-01T00:00:00.000Z', '2026-03-15T12:00:00.000Z'],
    ['`to` alone starts 30 days earlier', { to: '2026-01-31' }, '2026-01-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
  ])('%s', (_title, query, from, to) => {
    const period = resolvePeriod(query, now);
    expect(period.from.toISOString()).toBe(from);
    expect(period.to.toISOString()).toBe(to);
  });

  it.each([
    ['not a date', { from: 'yesterday' }],
    ['impossible date', { from: '2026-13-45' }],
    ['reversed', { from: '2026-03-10', to: '2026-03-01' }],
    ['too long', { from: '2020-01-01', to: '2026-01-01' }],
  ])('rejects %s with 400', (_title, query) => {
    expect(() => resolvePeriod(query, now)).toThrow(AppError);
    try {
      resolvePeriod(query, now);
    } catch (error) {
      expect(error instanceof AppError && error.status).toBe(400);
    }
  });
});
