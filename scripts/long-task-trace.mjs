// What the renderer's long tasks were made of, from a Chrome trace (`npm run bench:ui -- --trace`):
// for each task over 50 ms on a page's main thread, its wall time, the CPU time the thread actually
// got (the rest is waiting for a core), and where that CPU time went: the trace events inside it
// by self time, and the JavaScript functions the sampling profiler saw.
import { readFileSync } from 'node:fs';

const LONG_US = 50_000;

/** Trace events by thread, with the page main threads' ids. */
function threadsOf(events) {
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name);
  const byThread = new Map();
  for (const e of events) {
    const id = `${e.pid}:${e.tid}`;
    if (names.get(id) !== 'CrRendererMain') continue;
    if (!byThread.has(id)) byThread.set(id, []);
    byThread.get(id).push(e);
  }
  return byThread;
}

/** A label for an event: its name, with what it ran when the trace says (timer, event type, script). */
function labelOf(e) {
  const d = e.args?.data;
  if (e.name === 'EventDispatch' && d?.type) return `EventDispatch ${d.type}`;
  if (e.name === 'FunctionCall' && d?.functionName) return `FunctionCall ${d.functionName}`;
  return e.name;
}

/** Self time per label of the complete events within [start, end] on one thread. */
function selfTimes(events, start, end) {
  const inside = events.filter((e) => e.ph === 'X' && e.ts >= start && e.ts + (e.dur ?? 0) <= end && e.dur > 0).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const totals = new Map();
  const stack = [];
  const entries = [];
  for (const e of inside) {
    while (stack.length > 0 && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.self -= e.dur;
    const entry = { label: labelOf(e), end: e.ts + e.dur, self: e.dur };
    stack.push(entry);
    entries.push(entry);
  }
  for (const entry of entries) totals.set(entry.label, (totals.get(entry.label) ?? 0) + entry.self);
  return [...totals].filter(([label]) => label !== 'RunTask' && label !== 'ThreadControllerImpl::RunTask').sort((a, b) => b[1] - a[1]);
}

/** The sampling profiler's samples as (time, top frame, stack) triples, per thread. */
function samplesOf(events) {
  const profiles = new Map();
  for (const e of events) {
    if (e.name === 'Profile') profiles.set(`${e.pid}:${e.id}`, { tid: e.tid, pid: e.pid, time: e.args.data.startTime, nodes: new Map(), samples: [] });
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk') continue;
    const p = profiles.get(`${e.pid}:${e.id}`);
    if (!p) continue;
    const c = e.args.data.cpuProfile ?? {};
    for (const n of c.nodes ?? []) p.nodes.set(n.id, n);
    const deltas = e.args.data.timeDeltas ?? [];
    (c.samples ?? []).forEach((id, i) => {
      p.time += deltas[i] ?? 0;
      p.samples.push({ time: p.time, id });
    });
  }
  const out = new Map();
  for (const p of profiles.values()) {
    const frame = (id) => {
      const n = p.nodes.get(id);
      if (!n) return '?';
      const f = n.callFrame;
      const file = f.url ? f.url.split('/').pop().split('?')[0] : '';
      return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    };
    const key = `${p.pid}:${p.tid}`;
    out.set(key, (out.get(key) ?? []).concat(p.samples.map((s) => ({ time: s.time, top: frame(s.id), stack: stackOf(p.nodes, s.id, frame) }))));
  }
  return out;
}

/** A sample's frames, innermost first (trace profile nodes name their parent). */
function stackOf(nodes, id, frame) {
  const stack = [];
  for (let at = id; at !== undefined; at = nodes.get(at)?.parent) stack.push(frame(at));
  return stack;
}

/** A report of the long tasks in one trace file, as lines. */
export function describeLongTasks(file) {
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const lines = [];
  const samples = samplesOf(events);
  for (const [thread, list] of threadsOf(events)) {
    // The outermost task events only (RunTask and ThreadControllerImpl::RunTask nest).
    const tasks = list
      .filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > LONG_US)
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur)
      .filter((e, i, all) => i === 0 || e.ts >= all[i - 1].ts + all[i - 1].dur);
    for (const task of tasks) {
      const cpu = task.tdur !== undefined ? `${(task.tdur / 1000).toFixed(0)} ms on a core` : 'cpu ?';
      lines.push(`  task ${(task.dur / 1000).toFixed(0)} ms (${cpu}) at ${((task.ts - list[0].ts) / 1e6).toFixed(2)} s`);
      for (const [label, us] of selfTimes(list, task.ts, task.ts + task.dur).slice(0, 8)) lines.push(`    ${(us / 1000).toFixed(1).padStart(6)} ms  ${label}`);
      const inTask = (samples.get(thread) ?? []).filter((s) => s.time >= task.ts && s.time <= task.ts + task.dur);
      const tops = new Map();
      for (const s of inTask) {
        const key = s.stack.slice(0, 6).join(' < ');
        tops.set(key, (tops.get(key) ?? 0) + 1);
      }
      for (const [key, n] of [...tops].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`      ${String(n).padStart(4)} samples  ${key}`);
    }
  }
  return lines;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  for (const file of process.argv.slice(2)) process.stdout.write(`${file}\n${describeLongTasks(file).join('\n')}\n`);
}
