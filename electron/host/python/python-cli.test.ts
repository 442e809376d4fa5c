import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePython } from './testing/python-available';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/loopwright.mjs');
const LIBRARY = path.join(ROOT, 'scenarios/examples');
let dir: string;

function loopwright(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-pycli-'));
  writeFileSync(path.join(dir, 'exits.py'), 'import sys\nprint("partial", flush=True)\nsys.stderr.write("why\\n")\nsys.exit(4)\n');
  writeFileSync(path.join(dir, 'raises.py'), 'def f():\n    raise ValueError("no")\nf()\n');
  writeFileSync(path.join(dir, 'other.py'), 'import asyncio\nloop = asyncio.new_event_loop()\nloop.call_soon(lambda: (print("Goodbye"), loop.stop()))\nloop.run_forever()\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describePython(
  'npx loopwright with Python programs',
  () => {
    it('run script.py prints the output as Python does, and exits with its exit code', () => {
      expect(loopwright('run', path.join(LIBRARY, 'hello-world.py'))).toMatchObject({ code: 0, stdout: 'Hello World\n', stderr: '' });
      expect(loopwright('run', 'exits.py')).toMatchObject({ code: 4, stdout: 'partial\n', stderr: 'why\n' });
      const raised = loopwright('run', 'raises.py');
      expect(raised.code).toBe(1);
      // The traceback as Python printed it, once.
      expect(raised.stderr).toMatch(/^Traceback \(most recent call last\):\n/);
      expect(raised.stderr.match(/ValueError: no/g)).toHaveLength(1);
    });

    it('run --json streams the events of the Python loop; --detail and --python are taken', () => {
      const r = loopwright('run', path.join(LIBRARY, 'hello-world.py'), '--json', '--detail', 'callbacks', '--python', 'python3');
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; callback?: string });
      expect(lines).toContainEqual(expect.objectContaining({ type: 'handle-scheduled', callback: 'hello_world' }));
      expect(loopwright('run', 'exits.py', '--detail', 'everything')).toMatchObject({ code: 2, stderr: expect.stringContaining('--detail takes full, callbacks or tasks') });
      expect(loopwright('run', 'exits.py', '--python', '/nonexistent/python3')).toMatchObject({ code: 1, stderr: expect.stringContaining('LOOPWRIGHT_PYTHON') });
    });

    it('diff compares a Python program with its TypeScript twin, and fails on a difference', () => {
      const same = loopwright('diff', path.join(LIBRARY, 'ten-tasks.py'), path.join(LIBRARY, 'ten-tasks.ts'));
      expect(same.code).toBe(0);
      expect(same.stdout).toContain('EQUAL: the same callbacks in the same 5 iteration(s), and the same output.');
      const different = loopwright('diff', 'other.py', path.join(LIBRARY, 'hello-world.ts'));
      expect(different.code).toBe(1);
      expect(different.stdout).toContain('DIFFERENT:');
      expect(different.stdout).toContain('the printed output differs');
      const json = loopwright('diff', path.join(LIBRARY, 'hello-world.py'), path.join(LIBRARY, 'hello-world.ts'), '--json');
      expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'equal', outputEqual: true, iterations: { python: 1, typescript: 1 } });
      expect(loopwright('diff', 'other.py')).toMatchObject({ code: 2 });
    });
  },
  { timeout: 120_000 },
);

it('help documents running Python programs and diff', () => {
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  for (const word of ['.py', 'diff', '--python', '--detail']) expect(r.stdout).toContain(word);
});
