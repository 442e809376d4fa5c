import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScenarioStore, ScenarioStoreError } from './scenario-store';
import { writeFileAtomic } from './atomic-write';

let dir: string;
let store: ScenarioStore;

const EXAMPLE = `import { getEventLoop } from 'loopwright';
export const meta = {
  title: 'Hello { world }', // a brace in a string and a comment }
  description: \`Prints \${'a'} greeting\`,
  clock: 'virtual' as const,
  expectedOutput: 'Hello World\\n',
};
console.log('Hello World');
`;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-store-'));
  mkdirSync(path.join(dir, 'library/protocols'), { recursive: true });
  mkdirSync(path.join(dir, 'workspace'));
  writeFileSync(path.join(dir, 'library/hello-world.ts'), EXAMPLE);
  writeFileSync(path.join(dir, 'library/protocols/echo.ts'), 'console.log(1)\n');
  writeFileSync(path.join(dir, 'library/examples.test.ts'), 'not a scenario');
  writeFileSync(path.join(dir, 'library/README.md'), 'not a scenario');
  writeFileSync(path.join(dir, 'outside.ts'), 'secret');
  store = new ScenarioStore({ library: path.join(dir, 'library'), workspace: path.join(dir, 'workspace') });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ws = (p: string) => ({ location: 'workspace' as const, path: p });
const lib = (p: string) => ({ location: 'library' as const, path: p });

describe('ScenarioStore', () => {
  it('lists library and workspace scenarios with their meta, without running them', async () => {
    await store.create(ws('mine.ts'));
    const list = await store.list();
    expect(list.map((e) => `${e.ref.location}/${e.ref.path}`)).toEqual(['library/hello-world.ts', 'library/protocols/echo.ts', 'workspace/mine.ts']);
    expect(list[0]).toMatchObject({ title: 'Hello { world }', description: 'Prints a greeting', clock: 'virtual', readOnly: true, language: 'typescript' });
    expect(list[1]).toMatchObject({ title: 'echo', clock: 'real' });
    expect(list[2]).toMatchObject({ title: 'New scenario', readOnly: false });
  });

  it('reports a meta that is not a plain literal instead of running it', async () => {
    writeFileSync(path.join(dir, 'workspace/weird.ts'), "export const meta = { title: process.exit(3) };\n");
    const file = await store.read(ws('weird.ts'));
    expect(file.meta).toBeUndefined();
    expect(file.metaProblem).toMatch(/meta must be a plain object literal: process is not defined/);
  });

  it('writes atomically and keeps the previous version when the write fails', async () => {
    await store.create(ws('a.ts'), 'v1');
    await store.write(ws('a.ts'), 'v2');
    expect(readFileSync(path.join(dir, 'workspace/a.ts'), 'utf8')).toBe('v2');
    chmodSync(path.join(dir, 'workspace'), 0o500); // the temporary file cannot be created
    try {
      if (process.getuid?.() !== 0) {
        await expect(store.write(ws('a.ts'), 'v3')).rejects.toThrow();
        expect(readFileSync(path.join(dir, 'workspace/a.ts'), 'utf8')).toBe('v2');
      }
    } finally {
      chmodSync(path.join(dir, 'workspace'), 0o700);
    }
    expect(readdirSync(path.join(dir, 'workspace'))).toEqual(['a.ts']);
  });

  it('a failed atomic write removes its temporary file and leaves the target untouched', async () => {
    const target = path.join(dir, 'workspace/b.ts');
    writeFileSync(target, 'old');
    // Renaming a file over a non-empty directory fails after the temporary file was written.
    const blocked = path.join(dir, 'workspace/blocked');
    mkdirSync(path.join(blocked, 'inner'), { recursive: true });
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(readdirSync(path.join(dir, 'workspace')).sort()).toEqual(['b.ts', 'blocked']);
    expect(readFileSync(target, 'utf8')).toBe('old');
  });

  it('refuses paths outside the workspace: .., absolute, and symbolic links', async () => {
    for (const p of ['../outside.ts', 'a/../../outside.ts', '/etc/passwd.ts']) {
      await expect(store.read(ws(p)), p).rejects.toMatchObject({ code: 'outside' });
    }
    symlinkSync(path.join(dir, 'outside.ts'), path.join(dir, 'workspace/link.ts'));
    symlinkSync(dir, path.join(dir, 'workspace/up'));
    await expect(store.read(ws('link.ts'))).rejects.toMatchObject({ code: 'outside' });
    await expect(store.write(ws('up/outside.ts'), 'x')).rejects.toMatchObject({ code: 'outside' });
    await expect(store.create(ws('up/new.ts'))).rejects.toMatchObject({ code: 'outside' });
    expect(readFileSync(path.join(dir, 'outside.ts'), 'utf8')).toBe('secret');
  });

  it('keeps the library read-only', async () => {
    await expect(store.write(lib('hello-world.ts'), 'x')).rejects.toMatchObject({ code: 'read-only' });
    await expect(store.delete(lib('hello-world.ts'))).rejects.toMatchObject({ code: 'read-only' });
    await expect(store.rename(lib('hello-world.ts'), 'x.ts')).rejects.toBeInstanceOf(ScenarioStoreError);
    expect(readFileSync(path.join(dir, 'library/hello-world.ts'), 'utf8')).toBe(EXAMPLE);
  });

  it('starts a new .py program from the Python template, whose meta block is read', async () => {
    const entry = await store.create(ws('mine.py'));
    expect(entry).toMatchObject({ ref: ws('mine.py'), language: 'python', title: 'New Python program', clock: 'real', readOnly: false });
    expect(readFileSync(path.join(dir, 'workspace/mine.py'), 'utf8')).toContain('loop.run_forever()');
  });

  it('creates, renames and deletes, refusing to overwrite', async () => {
    await store.create(ws('x.ts'));
    await expect(store.create(ws('x.ts'))).rejects.toMatchObject({ code: 'exists' });
    await store.create(ws('y.ts'));
    await expect(store.rename(ws('x.ts'), 'y.ts')).rejects.toMatchObject({ code: 'exists' });
    const renamed = await store.rename(ws('x.ts'), 'sub/z.ts');
    expect(renamed.ref).toEqual(ws('sub/z.ts'));
    await store.delete(ws('sub/z.ts'));
    await expect(store.delete(ws('sub/z.ts'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.create(ws('notes.txt'))).rejects.toMatchObject({ code: 'not-a-scenario' });
  });
});
