#!/usr/bin/env node
// `npm run bench:runner`: the scenario runner's figures (issue: scenarios). Builds the app if needed
// and bench/runner/runner-bench.ts with esbuild, then runs it: start latency of a hello-world run and
// stop latency of a runaway scenario (median and worst of 20 each), and the cost of observing (event stream on vs off) on the callSoon and
// TCP echo workloads inside a worker. ROUNDS=n sets the rounds of the latter (default 5).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { buildIfNeeded } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
buildIfNeeded();
const outfile = path.join(root, 'out/bench/runner-bench.mjs');
buildSync({ entryPoints: [path.join(root, 'bench/runner/runner-bench.ts')], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'error',
  // echo-protocols.ts imports `loopwright`, as a scenario does: here that is the engine this process runs.
  alias: { loopwright: path.join(root, 'electron/engine/index.ts') } });
const result = spawnSync(process.execPath, [outfile, root], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
