// The recording benchmark (`npm run bench:recording`), figures for the recording issue:
//   1. recording overhead on workloads A (callSoon) and D (TCP echo) run in a scenario worker, as
//      the app runs them: recorded, against the same run with the event stream on but not
//      recorded (what the workbench does without Record), and with events off (a plain CLI run);
//   2. opening a recording of about 1,000,000 events and random seeks in it, measured in a fresh
//      process (bench/recording/open-seek.ts);
//   3. bytes per event of those recordings;
//   4. the recording's own cost: the process's CPU time (user and system, worker and host alike)
//      per recorded event over that of the events-on run, which other load on the machine does
//      not change as much as it changes the runs' rates.
// Workloads are bench/runner's call-soon.ts and tcp-echo.ts; sizes are changed in their source.
// ROUNDS=n sets the overhead rounds (default 3); the runs alternate between variants.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { combineListeners, RunRecorder } from '../../electron/host/recording/run-recorder';
import { recordingHeader } from '../../electron/host/recording/recording-writer';
import { RunManager, type RunListener } from '../../electron/host/runs/run-manager';

const root = path.resolve(process.argv[2] ?? '.');
const manager = new RunManager(path.join(root, 'out/engine'));
const tmp = mkdtempSync(path.join(process.env.BENCH_TMP ?? tmpdir(), 'loopwright-bench-recording-'));
const rounds = Number(process.env.ROUNDS ?? 3);

interface Workload {
  key: string;
  file: string;
  metric: string;
  source: string;
}

function workload(key: string, name: string, metric: string, replace: [string, string][] = []): Workload {
  const file = path.join(root, 'bench/runner', name);
  let source = readFileSync(file, 'utf8');
  for (const [from, to] of replace) {
    if (!source.includes(from)) throw new Error(`${name} has no "${from}" to resize`);
    source = source.replace(from, to);
  }
  return { key, file, metric, source };
}

type Variant = 'events-off' | 'events-on' | 'recorded';

/** One run: the workload's own metric, and for a recorded run the file's figures. */
async function runOnce(w: Workload, variant: Variant, keep = false): Promise<{ value: number; events: number; bytes: number; file?: string; lines: number; cpuMs: number }> {
  let stdout = '';
  let events = 0;
  const listener: RunListener = {
    output: (chunks) => chunks.forEach((c) => c.stream === 'stdout' && (stdout += c.text)),
    ...(variant === 'events-off' ? {} : { eventBatch: (batch) => void (events += batch.count) }),
  };
  let recorder: RunRecorder | undefined;
  const out = path.join(tmp, `${w.key}-${Date.now()}.lwrec`);
  if (variant === 'recorded') {
    recorder = await RunRecorder.create(out, recordingHeader({ appVersion: 'bench', platform: `${process.platform} ${process.arch}`, scenarioPath: w.file, source: w.source, clock: 'real' }));
  }
  const combined: RunListener = recorder ? combineListeners(listener, recorder.listener) : listener;
  const cpu = process.cpuUsage();
  const run = await manager.start({ file: w.file, source: w.source, clock: 'real', events: variant !== 'events-off' }, combined);
  const result = await run.done;
  if (result.state !== 'finished') throw new Error(`${w.key} ${result.state}: ${result.error?.message ?? ''}`);
  let bytes = 0;
  let lines = 0;
  if (recorder) {
    const totals = await recorder.finish();
    if (totals.failure) throw new Error(totals.failure);
    bytes = statSync(totals.file).size;
    lines = totals.lines;
    if (!keep) rmSync(totals.file, { force: true });
  }
  const used = process.cpuUsage(cpu);
  const last = stdout.trim().split('\n').pop() ?? '{}';
  const value = (JSON.parse(last) as Record<string, number>)[w.metric];
  return { value, events, bytes, lines, cpuMs: (used.user + used.system) / 1000, ...(keep && recorder ? { file: out } : {}) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function overhead(w: Workload): Promise<void> {
  const values: Record<Variant, number[]> = { 'events-off': [], 'events-on': [], recorded: [] };
  const cpuMs: Record<Variant, number[]> = { 'events-off': [], 'events-on': [], recorded: [] };
  let recorded = { events: 0, bytes: 0, lines: 0 };
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so that drift (heat, page cache) does not favour one variant.
    const order: Variant[] = r % 2 === 0 ? ['events-off', 'events-on', 'recorded'] : ['recorded', 'events-on', 'events-off'];
    for (const v of order) {
      const result = await runOnce(w, v);
      values[v].push(result.value);
      cpuMs[v].push(Math.round(result.cpuMs));
      if (v === 'recorded') recorded = result;
    }
  }
  const off = median(values['events-off']);
  const on = median(values['events-on']);
  const rec = median(values.recorded);
  console.log(
    JSON.stringify({
      overhead: w.key,
      metric: w.metric,
      rounds,
      events_off: off,
      events_on_not_recorded: on,
      recorded: rec,
      overhead_vs_events_on_pct: +((on / rec - 1) * 100).toFixed(1),
      // Other work on a shared machine only slows a run down: the best of each is the least disturbed.
      overhead_best_vs_events_on_pct: +((Math.max(...values['events-on']) / Math.max(...values.recorded) - 1) * 100).toFixed(1),
      overhead_vs_events_off_pct: +((off / rec - 1) * 100).toFixed(1),
      samples: values,
      cpu_ms: cpuMs,
      recording_cpu_ns_per_event: Math.round(((median(cpuMs.recorded) - median(cpuMs['events-on'])) * 1e6) / Math.max(1, recorded.events)),
      events_recorded: recorded.events,
      lines: recorded.lines,
      file_bytes: recorded.bytes,
      bytes_per_event: +(recorded.bytes / Math.max(1, recorded.events)).toFixed(1),
    }),
  );
}

function openAndSeek(file: string, label: string): void {
  const script = path.join(root, 'out/bench/recording-open-seek.mjs');
  const r = spawnSync(process.execPath, [script, file, label], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`open-seek failed with ${r.status}`);
  process.stdout.write(r.stdout);
}

const A = workload('A', 'call-soon.ts', 'callbacks_per_s');
const D = workload('D', 'tcp-echo.ts', 'msgs_per_s');
try {
  await overhead(A);
  await overhead(D);
  // About a million events each: A with 333,000 callbacks (three events each), D with fewer messages.
  const a1m = await runOnce(workload('A-1M', 'call-soon.ts', 'callbacks_per_s', [['const N = 1_000_000;', 'const N = 333_000;']]), 'recorded', true);
  console.log(JSON.stringify({ recording: 'A (callSoon)', events: a1m.events, lines: a1m.lines, file_bytes: a1m.bytes, bytes_per_event: +(a1m.bytes / a1m.events).toFixed(1) }));
  openAndSeek(a1m.file!, 'A (callSoon)');
  rmSync(a1m.file!, { force: true });
  const d1m = await runOnce(workload('D-1M', 'tcp-echo.ts', 'msgs_per_s', [['const M = 2_000;', 'const M = 8_000;']]), 'recorded', true);
  console.log(JSON.stringify({ recording: 'D (TCP echo, 1 KiB messages)', events: d1m.events, lines: d1m.lines, file_bytes: d1m.bytes, bytes_per_event: +(d1m.bytes / d1m.events).toFixed(1) }));
  openAndSeek(d1m.file!, 'D (TCP echo)');
} finally {
  await manager.stopAll();
  rmSync(tmp, { recursive: true, force: true });
}
