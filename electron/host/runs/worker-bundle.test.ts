import path from 'node:path';
import { buildSync, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

/** The packages a bundle of `entry` loads, built as scripts/build.mjs builds the run's worker. */
function packagesLoaded(entry: string, external: boolean): string[] {
  const { metafile } = buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    ...(external ? { external: ['loopwright'], packages: 'external' as const } : {}),
  });
  const meta = metafile as Metafile;
  const bundled = Object.keys(meta.inputs).filter((p) => p.includes('node_modules/'));
  const imported = Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  return [...bundled, ...imported];
}

describe("a run's worker loads no schema library", () => {
  // Every run starts a new worker that loads and compiles the engine and the worker's code: zod (the
  // IPC and event schemas) is most of a megabyte the run never uses, and made each start slower.
  it('neither the engine nor the scenario worker pulls in zod', () => {
    expect(packagesLoaded('electron/engine/index.ts', false).filter((p) => p.includes('zod'))).toEqual([]);
    expect(packagesLoaded('electron/host/runs/scenario-worker.ts', true).filter((p) => p.includes('zod'))).toEqual([]);
  });
});
