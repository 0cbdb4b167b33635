import { describe, expect, it } from 'vitest';
import { formatCorrectionLine, parseFeedbackJsonl } from './feedback.schema.ts';

describe('feedback JSONL', () => {
  it('keeps valid corrections and reports bad lines by number', () => {
    const content = [
      '{"text":"still no refund","complaint":true,"sentiment":"negative","messageId":"m1"}',
      '',
      'not json',
      '{"text":"hello"}',
      '{"text":"great","sentiment":"happy"}',
      '{"text":"where is my parcel","intent":"question","topics":["delivery"]}',
    ].join('\n');
    const { corrections, errors } = parseFeedbackJsonl(content);
    expect(corrections.map((c) => c.text)).toEqual(['still no refund', 'where is my parcel']);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5]);
  });

  it('formats a line that parses back', () => {
    const line = formatCorrectionLine({ text: 'slow wifi', complaint: true });
    expect(parseFeedbackJsonl(line).corrections).toEqual([{ text: 'slow wifi', complaint: true }]);
    expect(() => formatCorrectionLine({ text: '' })).toThrow();
  });
});
