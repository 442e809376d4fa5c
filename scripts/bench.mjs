#!/usr/bin/env node
// `npm run bench`: builds bench/*.ts with esbuild into out/bench/*.mjs and runs them. When Debian's
// /usr/bin/python3 with asyncio and uvloop is present (and ../shared/bench-anchors exists), our
// scripts join the anchors' own interleaved rounds through run_all.py's --add, so every figure comes
// from the same run on the same machine; otherwise ours run alone, interleaved the same way.
//
//   npm run bench [-- --only A,C] [-- --rounds N] [-- --no-anchors]
//
// Each workload runs in three variants: `loopwright` (event stream off, the figure the targets are
// about), `loopwright+sink` (a counting event sink attached) and, for the workloads marked `bare`,
// `loopwright-bare`: the same engine built with every observation hook compiled out (each
// `x._sink !== null` and the drain's `if (this._instrumented)` replaced by `false` at build time,
// so esbuild drops the event, debug and step-gate code), so that the cost of the instrumentation
// with no sink attached is measured against no instrumentation at all. Every variant runs with the
// heap the runner gives scenario workers (as V8 flags, from electron/host/runs/worker-heap.ts: a
// larger young generation and old generation start); workload C, which that heap was made for, also
// runs on V8's default heap (`loopwright-v8-default-heap`), so that both figures stand side by side.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'out', 'bench');
const resultsDir = path.join(root, 'bench', 'results');
const anchorsDir = process.env.LOOPWRIGHT_BENCH_ANCHORS ?? path.resolve(root, '..', 'shared', 'bench-anchors');
const PYTHON = '/usr/bin/python3';

/**
 * The workloads. `key` is run_all.py's workload key; `addKey` is what --add expects for it (run_all
 * reads `B` as B_real); `metric` and `higher` say how to compare; `bare` adds the uninstrumented build.
 * The I/O workloads add entries here, e.g. { key: 'D', file: 'd_tcp_server.ts', metric: 'msgs_per_s', higher: true }
 * (for D and F run_all.py drives the --add command as the server with its fixed Node client).
 */
export const WORKLOADS = [
  { key: 'A', file: 'a_call_soon.ts', args: [], metric: 'callbacks_per_s', higher: true, bare: true },
  { key: 'B_real', addKey: 'B', file: 'b_timers.ts', args: ['--mode', 'real'], metric: 'lag_ms', higher: false },
  { key: 'B_past', file: 'b_timers.ts', args: ['--mode', 'past'], metric: 'timers_per_s', higher: true },
  { key: 'C', file: 'c_tasks.ts', args: [], metric: 'task_steps_per_s', higher: true, defaultHeap: true },
  // Engine I/O (D and F: our script is the server that run_all.py's fixed Node client drives; the
  // targets are about server CPU per message, which run_all.py prints as server_cpu_s).
  { key: 'D', file: 'd_tcp_server.ts', args: [], metric: 'msgs_per_s', higher: true, client: 'd_tcp_client.mjs' },
  { key: 'E', file: 'e_subprocess.ts', args: [], metric: 'spawns_per_s', higher: true },
  { key: 'F', file: 'f_udp_server.ts', args: [], metric: 'dgrams_per_s', higher: true, client: 'f_udp_client.mjs' },
];

/**
 * Our runtimes per workload: label, extra arguments, whether it uses the bare build, and whether it
 * runs on V8's default heap instead of the scenario workers' (shown for workloads marked defaultHeap).
 */
const VARIANTS = [
  { label: 'loopwright', extra: [], bare: false },
  { label: 'loopwright+sink', extra: ['--sink'], bare: false },
  { label: 'loopwright-bare', extra: [], bare: true },
  { label: 'loopwright-v8-default-heap', extra: [], bare: false, defaultHeap: true },
];

/**
 * The engine runs here with the heap the runner gives every scenario worker
 * (electron/host/runs/worker-heap.ts), as V8 flags since these scripts run outside a worker.
 */
async function scenarioHeapFlags() {
  const { outputFiles } = await build({ entryPoints: [path.join(root, 'electron/host/runs/worker-heap.ts')], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'warning' });
  const { SCENARIO_V8_FLAGS } = await import(`data:text/javascript,${encodeURIComponent(outputFiles[0].text)}`);
  return SCENARIO_V8_FLAGS;
}
const HEAP_FLAGS = await scenarioHeapFlags();

