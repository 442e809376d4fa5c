import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../../../bin/loopwright.mjs');
let dir: string;

/** Runs `npx loopwright …` as a user would, and collects what it printed. */
function loopwright(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-cli-'));
  writeFileSync(
    path.join(dir, 'hello.ts'),
    "import { getEventLoop } from 'loopwright';\nexport const meta = { title: 'Hello', clock: 'virtual' };\nconst loop = getEventLoop();\nloop.callSoon(function helloWorld() { console.log('Hello World'); loop.stop(); });\nawait loop.runForever();\n",
  );
  writeFileSync(path.join(dir, 'expected.txt'), 'Hello World\n');
  writeFileSync(path.join(dir, 'other.txt'), 'Goodbye\n');
  writeFileSync(path.join(dir, 'broken.ts'), 'const a = 1;\nconst b = ;\n');
  writeFileSync(path.join(dir, 'throws.ts'), "function fail(): never {\n  throw new RangeError('out of range');\n}\nfail();\n");
  writeFileSync(path.join(dir, 'spin.ts'), 'while (true) {}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npx loopwright', { timeout: 60_000 }, () => {
  it('run prints the output and exits 0; --expect-output passes when equal', () => {
    expect(loopwright('run', 'hello.ts')).toMatchObject({ code: 0, stdout: 'Hello World\n' });
    expect(loopwright('run', 'hello.ts', '--expect-output', 'expected.txt')).toMatchObject({ code: 0 });
  });

  it('exits 1 with a readable diff when the output differs', () => {
    const r = loopwright('run', 'hello.ts', '--expect-output', 'other.txt');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('- Goodbye\n+ Hello World');
  });

  it('--json prints the engine events and the output as JSON lines', () => {
    const r = loopwright('run', 'hello.ts', '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; callback?: string; text?: string });
    expect(lines).toContainEqual(expect.objectContaining({ type: 'handle-scheduled', callback: 'helloWorld' }));
    expect(lines).toContainEqual({ type: 'output', stream: 'stdout', text: 'Hello World\n' });
  });

  it('names the file, line and column of a syntax error and of a thrown error, and exits 1', () => {
    const syntax = loopwright('run', 'broken.ts');
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain(`${path.join(dir, 'broken.ts')}:2:11: error: Unexpected ";"`);
    const thrown = loopwright('run', 'throws.ts');
    expect(thrown.code).toBe(1);
    expect(thrown.stderr.split('\n')[0]).toBe(`${path.join(dir, 'throws.ts')}:2:9: RangeError: out of range`);
    expect(thrown.stderr).not.toContain('node:internal');
  });

  it('exits 124 when the timeout ends a runaway scenario', () => {
    const r = loopwright('run', 'spin.ts', '--timeout', '0.5');
    expect(r.code).toBe(124);
    expect(r.stderr).toContain('timed out after 0.5 s');
  });

  it('exits 2 on a usage error, and documents every flag in --help', () => {
    expect(loopwright('run')).toMatchObject({ code: 2, stderr: expect.stringContaining('run needs a scenario file') });
    expect(loopwright('run', 'missing.ts')).toMatchObject({ code: 2, stderr: expect.stringContaining('no such scenario file: missing.ts') });
    const help = loopwright('--help');
    expect(help.code).toBe(0);
    for (const flag of ['--clock', '--timeout', '--expect-output', '--json', 'list', 'check']) expect(help.stdout).toContain(flag);
  });
});
