import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from './csv.writer.ts';

describe('csvCell against formula injection', () => {
  it.each([
    ['=1+1', "'=1+1"],
    [' =1+1', "' =1+1"],
    ['\u00a0@SUM(A1)', "'\u00a0@SUM(A1)"],
    ['\n=cmd', `"'\n=cmd"`],
    ['＝1+1', "'＝1+1"],
    ['|calc', "'|calc"],
    ['=cmd|\' /C calc\'!A0', "'=cmd|' /C calc'!A0"],
    ['-', "'-"],
    ['   ', '   '],
    ['a = b', 'a = b'],
    ['say "hi"', '"say ""hi"""'],
    ['=x,"y"', `"'=x,""y"""`],
  ] as const)('csvCell(%j) = %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('writes numbers as numbers, negative ones included, and non-finite numbers as empty cells', () => {
    expect(csvCell(-2.5)).toBe('-2.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('writes a document: header then rows, CRLF line ends, header guarded too', () => {
    expect(csvDocument(['a', '=b'], [[1, 'x'], [null, '@y']])).toBe("a,'=b\r\n1,x\r\n,'@y\r\n");
  });
});
