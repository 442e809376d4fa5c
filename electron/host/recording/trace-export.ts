// Chrome Trace Event JSON export (opens in Perfetto and chrome://tracing). The loop's callbacks are
// complete ("X") slices on the loop's thread track, iterations are slices on a track of their own,
// tasks are async ("b"/"e") slices, one track per task because tasks overlap, with their steps
// nested inside, counters ("C") follow the ready queue and the pending timers, and flow arrows
// ("s" to "f") lead from the callback that scheduled a handle to the slice where it ran.
//
// Time: trace timestamps are microseconds of loop time. The virtual clock stands still while a
// whole iteration runs, so slices there would have no width and pile up; each callback is then
// drawn 1 µs wide, in order, and later timestamps move along with them (a cursor never goes back),
// which keeps every track's slices apart on either clock.
import type { RecordingHeader, RecordingLine } from '../../../shared/recording/format';
import type { ExportSink } from './pcapng-export';

const PID = 1;

/** Microseconds to three decimals (nanoseconds): no floating-point noise in the file. */
const us = (value: number) => Math.round(value * 1000) / 1000;
const LOOP_TID = 1;
const ITERATION_TID = 2;

/** One trace event as the exporter writes it. */
export interface TraceEvent {
  name: string;
  ph: 'X' | 'b' | 'e' | 'n' | 'C' | 's' | 'f' | 'M' | 'i';
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  id?: string;
  bp?: 'e';
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

/** Builds the trace from the recording's lines, in order. */
export class TraceExporter {
  private first = true;
  private origin: number | null = null;
  private cursor = 0;
  private readonly virtual: boolean;
  private readonly scheduled = new Map<number, { callback: string; args: string; flowFrom: boolean }>();
  private current: { id: number; callback: string; args: string; start: number; iteration: number } | null = null;
  private iteration: { number: number; start: number } | null = null;
  private iterationNumber = 0;
  private readonly tasks = new Map<number, { name: string; stepping: boolean }>();
  private events = 0;

  constructor(
    private readonly header: RecordingHeader,
    private readonly emit: ExportSink,
  ) {
    this.virtual = header.clock === 'virtual';
    emit('{"displayTimeUnit":"ms","otherData":');
    emit(JSON.stringify({ scenario: header.scenario.path, clock: header.clock, startedAt: header.startedAt, app: `Loopwright ${header.app.version}` }));
    emit(',"traceEvents":[\n');
    this.write({ name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: `Loopwright: ${header.scenario.path}` } });
    this.write({ name: 'thread_name', ph: 'M', pid: PID, tid: LOOP_TID, args: { name: 'event loop (callbacks)' } });
    this.write({ name: 'thread_name', ph: 'M', pid: PID, tid: ITERATION_TID, args: { name: 'iterations (_run_once)' } });
    this.write({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: LOOP_TID, args: { sort_index: 0 } });
    this.write({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: ITERATION_TID, args: { sort_index: 1 } });
  }

  private write(event: TraceEvent): void {
    this.emit(`${this.first ? '' : ',\n'}${JSON.stringify(event)}`);
    this.first = false;
    this.events++;
  }

  /** Microseconds for an event at loop time `time`, never before an earlier one. */
  private ts(time: number): number {
    if (this.origin === null) this.origin = time;
    const t = Math.round((time - this.origin) * 1e6 * 1000) / 1000;
    if (t > this.cursor) this.cursor = t;
    return this.cursor;
  }

