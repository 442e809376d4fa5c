import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    expect(loopwright('run', '.')).toMatchObject({ code: 2, stderr: expect.stringContaining('. is a folder: give a scenario file') });
    const help = loopwright('--help');
    expect(help.code).toBe(0);
    for (const flag of ['--clock', '--timeout', '--expect-output', '--json', 'list', 'check']) expect(help.stdout).toContain(flag);
  });

  it('run --record writes a complete recording, and export turns it into pcapng, trace or cast', () => {
    const r = loopwright('run', 'hello.ts', '--record', 'hello.lwrec');
    expect(r).toMatchObject({ code: 0, stdout: 'Hello World\n' });
    expect(existsSync(path.join(dir, 'hello.lwrec.partial'))).toBe(false);
    const [header, ...lines] = readFileSync(path.join(dir, 'hello.lwrec'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toMatchObject({ format: 'loopwright-recording', clock: 'virtual', scenario: { path: path.join(dir, 'hello.ts') } });
    expect(lines).toContainEqual(expect.objectContaining({ kind: 'event', event: expect.objectContaining({ type: 'handle-scheduled', callback: 'helloWorld' }) }));
    expect(lines).toContainEqual(expect.objectContaining({ kind: 'output', text: 'Hello World\n' }));
    expect(lines.at(-1)).toMatchObject({ kind: 'state', state: 'finished' });
    for (const format of ['pcapng', 'trace', 'cast']) {
      const e = loopwright('export', 'hello.lwrec', '--format', format, '-o', `hello.${format}`);
      expect(e, format).toMatchObject({ code: 0, stdout: `wrote hello.${format} (${statSync(path.join(dir, `hello.${format}`)).size} bytes, ${format})\n` });
    }
    expect(loopwright('export', 'hello.lwrec', '--format', 'cast', '-o', 'hello.cast').stderr).toContain('the recording has no traffic');
  });

  it('run --record --detail callbacks keeps a TypeScript run\'s payload bytes out of the recording, and its header says so', () => {
    const echo = path.resolve(__dirname, '../../../scenarios/examples/tcp-echo-protocol.ts');
    const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
    expect(loopwright('run', echo, '--record', 'full.lwrec')).toMatchObject({ code: 0 });
    expect(loopwright('run', echo, '--record', 'light.lwrec', '--detail', 'callbacks')).toMatchObject({ code: 0 });
    const hello = Buffer.from('Hello World!').toString('base64');
    expect(read('full.lwrec')).toContain(hello);
    expect(JSON.parse(read('full.lwrec').split('\n')[0])).not.toHaveProperty('detail');
    expect(read('light.lwrec')).not.toContain(hello);
    expect(read('light.lwrec')).toContain('"transport-traffic"');
    expect(JSON.parse(read('light.lwrec').split('\n')[0])).toMatchObject({ detail: 'callbacks' });
  });

  it('export and run --record explain their usage errors, a missing file and a damaged recording', () => {
    expect(loopwright('export', 'hello.lwrec', '-o', 'x.pcapng')).toMatchObject({ code: 2, stderr: expect.stringContaining('export needs --format pcapng|trace|cast') });
    expect(loopwright('export', 'hello.lwrec', '--format', 'pdf', '-o', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('--format takes pcapng, trace or cast, got "pdf"') });
    expect(loopwright('export', 'nothing.lwrec', '--format', 'trace', '-o', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('no such recording: nothing.lwrec') });
    writeFileSync(path.join(dir, 'damaged.lwrec'), '{"format":"loopwright-recording","version":1}\nnot json\n{}\n');
    expect(loopwright('export', 'damaged.lwrec', '--format', 'trace', '-o', 'x')).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot open damaged.lwrec') });
    expect(loopwright('run', 'hello.ts', '--record', 'no/such/folder/x.lwrec')).toMatchObject({ code: 2, stderr: expect.stringContaining('the folder no/such/folder does not exist') });
    const help = loopwright('--help').stdout;
    for (const flag of ['--record', 'export', '--format', '--transport']) expect(help).toContain(flag);
  });
});
