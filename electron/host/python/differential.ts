// The differential check: our engine against CPython, event by event. A program that exists in
// both languages runs twice -- the Python one under the instrumentation, the TypeScript one on our
// engine -- and both event streams are reduced to what asyncio defines: in which loop iteration
// which callback or task step ran, and what was printed. Names are compared across the languages'
// spellings (`_run_until_complete_cb` and `runUntilCompleteCb`, `hello_world` and `helloWorld`);
// a handle that is a task's step is compared as the step of that task (`Task-2`), whatever the
// implementation calls the method that steps it.
//
// Where asyncio leaves an order undefined, the comparison says so instead of hiding it:
// - timers with equal deadlines: CPython's heap pops them in no defined order (our engine's is
//   FIFO), so callbacks that came due together -- and what they in turn scheduled, in the
//   iterations after -- may run in either order; such iterations are compared as sets, and the
//   report names them;
// - I/O: which socket is ready in which iteration depends on the operating system's timing, and
//   each implementation has internal callbacks and tasks of its own around sockets (CPython's
//   create_server gathers its address lookups in a task, for one), so with transports involved
//   iteration numbers and internal callbacks are not compared: what is compared is each
//   transport's own history (opened, bytes in and out, EOF, close, lost: what its protocol was
//   told), the interleaving across transports (a different one is reported as I/O timing), and the
//   output.
import type { EngineEvent } from '../../../shared/engine/events';

/** One callback run, reduced. */
export interface NormalStep {
  /** The iteration, counting only iterations that ran something (1, 2, ...). */
  iteration: number;
  /** What ran, as shown: `hello_world`, `step Task-2`. */
  name: string;
  /** The name compared across languages: lower case, without `_`, without a class or module prefix. */
  key: string;
  /** Set when this callback was a timer that came due in the same iteration as another with the same deadline. */
  tie?: string;
}

/** A transport's own history, reduced: `opened tcp`, `out 12`, `in 12`, `eof out`, ... */
export interface NormalTransport {
  /** `tcp accepted #1`, `tcp connected #1`: its kind and side, numbered in order of opening. */
  label: string;
  history: string[];
}

/** A run reduced to what the comparison looks at. */
export interface NormalRun {
  steps: NormalStep[];
  output: string;
  transports: NormalTransport[];
  /** Every transport event in order, as `label: event` (the interleaving across transports). */
  traffic: string[];
  /** Whether any transport or server was involved. */
  io: boolean;
}

/** The comparison's verdict and its reasons. */
export interface DiffReport {
  verdict: 'equal' | 'equal-up-to-undefined-order' | 'different';
  /** How the streams were compared. */
  mode: 'iterations' | 'transports';
  outputEqual: boolean;
  iterations: { python: number; typescript: number };
  /** What differs (empty when equal). */
  differences: string[];
  /** Where asyncio leaves the order undefined and the two runs took different orders (or could have). */
  undefinedOrder: string[];
  /** Side-by-side listing of both runs' steps. */
  table: string;
}

/** The comparison key of a callback name: `Task._step` -> `step`, `_run_until_complete_cb` -> `rununtilcompletecb`. */
export function nameKey(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/_/g, '').toLowerCase();
}

