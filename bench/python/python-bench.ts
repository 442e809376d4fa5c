// The instrumentation's overhead per detail level on the anchors' Python workloads (issue 8: full
// detail under 5x, tasks only under 1.5x). The figure is the workload's own timer (its JSON line's
// elapsed_s, which excludes interpreter start-up), plain against under the shim through the whole
// pipeline: records written by the shim, read and decoded onto the event schema by PythonRun, and
// handed to a listener. Rounds interleave the variants in rotating order; the ratios are given from
// the best run of each variant (the usual figure on a noisy machine) and from the medians.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PythonRun, type PythonDetail } from '../../electron/host/python/python-run';

const root = path.resolve(process.argv[2] ?? '.');
const argv = process.argv.slice(3);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rounds = Number(opt('--rounds') ?? 5);
const only = (opt('--only') ?? 'A,C').split(',');
// The anchors run Debian's /usr/bin/python3 (their README); python3 on PATH where it is missing.
const python = opt('--python') ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const anchors = process.env.LOOPWRIGHT_BENCH_ANCHORS ?? path.resolve(root, '..', 'shared', 'bench-anchors');

const WORKLOADS = [
  { key: 'A', script: 'a_call_soon.py', metric: 'callbacks_per_s', target: { full: 5, tasks: 1.5 } },
  { key: 'C', script: 'c_tasks.py', metric: 'task_steps_per_s', target: { full: 5, tasks: 1.5 } },
].filter((w) => only.includes(w.key));

type Variant = 'plain' | PythonDetail;
const VARIANTS: Variant[] = ['plain', 'full', 'callbacks', 'tasks'];

interface Sample {
  elapsed: number;
  metric: number;
  events: number;
}

function parseLine(stdout: string): Record<string, number> {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, number>;
  } catch {
    throw new Error(`the workload printed no JSON line: ${stdout.slice(-300)}`);
  }
}

async function runOnce(file: string, variant: Variant, metric: string): Promise<Sample> {
  if (variant === 'plain') {
    const r = spawnSync(python, [file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${file} failed: ${r.stderr}`);
    const j = parseLine(r.stdout);
    return { elapsed: j.elapsed_s, metric: j[metric], events: 0 };
  }
  let stdout = '';
  let events = 0;
  const run = await PythonRun.start(
    { file, detail: variant, interpreter: python, shimDir: path.join(root, 'python') },
    { output: (chunks) => chunks.forEach((c) => c.stream === 'stdout' && (stdout += c.text)), events: (e) => (events += e.length) },
  );
  const result = await run.done;
  if (result.state !== 'finished') throw new Error(`${file} under the shim (${variant}) ${result.state}: ${result.error?.message ?? ''}`);
  const j = parseLine(stdout);
  return { elapsed: j.elapsed_s, metric: j[metric], events };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(anchors)) throw new Error(`no bench anchors at ${anchors} (set LOOPWRIGHT_BENCH_ANCHORS)`);
  const version = spawnSync(python, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`bench:python -- ${version} (${python}), ${rounds} rounds, anchors ${anchors}`);
  const report: Record<string, unknown> = {};
  let allMet = true;
  for (const w of WORKLOADS) {
    const file = path.join(anchors, w.script);
    const samples = new Map<Variant, Sample[]>(VARIANTS.map((v) => [v, []]));
    for (let r = 0; r < rounds; r++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]);
      for (const v of order) samples.get(v)!.push(await runOnce(file, v, w.metric));
      process.stderr.write(`  ${w.key} round ${r + 1}/${rounds} done\n`);
    }
    const plain = samples.get('plain')!;
    const bestPlain = Math.min(...plain.map((s) => s.elapsed));
    const medPlain = median(plain.map((s) => s.elapsed));
    console.log(`\n${w.key} (${w.script}, ${w.metric})`);
    console.log(`  ${'variant'.padEnd(10)}${'best s'.padStart(9)}${'median s'.padStart(10)}${'best metric'.padStart(14)}${'x best'.padStart(9)}${'x median'.padStart(10)}${'events/run'.padStart(12)}  target`);
    const rows: Record<string, unknown> = {};
    for (const v of VARIANTS) {
      const s = samples.get(v)!;
      const best = Math.min(...s.map((x) => x.elapsed));
      const med = median(s.map((x) => x.elapsed));
      const ratioBest = best / bestPlain;
      const ratioMedian = med / medPlain;
      const target = v === 'full' ? w.target.full : v === 'tasks' ? w.target.tasks : undefined;
      const met = target === undefined ? '' : ratioBest < target ? `< ${target}x: met` : `< ${target}x: NOT met`;
      if (target !== undefined && ratioBest >= target) allMet = false;
      console.log(
        `  ${v.padEnd(10)}${best.toFixed(3).padStart(9)}${med.toFixed(3).padStart(10)}${Math.max(...s.map((x) => x.metric)).toLocaleString('en-US').padStart(14)}${ratioBest.toFixed(2).padStart(9)}${ratioMedian.toFixed(2).padStart(10)}${Math.round(median(s.map((x) => x.events))).toLocaleString('en-US').padStart(12)}  ${met}`,
      );
      rows[v] = { best_s: best, median_s: med, ratio_best: +ratioBest.toFixed(3), ratio_median: +ratioMedian.toFixed(3), samples: s };
    }
    report[w.key] = rows;
  }
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `python-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify({ python, version, rounds, report }, null, 2));
  console.log(`\nratios: the workload's own elapsed time under the shim over plain (best of ${rounds}; median beside it). Raw: ${path.relative(root, out)}`);
  console.log(allMet ? 'targets met (full < 5x, tasks < 1.5x, on the best-of ratios)' : 'a target was NOT met (see above)');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