  /** Feeds the next line. */
  add(line: RecordingLine): void {
    if (line.kind === 'error') {
      this.write({ name: `${line.fatal ? 'uncaught ' : ''}${line.name}`, ph: 'i', s: 'g', ts: this.cursor, pid: PID, tid: LOOP_TID, cat: 'error', args: { message: line.message } });
      return;
    }
    if (line.kind !== 'event') return;
    const e = line.event;
    switch (e.type) {
      case 'iteration-start': {
        const ts = this.ts(e.time);
        this.iteration = { number: e.iteration, start: ts };
        this.iterationNumber = e.iteration;
        this.write({ name: 'queues', ph: 'C', ts, pid: PID, tid: LOOP_TID, args: { ready: e.ready, timers: e.scheduled } });
        return;
      }
      case 'iteration-end': {
        const ts = this.ts(e.time);
        if (this.iteration !== null) {
          this.write({ name: `iteration ${e.iteration}`, ph: 'X', ts: this.iteration.start, dur: us(ts - this.iteration.start), pid: PID, tid: ITERATION_TID, cat: 'iteration', args: { ran: e.ran } });
          this.iteration = null;
        }
        return;
      }
      case 'handle-scheduled':
      case 'timer-scheduled': {
        const ts = this.ts(e.time);
        // An arrow can only start inside a slice: from the callback that is running now.
        const flowFrom = this.current !== null;
        if (flowFrom) this.write({ name: e.callback, ph: 's', ts: Math.max(ts, this.current!.start), pid: PID, tid: LOOP_TID, cat: 'schedule', id: String(e.id) });
        this.scheduled.set(e.id, { callback: e.callback, args: e.args, flowFrom });
        return;
      }
      case 'handle-started': {
        const ts = this.ts(e.time);
        const s = this.scheduled.get(e.id);
        this.scheduled.delete(e.id);
        this.current = { id: e.id, callback: s?.callback ?? '?', args: s?.args ?? '', start: ts, iteration: this.iterationNumber };
        if (s?.flowFrom) this.write({ name: s.callback, ph: 'f', bp: 'e', ts, pid: PID, tid: LOOP_TID, cat: 'schedule', id: String(e.id) });
        return;
      }
      case 'handle-finished': {
        let ts = this.ts(e.time);
        const c = this.current;
        if (c === null) return;
        if (this.virtual && ts - c.start < 1) ts = this.cursor = c.start + 1;
        this.write({ name: c.callback, ph: 'X', ts: c.start, dur: us(ts - c.start), pid: PID, tid: LOOP_TID, cat: 'callback', args: { handle: c.id, args: c.args, iteration: c.iteration } });
        this.current = null;
        return;
      }
      case 'handle-cancelled':
        this.scheduled.delete(e.id);
        return;
      case 'task-created': {
        const ts = this.ts(e.time);
        this.tasks.set(e.id, { name: e.name, stepping: false });
        this.write({ name: e.name, ph: 'b', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${e.id}`, args: { coro: e.coro } });
        return;
      }
      case 'task-step': {
        const ts = this.ts(e.time);
        const t = this.tasks.get(e.id);
        if (!t) return;
        if (t.stepping) this.write({ name: 'step', ph: 'e', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${e.id}` });
        t.stepping = true;
        this.write({ name: 'step', ph: 'b', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${e.id}`, ...(e.throws ? { args: { throws: e.throws } } : {}) });
        return;
      }
      case 'task-awaiting': {
        const ts = this.ts(e.time);
        const t = this.tasks.get(e.id);
        if (!t || !t.stepping) return;
        t.stepping = false;
        this.write({ name: 'step', ph: 'e', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${e.id}`, args: { awaiting: e.awaiting } });
        return;
      }
      case 'task-done': {
        const ts = this.ts(e.time);
        const t = this.tasks.get(e.id);
        if (!t) return;
        if (t.stepping) this.write({ name: 'step', ph: 'e', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${e.id}` });
        this.write({ name: t.name, ph: 'e', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${e.id}`, args: { state: e.state, ...(e.detail !== undefined ? { result: e.detail } : {}), ...(e.failed ? { failed: true } : {}) } });
        this.tasks.delete(e.id);
        return;
      }
      case 'exception':
        this.write({ name: 'exception', ph: 'i', s: 't', ts: this.ts(e.time), pid: PID, tid: LOOP_TID, cat: 'error', args: { message: e.message, ...(e.exception ? { exception: e.exception } : {}) } });
        return;
      default:
        // Keep the cursor moving with the loop's clock.
        this.ts(e.time);
        return;
    }
  }

  /** Closes open slices at the last timestamp and ends the JSON. */
  finish(): { events: number; notes: string[] } {
    const notes: string[] = [];
    const ts = this.cursor;
    if (this.current !== null) {
      this.write({ name: this.current.callback, ph: 'X', ts: this.current.start, dur: us(ts - this.current.start), pid: PID, tid: LOOP_TID, cat: 'callback', args: { handle: this.current.id, args: this.current.args, unfinished: true } });
      notes.push('the recording ends inside a callback: its slice ends at the last event');
    }
    if (this.iteration !== null) {
      this.write({ name: `iteration ${this.iteration.number}`, ph: 'X', ts: this.iteration.start, dur: us(ts - this.iteration.start), pid: PID, tid: ITERATION_TID, cat: 'iteration', args: { unfinished: true } });
    }
    for (const [id, t] of this.tasks) {
      if (t.stepping) this.write({ name: 'step', ph: 'e', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${id}` });
      this.write({ name: t.name, ph: 'e', ts, pid: PID, tid: LOOP_TID, cat: 'task', id: `task-${id}`, args: { state: 'pending at the end of the recording' } });
    }
    if (this.tasks.size > 0) notes.push(`${this.tasks.size} task(s) were still pending when the recording ended`);
    if (this.virtual) notes.push('virtual clock: loop time stands still within an iteration, so each callback is drawn 1 µs wide, in order');
    this.emit('\n]}\n');
    return { events: this.events, notes };
  }
}
