#!/usr/bin/env node
// Builds the app with electron-vite and stamps the build, so `npm start` rebuilds only when a
// source is newer than the last build. `npm run build` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'out', '.build-stamp');

/** Newest modification time under the inputs of the build. */
function newestSource() {
  let newest = 0;
  const visit = (p) => {
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules') visit(path.join(p, name));
    } else if (!p.endsWith('.test.ts')) newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of ['electron', 'renderer', 'shared', 'electron.vite.config.ts', 'package.json', 'package-lock.json']) {
    const full = path.join(root, p);
    if (existsSync(full)) visit(full);
  }
  return newest;
}

/**
 * The engine as one ESM module, and the scenario worker importing it: a run's worker and the
 * scenario it runs then share one engine instance (the scenario's `import … from 'loopwright'`
 * resolves to the same file). Beside them, the runs' line writer.
 */
function buildEngine() {
  const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'error', absWorkingDir: root };
  esbuild.buildSync({ ...common, entryPoints: ['electron/engine/index.ts'], outfile: 'out/engine/loopwright.mjs' });
  esbuild.buildSync({
    ...common,
    entryPoints: ['electron/host/runs/scenario-worker.ts'],
    outfile: 'out/engine/scenario-worker.mjs',
    external: ['loopwright'],
    packages: 'external',
  });
  // The thread that writes the runs' event lines (electron/host/runs/line-thread.ts).
  esbuild.buildSync({ ...common, entryPoints: ['electron/host/runs/line-writer.ts'], outfile: 'out/engine/line-writer.mjs', packages: 'external' });
  // Bare `loopwright` would not resolve from out/engine at run time: point it at the sibling file.
  const worker = path.join(root, 'out/engine/scenario-worker.mjs');
  writeFileSync(worker, readFileSync(worker, 'utf8').replace(/from "loopwright";/g, 'from "./loopwright.mjs";'));
}

/** Builds when forced, when there is no build, or when a source is newer than the build. */
export function buildIfNeeded(force = false) {
  const built = existsSync(stamp) ? Number(readFileSync(stamp, 'utf8')) : 0;
  if (!force && built >= newestSource() && existsSync(path.join(root, 'out/main/serve.js')) && existsSync(path.join(root, 'out/engine/scenario-worker.mjs')) && existsSync(path.join(root, 'out/engine/line-writer.mjs'))) return;
  process.stderr.write('Loopwright: building…\n');
  const started = Date.now();
  if (spawnSync(process.execPath, [path.join(root, 'scripts/engine-typings.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(1);
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}Loopwright: the build failed (above).\n`);
    process.exit(1);
  }
  try {
    buildEngine();
  } catch (error) {
    process.stderr.write(`Loopwright: the engine build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, String(Date.now()));
  process.stderr.write(`Loopwright: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}


if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildIfNeeded(true);
