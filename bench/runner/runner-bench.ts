// The runner's benchmark: how fast a run starts, how fast a runaway scenario is stopped, and what
// observing a run costs (the event stream on, batched to the host, against the same workload with it
// off), then the same cost stage by stage in this process (observe-cost.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RunManager, type RunOptions } from '../../electron/host/runs/run-manager';
import { observeCostInProcess } from './observe-cost';
import { threadsCpuMsBetween, threadsCpuNs } from './process-threads-cpu';

const root = path.resolve(process.argv[2] ?? '.');
const manager = new RunManager(path.join(root, 'out/engine'));
const here = path.join(root, 'bench/runner');

function options(name: string, extra: Partial<RunOptions> = {}): RunOptions {
  const file = path.join(here, name);
  return { file, source: readFileSync(file, 'utf8'), clock: 'real', ...extra };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function stopLatency(times: number): Promise<{ median_ms: number; worst_ms: number; samples: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const run = await manager.start(options('runaway.ts'));
    await new Promise((resolve) => setTimeout(resolve, 150)); // let it spin
    const t0 = performance.now();
    await run.stop();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median_ms: +percentile(samples, 0.5).toFixed(1), worst_ms: +samples[samples.length - 1].toFixed(1), samples: samples.length };
}

/**
 * How long a run takes to start: from asking for a hello-world run (transpiling it, starting its
 * worker, loading the engine) to its first line of output, and to its end (the worker gone).
 */
async function startLatency(times: number) {
  const [first, done]: [number[], number[]] = [[], []];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    let printed = 0;
    const run = await manager.start(options('hello.ts'), { output: () => void (printed ||= performance.now() - t0) });
    await run.done;
    first.push(printed);
    done.push(performance.now() - t0);
  }
  const summary = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { median_ms: +percentile(sorted, 0.5).toFixed(1), worst_ms: +sorted[sorted.length - 1].toFixed(1) };
  };
  return { first_output: summary(first), ended: summary(done), samples: times };
}

/**
 * Runs a workload scenario and returns the metric it prints, with the event stream on or off, and the
 * worker thread's CPU time per unit where the scenario reports it.
 */
async function workload(name: string, metric: string, events: boolean): Promise<{ value: number; cpuNs?: number; events: number; threads?: { main: number; others: number } }> {
  let stdout = '';
  let count = 0;
  const before = threadsCpuNs();
  const run = await manager.start(options(name, { events }), {
    output: (chunks) => chunks.forEach((c) => c.stream === 'stdout' && (stdout += c.text)),
    // As the recorder takes them: the run has written the worker's records as lines already (the
    // host's share of the work, on its own thread); not parsed here.
    eventBatch: (batch) => void (count += batch.count),
  });
  const result = await run.done;
  const after = threadsCpuNs();
  if (result.state !== 'finished') throw new Error(`${name} ${result.state}: ${result.error?.message ?? ''}`);
  const line = stdout.trim().split('\n').pop() ?? '{}';
  const printed = JSON.parse(line) as Record<string, number>;
  const threads = before !== null && after !== null ? threadsCpuMsBetween(before, after) : undefined;
  return { value: printed[metric], cpuNs: printed.worker_cpu_ns_per_unit, events: count, threads };
}

async function observeCost(name: string, metric: string, rounds: number) {
  const off: number[] = [];
  const on: number[] = [];
  const cpuOff: number[] = [];
  const cpuOn: number[] = [];
  const threads: Record<'off' | 'on', { main: number[]; others: number[] }> = { off: { main: [], others: [] }, on: { main: [], others: [] } };
  let events = 0;
  for (let r = 0; r < rounds; r++) {
    const a = await workload(name, metric, false);
    off.push(a.value);
    const w = await workload(name, metric, true);
    on.push(w.value);
    for (const [mode, run] of [['off', a], ['on', w]] as const) {
      if (run.threads === undefined) continue;
      threads[mode].main.push(run.threads.main);
      threads[mode].others.push(run.threads.others);
    }
    events = w.events;
    if (a.cpuNs !== undefined && w.cpuNs !== undefined) {
      cpuOff.push(a.cpuNs);
      cpuOn.push(w.cpuNs);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const offM = median(off);
  const onM = median(on);
  // Other work on the machine only ever slows a run down: the best of each is the least disturbed.
  const [offB, onB] = [Math.max(...off), Math.max(...on)];
  // The worker thread's own CPU time per callback or message: what observing costs the run's thread, which
  // other load on the machine moves far less than the rates (best of each, for the same reason).
  const cpu =
    cpuOff.length === 0
      ? {}
      : {
          worker_cpu_ns_per_unit: { off: Math.min(...cpuOff), on: Math.min(...cpuOn) },
          overhead_worker_cpu_pct: +((Math.min(...cpuOn) / Math.min(...cpuOff) - 1) * 100).toFixed(1),
        };
  // What else ran while the worker did (medians, ms of CPU per run): the host's main thread, which
  // takes the events in, and the process's other threads (V8 compiling and collecting, the tick).
  const beside =
    threads.on.main.length === 0
      ? {}
      : {
          host_main_thread_cpu_ms: { off: median(threads.off.main), on: median(threads.on.main) },
          other_threads_cpu_ms: { off: median(threads.off.others), on: median(threads.on.others) },
        };
  return {
    workload: name,
    metric,
    events_off: offM,
    events_on: onM,
    overhead_pct: +((offM / onM - 1) * 100).toFixed(1),
    best_off: offB,
    best_on: onB,
    overhead_best_pct: +((offB / onB - 1) * 100).toFixed(1),
    ...cpu,
    ...beside,
    samples: { off, on },
    events_per_run: events,
  };
}

const rounds = Number(process.env.ROUNDS ?? 5);
console.log(JSON.stringify({ start_latency: await startLatency(20) }));
console.log(JSON.stringify({ stop_latency: await stopLatency(20) }));
console.log(JSON.stringify({ observe: await observeCost('call-soon.ts', 'callbacks_per_s', rounds) }));
console.log(JSON.stringify({ observe: await observeCost('tcp-echo.ts', 'msgs_per_s', rounds) }));
for (const line of await observeCostInProcess(rounds)) console.log(JSON.stringify(line));
await manager.stopAll();
