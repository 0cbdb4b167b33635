import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/parley.js', import.meta.url));

function runClassify(input: Buffer | string, args: string[] = []): unknown[] {
  const result = spawnSync(process.execPath, [bin, 'classify', ...args], { input, encoding: 'utf8', timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => JSON.parse(line) as unknown);
}

describe('parley classify (CLI contract)', () => {
  it('writes one JSON object per input line, in order, including empty and non-UTF-8 lines', () => {
    const input = Buffer.concat([
      Buffer.from('@acme my internet has been down for 3 days!!\n\nthank you, great service\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a]),
      Buffer.from('last line without newline'),
    ]);
    const out = runClassify(input);
    expect(out).toHaveLength(5);
    for (const labels of out) {
      expect(labels).toMatchObject({
        complaint: expect.any(Boolean), complaintScore: expect.any(Number), sentiment: expect.stringMatching(/^(negative|neutral|positive)$/),
        intent: expect.any(String), topics: expect.any(Array), urgency: expect.any(Number), lang: expect.any(String),
      });
    }
    expect(out[0]).toMatchObject({ complaint: true, sentiment: 'negative' });
    expect(out[2]).toMatchObject({ complaint: false, sentiment: 'positive' });
  });

  it('reads JSONL with --jsonl, echoes ids, and answers bad lines with an error object', () => {
    const input = ['{"id":"a","text":"where is my parcel??"}', 'not json', '{"id":"c"}', '', '{"text":"love it"}'].join('\n');
    const out = runClassify(input, ['--jsonl', '--explain']);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatchObject({ id: 'a', explanation: { complaint: expect.any(Array) } });
    expect(out[1]).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    expect(out[2]).toEqual({ error: { code: 'missing_text', message: expect.any(String) } });
    expect(out[3]).toMatchObject({ complaint: expect.any(Boolean) });
    expect(out[4]).toMatchObject({ sentiment: 'positive' });
  });

  it('streams thousands of lines', () => {
    const out = runClassify(Array.from({ length: 3000 }, (_, i) => `message ${i} my bill is wrong`).join('\n'));
    expect(out).toHaveLength(3000);
  });
});