/** Reduces one event stream (either language's) to steps, transports and output. */
export function normalise(events: readonly EngineEvent[], output: string): NormalRun {
  const handles = new Map<number, { callback: string; timer: boolean; when?: number }>();
  const taskNames = new Map<number, string>();
  const steps: NormalStep[] = [];
  const transports = new Map<number, NormalTransport>();
  const traffic: string[] = [];
  const sides = new Map<string, number>();
  let io = false;
  let iteration = 0;
  let ranThisIteration = 0;
  let open: { id: number; name: string; key: string; tie?: string } | null = null;
  let dueThisIteration: { id: number; when: number }[] = [];
  const ties = new Map<number, string>();
  const record = (id: number, what: string) => {
    const t = transports.get(id);
    if (!t) return;
    t.history.push(what);
    traffic.push(`${t.label}: ${what}`);
  };

  const closeIterationTies = () => {
    const byWhen = new Map<number, number[]>();
    for (const d of dueThisIteration) byWhen.set(d.when, [...(byWhen.get(d.when) ?? []), d.id]);
    for (const [when, ids] of byWhen) if (ids.length > 1) for (const id of ids) ties.set(id, `timers due together at ${when.toFixed(3)}`);
    dueThisIteration = [];
  };

  for (const e of events) {
    switch (e.type) {
      case 'iteration-start':
        if (ranThisIteration > 0 || iteration === 0) iteration++;
        ranThisIteration = 0;
        break;
      case 'handle-scheduled':
        handles.set(e.id, { callback: e.callback, timer: false });
        break;
      case 'timer-scheduled':
        handles.set(e.id, { callback: e.callback, timer: true, when: e.when });
        break;
      case 'timer-due': {
        const when = handles.get(e.id)?.when;
        if (when !== undefined) dueThisIteration.push({ id: e.id, when });
        break;
      }
      case 'handle-started': {
        if (dueThisIteration.length > 0) closeIterationTies();
        const callback = handles.get(e.id)?.callback ?? `#${e.id}`;
        open = { id: e.id, name: callback, key: nameKey(callback), ...(ties.has(e.id) ? { tie: ties.get(e.id) } : {}) };
        break;
      }
      case 'task-created':
        taskNames.set(e.id, e.name);
        break;
      case 'task-step': {
        const name = `step ${taskNames.get(e.id) ?? `task#${e.id}`}`;
        if (open) {
          open.name = name;
          open.key = name.toLowerCase();
        } else {
          // The tasks detail level: a step without its handle.
          ranThisIteration++;
          steps.push({ iteration: Math.max(iteration, 1), name, key: name.toLowerCase() });
        }
        break;
      }
      case 'handle-finished':
        if (open && open.id === e.id) {
          ranThisIteration++;
          steps.push({ iteration: Math.max(iteration, 1), name: open.name, key: open.key, ...(open.tie ? { tie: open.tie } : {}) });
          open = null;
        }
        break;
      case 'transport-opened': {
        io = true;
        const side = `${e.kind} ${e.serverId !== undefined ? 'accepted' : e.parentId !== undefined ? 'pipe' : e.kind === 'tcp' ? 'connected' : 'endpoint'}`;
        sides.set(side, (sides.get(side) ?? 0) + 1);
        transports.set(e.transportId, { label: `${side} #${sides.get(side)}`, history: [] });
        record(e.transportId, 'opened');
        break;
      }
      case 'transport-data':
      case 'transport-traffic':
        record(e.transportId, `${e.direction} ${e.size}${e.fd !== undefined ? ` fd ${e.fd}` : ''}`);
        break;
      case 'transport-eof':
        record(e.transportId, `eof ${e.direction}`);
        break;
      case 'transport-closing':
        record(e.transportId, e.abort ? 'abort' : 'close');
        break;
      case 'transport-lost':
        record(e.transportId, `lost${e.error ? ` (${e.error.name})` : ''}`);
        break;
      case 'process-exited':
        record(e.transportId, `exited ${e.returncode}`);
        break;
      case 'server-listening':
        io = true;
        break;
      default:
        break;
    }
  }
  // Iterations that ran nothing are not iterations of the comparison (a wake-up, a select that
  // returned early); renumber densely.
  const seen = new Map<number, number>();
  for (const s of steps) {
    if (!seen.has(s.iteration)) seen.set(s.iteration, seen.size + 1);
    s.iteration = seen.get(s.iteration)!;
  }
  return { steps, output, transports: [...transports.values()], traffic, io };
}

function byIteration(steps: readonly NormalStep[]): NormalStep[][] {
  const out: NormalStep[][] = [];
  for (const s of steps) (out[s.iteration - 1] ??= []).push(s);
  return out.map((x) => x ?? []);
}

function sameMultiset(a: readonly NormalStep[], b: readonly NormalStep[]): boolean {
  if (a.length !== b.length) return false;
  const count = new Map<string, number>();
  for (const s of a) count.set(s.key, (count.get(s.key) ?? 0) + 1);
  for (const s of b) {
    const n = count.get(s.key) ?? 0;
    if (n === 0) return false;
    count.set(s.key, n - 1);
  }
  return true;
}

function listing(python: NormalRun, typescript: NormalRun): string {
  if (python.io || typescript.io) {
    // With I/O, what is compared is the transports' events: list those side by side.
    const rows = [`${'#'.padEnd(5)}${'Python (CPython asyncio)'.padEnd(40)}TypeScript (Loopwright engine)`];
    for (let i = 0; i < Math.max(python.traffic.length, typescript.traffic.length); i++) {
      const mark = python.traffic[i] === typescript.traffic[i] ? ' ' : '≠';
      rows.push(`${String(i + 1).padEnd(4)}${mark}${(python.traffic[i] ?? '').padEnd(40)}${typescript.traffic[i] ?? ''}`);
    }
    return rows.join('\n');
  }
  const rows: string[] = [`${'iter'.padEnd(5)}${'Python (CPython asyncio)'.padEnd(40)}TypeScript (Loopwright engine)`];
  const a = byIteration(python.steps);
  const b = byIteration(typescript.steps);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? [];
    const y = b[i] ?? [];
    for (let j = 0; j < Math.max(x.length, y.length); j++) {
      const mark = x[j] && y[j] && x[j].key === y[j].key ? ' ' : '≠';
      rows.push(`${(j === 0 ? String(i + 1) : '').padEnd(4)}${mark}${(x[j]?.name ?? '').padEnd(40)}${y[j]?.name ?? ''}`);
    }
  }
  return rows.join('\n');
}

