import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioSyntaxError, transpileScenario } from './transpile';

let dir: string;
let engineModule: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-transpile-'));
  engineModule = path.join(dir, 'engine.mjs');
  writeFileSync(engineModule, 'export const answer = 42; export function getEventLoop() { return "loop"; }\n');
  writeFileSync(path.join(dir, 'helper.ts'), 'export const twice = (n: number): number => n * 2;\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compileAndImport(name: string, source: string): Promise<Record<string, unknown>> {
  const file = path.join(dir, name);
  const outFile = path.join(dir, 'out', `${name}.mjs`);
  const code = await transpileScenario({ source, file, engineModule, outFile });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return (await import(pathToFileURL(outFile).href)) as Record<string, unknown>;
}

describe('transpileScenario', () => {
  it('strips types, bundles relative imports and imports loopwright from the engine module', async () => {
    const mod = await compileAndImport(
      'ok.ts',
      "import { answer, getEventLoop } from 'loopwright';\nimport { twice } from './helper';\ninterface X { n: number }\nconst x: X = { n: answer };\nexport const result = [twice(x.n), getEventLoop()];\n",
    );
    expect(mod.result).toEqual([84, 'loop']);
  });

  it('supports top-level await, as scenarios that await loop.runForever() need', async () => {
    const mod = await compileAndImport('tla.ts', 'export const v: number = await Promise.resolve(7);\n');
    expect(mod.v).toBe(7);
  });

  it('reports a syntax error with the file, line and column, before anything runs', async () => {
    const file = path.join(dir, 'broken.ts');
    const error = await transpileScenario({ source: 'const ok = 1;\n\nconst broken = ;\n', file, engineModule, outFile: path.join(dir, 'x.mjs') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioSyntaxError);
    const e = error as ScenarioSyntaxError;
    expect(e.location).toMatchObject({ file, line: 3, column: 16, lineText: 'const broken = ;' });
    expect(e.message).toBe(`${file}:3:16: Unexpected ";"`);
  });

  it('reports an import of a missing file as an error at the import', async () => {
    const file = path.join(dir, 'missing.ts');
    const error = await transpileScenario({ source: "import { x } from './nope';\nconsole.log(x);\n", file, engineModule, outFile: path.join(dir, 'y.mjs') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioSyntaxError);
    expect((error as ScenarioSyntaxError).location).toMatchObject({ line: 1 });
    expect((error as Error).message).toContain('Could not resolve "./nope"');
  });

  it('maps a thrown error to the scenario\'s own line through the source map', async () => {
    process.setSourceMapsEnabled(true);
    const error = await compileAndImport('throws.ts', "type T = string;\nconst t: T = 'x';\n\nfunction fail(): never {\n  throw new Error('boom ' + t);\n}\nfail();\n").catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom x');
    expect((error as Error).stack).toContain(`${path.join(dir, 'throws.ts')}:5:9`);
  });
});
