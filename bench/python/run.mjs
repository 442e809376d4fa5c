#!/usr/bin/env node
// `npm run bench:python`: the cost of observing a Python program, per detail level, on the
// anchors' Python workloads A (call_soon throughput) and C (tasks). Builds bench/python/python-bench.ts
// with esbuild and runs it: each round runs the anchor script plain and under the instrumentation at
// every detail level (full, callbacks, tasks), in rotating order, in the same run on the same machine.
//
//   npm run bench:python [-- --rounds 5] [-- --only A,C] [-- --python /usr/bin/python3]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = path.join(root, 'out/bench/python-bench.mjs');
buildSync({ entryPoints: [path.join(root, 'bench/python/python-bench.ts')], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'error' });
const result = spawnSync(process.execPath, [outfile, root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