/** Compares the Python run with the TypeScript run. */
export function compareRuns(python: NormalRun, typescript: NormalRun): DiffReport {
  const differences: string[] = [];
  const undefinedOrder: string[] = [];
  const outputEqual = python.output.replace(/\r\n/g, '\n') === typescript.output.replace(/\r\n/g, '\n');
  if (!outputEqual) differences.push('the printed output differs');
  const a = byIteration(python.steps);
  const b = byIteration(typescript.steps);
  const io = python.io || typescript.io;
  if (!io) {
    if (a.length !== b.length) differences.push(`Python ran ${a.length} iteration(s), the engine ${b.length}`);
    let tainted: string | undefined;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i];
      const y = b[i];
      const tie = [...x, ...y].find((s) => s.tie)?.tie;
      if (tie) tainted ??= `iteration ${i + 1}: ${tie}`;
      const same = x.length === y.length && x.every((s, j) => s.key === y[j].key);
      if (same) {
        if (tie) undefinedOrder.push(`iteration ${i + 1}: ${tie} -- asyncio does not define their order; both ran them in the same order here`);
        continue;
      }
      if (tainted && sameMultiset(x, y)) {
        undefinedOrder.push(`iteration ${i + 1}: the same callbacks in another order, after ${tainted} (asyncio does not define the order of timers with equal deadlines)`);
        continue;
      }
      const at = x.findIndex((s, j) => s.key !== y[j]?.key);
      const j = at < 0 ? x.length : at;
      differences.push(`iteration ${i + 1}, callback ${j + 1}: Python ran ${x[j]?.name ?? '(nothing)'}, the engine ${y[j]?.name ?? '(nothing)'}`);
    }
  } else {
    // With I/O, compare what the program sees of its transports: each one's history (its
    // protocol's connection_made, data_received, eof_received, connection_lost show as opened, in,
    // eof in, lost), then the interleaving across transports, which is I/O timing.
    const hx = new Map(python.transports.map((t) => [t.label, t.history.join(', ')]));
    const hy = new Map(typescript.transports.map((t) => [t.label, t.history.join(', ')]));
    for (const label of new Set([...hx.keys(), ...hy.keys()])) {
      if (hx.get(label) !== hy.get(label)) {
        differences.push(`${label} differs:\n      Python: ${hx.get(label) ?? '(no such transport)'}\n      engine: ${hy.get(label) ?? '(no such transport)'}`);
      }
    }
    const sameTraffic = python.traffic.length === typescript.traffic.length && python.traffic.every((t, i) => t === typescript.traffic[i]);
    if (!sameTraffic && differences.length === 0) {
      const i = python.traffic.findIndex((t, j) => t !== typescript.traffic[j]);
      undefinedOrder.push(`the same events on every transport, interleaved in another order from #${i + 1} (Python: ${python.traffic[i]}; engine: ${typescript.traffic[i]}): which socket is ready first is the operating system's timing`);
    }
    const internals = (run: NormalRun) => run.steps.filter((s) => s.key.startsWith('step ')).length;
    undefinedOrder.push(
      `iterations and the loop's internal callbacks not compared: with I/O they depend on when the operating system delivers data, and each implementation has its own (CPython ran ${a.length} iterations and ${internals(python)} task steps, the engine ${b.length} and ${internals(typescript)})`,
    );
  }
  const verdict = differences.length > 0 ? 'different' : undefinedOrder.some((u) => u.includes('another order')) ? 'equal-up-to-undefined-order' : 'equal';
  return {
    verdict,
    mode: io ? 'transports' : 'iterations',
    outputEqual,
    iterations: { python: a.length, typescript: b.length },
    differences,
    undefinedOrder,
    table: listing(python, typescript),
  };
}

/** The report as a person reads it. */
export function formatReport(report: DiffReport, names: { python: string; typescript: string }): string {
  const lines = [`${names.python}  vs  ${names.typescript}`, report.table, ''];
  lines.push(
    report.verdict === 'equal'
      ? `EQUAL: the same ${report.mode === 'iterations' ? `callbacks in the same ${report.iterations.python} iteration(s)` : 'history on every transport, in the same interleaving'}, and the same output.`
      : report.verdict === 'equal-up-to-undefined-order'
        ? 'EQUAL up to an order asyncio leaves undefined (below).'
        : 'DIFFERENT:',
  );
  for (const d of report.differences) lines.push(`  - ${d}`);
  for (const u of report.undefinedOrder) lines.push(`  note: ${u}`);
  return `${lines.join('\n')}\n`;
}