function parseArgs(argv) {
  const opts = { only: null, rounds: 3, anchors: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') opts.only = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
    else if (a.startsWith('--only=')) opts.only = a.slice(7).split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else if (a.startsWith('--rounds=')) opts.rounds = Number(a.slice(9));
    else if (a === '--no-anchors') opts.anchors = false;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench -- [--only A,B,C] [--rounds N] [--no-anchors]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error('--rounds needs a positive integer');
  return opts;
}

function selected(only) {
  if (!only) return WORKLOADS;
  const chosen = WORKLOADS.filter((w) => only.includes(w.key) || only.includes(w.key.split('_')[0]));
  if (chosen.length === 0) throw new Error(`--only ${only.join(',')} matches no workload (have ${WORKLOADS.map((w) => w.key).join(', ')})`);
  return chosen;
}

// The bare build: every sink check in the engine core reads `false`, so esbuild drops the emission code.
const bareEngine = {
  name: 'bare-engine',
  setup(b) {
    b.onLoad({ filter: /electron[\\/]engine[\\/]core[\\/][^\\/]+\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
        .replace(/\b[\w$]+\._sink !== null/g, 'false')
        .replace(/\bif \(this\._instrumented\)/g, 'if (false)');
      return { contents: source, loader: 'ts' };
    });
  },
};

async function buildAll(workloads) {
  mkdirSync(outDir, { recursive: true });
  const files = [...new Set(workloads.map((w) => w.file))];
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', minifySyntax: true, logLevel: 'warning', absWorkingDir: root };
  await build({ ...common, entryPoints: files.map((f) => path.join(root, 'bench', f)), outdir: outDir, outExtension: { '.js': '.mjs' } });
  const bareFiles = [...new Set(workloads.filter((w) => w.bare).map((w) => w.file))];
  if (bareFiles.length > 0) {
    await build({ ...common, entryPoints: bareFiles.map((f) => path.join(root, 'bench', f)), outdir: outDir, outExtension: { '.js': '.bare.mjs' }, plugins: [bareEngine] });
  }
}

function scriptPath(w, variant) {
  return path.join(outDir, w.file.replace(/\.ts$/, variant.bare ? '.bare.mjs' : '.mjs'));
}

function variantsOf(w) {
  return VARIANTS.filter((v) => (!v.bare || w.bare) && (!v.defaultHeap || w.defaultHeap));
}

function commandOf(w, variant) {
  return [process.execPath, ...(variant.defaultHeap ? [] : HEAP_FLAGS), scriptPath(w, variant), ...w.args, ...variant.extra];
}

const quote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function anchorsAvailable() {
  if (!existsSync(path.join(anchorsDir, 'run_all.py')) || !existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import asyncio, uvloop'], { stdio: 'ignore' }).status === 0;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x) => (x === undefined || Number.isNaN(x) ? '–' : Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

/** Runs run_all.py with our scripts added; returns its stats (medians) keyed `workload|runtime`. */
async function runWithAnchors(workloads, rounds) {
  mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const args = ['run_all.py', '--rounds', String(rounds), '--only', workloads.map((w) => w.key).join(','), '--out', out];
  for (const w of workloads) for (const v of variantsOf(w)) args.push('--add', `${w.addKey ?? w.key}|${v.label}|${commandOf(w, v).map(quote).join(' ')}`);
  const child = spawn(PYTHON, args, { cwd: anchorsDir, stdio: ['ignore', 'pipe', 'inherit'] });
  let table = '';
  child.stdout.on('data', (d) => {
    table += d;
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`run_all.py exited with ${code}`);
  console.log('\nrun_all.py (anchors and loopwright, interleaved rounds, median [min..max]):\n');
  console.log(table.trimEnd());
  return JSON.parse(readFileSync(out, 'utf8')).stats;
}

/** Runs our scripts alone, interleaved by round, and returns stats in run_all.py's shape. */
function runAlone(workloads, rounds) {
  const raw = {};
  for (let r = 0; r < rounds; r++) {
    for (const w of workloads) {
      for (const v of variantsOf(w)) {
        // D and F scripts are servers: the anchors' fixed Node client drives them (it needs no Python).
        const client = w.client ? path.join(anchorsDir, w.client) : null;
        if (client && !existsSync(client)) {
          process.stderr.write(`round ${r + 1} ${w.key.padEnd(7)} ${v.label.padEnd(16)} skipped: its client ${client} is missing\n`);
          continue;
        }
        const [cmd, ...rest] = client ? [process.execPath, client, '--label', v.label, '--', ...commandOf(w, v)] : commandOf(w, v);
        const p = spawnSync(cmd, rest, { encoding: 'utf8', timeout: 120_000, cwd: client ? anchorsDir : root });
        const line = (p.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).pop();
        const rec = line ? JSON.parse(line) : { error: p.stderr?.slice(0, 200) ?? 'no output' };
        (raw[`${w.key}|${v.label}`] ??= []).push(rec);
        process.stderr.write(`round ${r + 1} ${w.key.padEnd(7)} ${v.label.padEnd(16)} ${JSON.stringify(rec)}\n`);
      }
    }
  }
  const stats = {};
  for (const [key, recs] of Object.entries(raw)) {
    const w = workloads.find((x) => x.key === key.split('|')[0]);
    const vals = recs.map((r) => r[w.metric]).filter((x) => typeof x === 'number');
    if (vals.length) stats[key] = { [w.metric]: { median: median(vals), min: Math.min(...vals), max: Math.max(...vals) } };
  }
  return stats;
}

function printSummary(workloads, stats, withAnchors) {
  const anchorLabels = withAnchors ? ['asyncio', 'uvloop'] : [];
  // Beside the ratio of medians, the ratio of best runs: on a shared machine other work only slows a
  // run down, so each side's best run is its least disturbed one.
  const head = ['workload', 'runtime', 'metric', 'median', 'min..max', ...anchorLabels.map((a) => `vs ${a}`), ...anchorLabels.map((a) => `best vs ${a}`)];
  const rows = [head, head.map(() => '---')];
  for (const w of workloads) {
    for (const v of variantsOf(w)) {
      const s = stats[`${w.key}|${v.label}`]?.[w.metric];
      if (!s) {
        rows.push([w.key, v.label, w.metric, 'FAILED', '', ...anchorLabels.map(() => ''), ...anchorLabels.map(() => '')]);
        continue;
      }
      // For lag (lower is better) the ratio says how many times lower ours is.
      const ratio = (ours, ref) => `${(w.higher ? ours / ref : ref / Math.max(ours, 1e-9)).toFixed(2)}x`;
      const best = (x) => (w.higher ? x.max : x.min);
      const refs = anchorLabels.map((a) => stats[`${w.key}|${a}`]?.[w.metric]);
      const ratios = refs.map((ref) => (ref === undefined ? '–' : ratio(s.median, ref.median)));
      const bestRatios = refs.map((ref) => (ref === undefined ? '–' : ratio(best(s), best(ref))));
      rows.push([w.key, v.label, w.metric, fmt(s.median), `${fmt(s.min)}..${fmt(s.max)}`, ...ratios, ...bestRatios]);
    }
  }
  console.log(`\nloopwright summary (ratios: ours / anchor${withAnchors ? '; for lag_ms: anchor / ours' : ''}, of the medians and of the best runs):\n`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  for (const w of workloads.filter((x) => x.bare)) {
    const on = stats[`${w.key}|loopwright`]?.[w.metric]?.median;
    const bare = stats[`${w.key}|loopwright-bare`]?.[w.metric]?.median;
    if (on && bare) {
      const cost = w.higher ? 1 - on / bare : on / bare - 1;
      console.log(`\n${w.key}: instrumentation cost with no sink attached, from the table above: ${(cost * 100).toFixed(1)}% (loopwright vs loopwright-bare, medians)`);
    }
  }
}

/**
 * The cost of the instrumentation with no sink attached, measured more finely than one run per
 * process allows on a noisy, shared machine: pairs of processes (bare build and instrumented build,
 * one right after the other, alternating which goes first) each run the workload `repeat` times in
 * process and report their best run (the least disturbed by other load); the cost is the median
 * over the pairs of 1 - instrumented / bare.
 */
function measureInstrumentationCost(w, pairs, repeat) {
  const ratios = [];
  const bareV = VARIANTS.find((v) => v.bare);
  const offV = VARIANTS.find((v) => v.label === 'loopwright');
  for (let i = 0; i < pairs; i++) {
    const run = (v) => {
      const [cmd, ...rest] = commandOf(w, v);
      const p = spawnSync(cmd, [...rest, '--repeat', String(repeat)], { encoding: 'utf8', timeout: 300_000 });
      const line = (p.stdout ?? '').split('\n').filter((l) => l.startsWith('{')).pop();
      return line ? (JSON.parse(line)[`best_${w.metric}`] ?? JSON.parse(line)[w.metric]) : NaN;
    };
    // Alternate which build goes first so that drift in the machine's load cancels out.
    const [bare, on] = i % 2 === 0 ? [run(bareV), run(offV)] : (() => { const o = run(offV); return [run(bareV), o]; })();
    ratios.push(w.higher ? 1 - on / bare : on / bare - 1);
    process.stderr.write(`cost pair ${i + 1}: bare ${fmt(bare)} vs instrumented ${fmt(on)} -> ${(ratios.at(-1) * 100).toFixed(1)}%\n`);
  }
  return median(ratios);
}

const opts = parseArgs(process.argv.slice(2));
const workloads = selected(opts.only);
await buildAll(workloads);
const withAnchors = opts.anchors && anchorsAvailable();
if (!withAnchors) console.error(opts.anchors ? `No anchors (${PYTHON} with asyncio and uvloop, and ${anchorsDir}/run_all.py): running loopwright alone.` : 'Running loopwright alone (--no-anchors).');
const stats = withAnchors ? await runWithAnchors(workloads, opts.rounds) : runAlone(workloads, opts.rounds);
printSummary(workloads, stats, withAnchors);
for (const w of workloads.filter((x) => x.bare)) {
  const cost = measureInstrumentationCost(w, 10, 15);
  console.log(`${w.key}: instrumentation cost with no sink attached, paired runs (10 pairs x best of 15 in-process runs, median): ${(cost * 100).toFixed(1)}%`);
}
