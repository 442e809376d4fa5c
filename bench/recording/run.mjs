#!/usr/bin/env node
// `npm run bench:recording`: builds the app if needed and the benchmark with esbuild, then runs it
// (see recording-bench.ts for what it measures). ROUNDS=n sets the overhead rounds (default 3).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { buildIfNeeded } from '../../scripts/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
buildIfNeeded();
const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'error' };
buildSync({ ...common, entryPoints: [path.join(root, 'bench/recording/recording-bench.ts')], outfile: path.join(root, 'out/bench/recording-bench.mjs') });
buildSync({ ...common, entryPoints: [path.join(root, 'bench/recording/open-seek.ts')], outfile: path.join(root, 'out/bench/recording-open-seek.mjs') });
const result = spawnSync(process.execPath, [path.join(root, 'out/bench/recording-bench.mjs'), root], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
