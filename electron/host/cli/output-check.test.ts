import { describe, expect, it } from 'vitest';
import { checkOutput } from './output-check';

describe('checkOutput', () => {
  it('accepts equal output, ignoring CRLF against LF', () => {
    expect(checkOutput('a\nb\n', 'a\r\nb\r\n')).toEqual({ ok: true, diff: '' });
  });

  it('shows a changed line with context', () => {
    const { ok, diff } = checkOutput('1\n2\n3\n4\n5\n6\n', '1\n2\n3\nfour\n5\n6\n');
    expect(ok).toBe(false);
    expect(diff).toBe(['--- expected', '+++ actual', '  … 1 unchanged line(s)', '  2', '  3', '- 4', '+ four', '  5', '  6'].join('\n'));
  });

  it('makes a missing final newline visible', () => {
    const { diff } = checkOutput('Hello\n', 'Hello');
    expect(diff).toContain('(no newline at end)');
  });

  it('folds long unchanged runs', () => {
    const expected = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const actual = expected.replace('line 19', 'line nineteen');
    expect(checkOutput(expected, actual).diff).toContain('… 17 unchanged line(s)');
  });
});
