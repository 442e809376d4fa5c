import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPythonMeta } from './python-meta';

const LIBRARY = path.resolve(__dirname, '../../../scenarios/examples');

describe('readPythonMeta (the # meta: block of a .py scenario)', () => {
  it('reads title, a continued description, clock and a literal block of expected output', () => {
    const source = [
      '# meta:',
      '#   title: Hello',
      '#   description: First part,',
      '#     second part.',
      '#   clock: real',
      '#   expectedOutput: |',
      '#     Hello World',
      '#       indented',
      '#',
      '# Other comments are not meta.',
      'import asyncio',
    ].join('\n');
    expect(readPythonMeta(source)).toEqual({
      ok: true,
      meta: { title: 'Hello', description: 'First part, second part.', clock: 'real', expectedOutput: 'Hello World\n  indented\n' },
    });
  });

  it('takes a JSON string for output with blank lines or no final newline', () => {
    const r = readPythonMeta('# meta:\n#   title: T\n#   expectedOutput: "a\\n\\nb"\nprint(1)\n');
    expect(r).toEqual({ ok: true, meta: { title: 'T', description: '', clock: 'real', expectedOutput: 'a\n\nb' } });
  });

  it('is no meta when there is no block, and a clear reason when the block is wrong', () => {
    expect(readPythonMeta('import asyncio\n')).toEqual({ ok: true, meta: undefined });
    expect(readPythonMeta('# meta:\n#   colour: red\n')).toMatchObject({ ok: false, reason: expect.stringContaining('unknown key "colour"') });
    expect(readPythonMeta('# meta:\n#   clock: sideways\n#   title: x\n')).toMatchObject({ ok: false, reason: expect.stringContaining('clock') });
    expect(readPythonMeta('# meta:\n#   description: no title\n')).toMatchObject({ ok: false, reason: expect.stringContaining('title') });
  });

  it('reads the meta of every Python example in the library, each with an expected output', () => {
    const files = readdirSync(LIBRARY).filter((f) => f.endsWith('.py'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const r = readPythonMeta(readFileSync(path.join(LIBRARY, f), 'utf8'));
      expect(r, f).toMatchObject({ ok: true, meta: { title: expect.stringContaining('Python'), expectedOutput: expect.stringMatching(/\n$/) } });
    }
  });
});
