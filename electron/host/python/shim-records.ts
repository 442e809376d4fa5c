// Decodes the instrumentation's records (python/loopwright_shim/wire.py has the table) into the
// shared engine event schema, so a Python program's loop shows in the same inspector, timeline,
// terminal and recordings as a TypeScript scenario's. One decoder per run: it keeps the name table,
// the time of the last timed record, and the few things a compact record leaves implicit (when a
// handle that ran with nothing inside it ended; that a bare-integer step was a bare yield).
import type { EngineEvent } from '../../../shared/engine/events';
import type { ObserverNoticeEvent } from '../../../shared/engine/observer-events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { TransportError, TransportKind } from '../../../shared/engine/transport-events';
import type { PauseReason } from '../runs/stepper';

/** The record format version this decoder reads (wire.FORMAT). */
export const SHIM_FORMAT = 1;

/** What the shim said about itself and the interpreter (the HELLO record). */
export interface ShimHello {
  format: number;
  shim: string;
  python: string;
  implementation: string;
  pid: number;
  detail: 'full' | 'callbacks' | 'tasks';
  executable: string;
  /** Microseconds of the monotonic clock that record times count from. */
  t0: number;
}

/** Everything a record can turn into besides engine events. */
export interface ShimSink {
  events(events: EngineEvent[]): void;
  snapshot?(snapshot: LoopSnapshot): void;
  paused?(reason: PauseReason, next: { id: number; callback: string } | null): void;
  resumed?(): void;
  hello?(hello: ShimHello): void;
  notice?(notice: ObserverNoticeEvent): void;
  /** The interpreter is shutting down normally (atexit ran): nothing was lost. */
  exit?(): void;
}

type Rec = readonly unknown[];

const LOOP_STATES = ['running', 'stopped', 'closed'] as const;
const REASONS = new Set<PauseReason>(['pause', 'step', 'breakpoint']);
const NOTICE_KINDS = new Set<ObserverNoticeEvent['kind']>(['partial-view', 'events-may-be-missing', 'shim-error', 'write-failed']);

/** Turns record lines into events, in order, one decoder per run. */
export class ShimDecoder {
  private readonly names = new Map<number, string>();
  private t0 = 0;
  /** Time (µs since t0) of the last record that had one. */
  private now = 0;
  private out: EngineEvent[] = [];
  /** A handle that ran with nothing recorded inside it (-1: none): it ends when the next timed
   * record begins; `openRanThen` is what follows its end (a step's task-awaiting). */
  private openRanId = -1;
  private openRanThen: EngineEvent | null = null;
  /** A task step announced by a bare integer (tasks level): a bare yield unless TASK_WAITS/DONE follow. */
  private openStep: number | null = null;
  /** Task addresses (id() in Python, from TASK_NEW) to task ids, for the tasks level's step records. */
  private readonly tasksByAddress = new Map<number, number>();
  private readonly addressOfTask = new Map<number, number>();
  /** Ids for tasks whose step came before (or without) their TASK_NEW: above any id the shim gives. */
  private nextUnannounced = 1_000_000_000;
  /** Task steps counted per iteration, for `ran` at the tasks level. */
  private stepsThisIteration = 0;
  private sawExit = false;
  private helloInfo: ShimHello | null = null;

  constructor(private readonly sink: ShimSink) {}

  /** The HELLO record, once it arrived. */
  get hello(): ShimHello | null {
    return this.helloInfo;
  }

  /** Whether the interpreter's normal shutdown was seen (the EXIT record). */
  get exitedNormally(): boolean {
    return this.sawExit;
  }

  /**
   * Decodes a block of complete lines. Most records are arrays of integers (`[5,12,3456]`), or a
   * bare integer: those are scanned here without JSON.parse, which is twenty times slower for them
   * and was what kept the host behind a busy program (a full pipe slows the program down). Lines
   * with anything else (strings, objects) go through JSON.parse.
   */
  lines(block: string): void {
    const L = block.length;
    const nums = this.scratch;
    let i = 0;
    while (i < L) {
      let end = block.indexOf('\n', i);
      if (end < 0) end = L;
      if (end > i) {
        const first = block.charCodeAt(i);
        let k = 0;
        let ok = true;
        if (first === 91 /* [ */) {
          let cur = 0;
          let neg = false;
          let digits = 0;
          let j = i + 1;
          for (; j < end; j++) {
            const c = block.charCodeAt(j);
            if (c >= 48 && c <= 57) {
              cur = cur * 10 + (c - 48);
              digits++;
            } else if (c === 44 /* , */ || c === 93 /* ] */) {
              if (digits === 0 || k >= nums.length) {
                ok = false;
                break;
              }
              nums[k++] = neg ? -cur : cur;
              cur = 0;
              neg = false;
              digits = 0;
              if (c === 93) break;
            } else if (c === 45 /* - */ && digits === 0 && !neg) {
              neg = true;
            } else {
              ok = false;
              break;
            }
          }
          if (ok && j === end - 1 && k > 0) {
            for (let z = k; z < nums.length; z++) nums[z] = 0;
            if (!this.hot(nums)) this.value(nums, '');
          } else this.line(block.slice(i, end));
        } else if (first >= 48 && first <= 57) {
          // A bare integer: a task's step at the tasks level.
          let n = 0;
          let j = i;
          for (; j < end; j++) {
            const c = block.charCodeAt(j);
            if (c < 48 || c > 57) break;
            n = n * 10 + (c - 48);
          }
          if (j === end) this.stepAt(n);
          else this.line(block.slice(i, end));
        } else this.line(block.slice(i, end));
      }
      i = end + 1;
    }
  }

  /**
   * The records a busy loop sends by the million, in a small function of numbers only (the big
   * switch below is slower for them). Returns false for anything else.
   */
  private hot(r: number[]): boolean {
    const code = r[0];
    if (this.openStep !== null && code !== 1) return false;
    switch (code) {
      case 2: {
        this.closeRan(this.now);
        this.out.push({ type: 'handle-scheduled', time: (this.t0 + this.now) / 1e6, id: r[1], callback: this.name(r[2]), args: this.name(r[3]) });
        return true;
      }
      case 5: {
        const us = r[2];
        this.closeRan(us);
        this.now = us;
        this.out.push({ type: 'handle-started', time: (this.t0 + us) / 1e6, id: r[1] });
        this.openRanId = r[1];
        return true;
      }
      case 19: {
        const us = r[3];
        this.closeRan(us);
        this.now = us;
        const time = (this.t0 + us) / 1e6;
        this.out.push({ type: 'handle-started', time, id: r[1] });
        this.out.push({ type: 'task-step', time, id: r[2] });
        this.openRanId = r[1];
        this.openRanThen =
          r[5] > 0 ? { type: 'task-awaiting', time, id: r[2], awaiting: this.name(r[4]), awaitingId: r[5] } : { type: 'task-awaiting', time, id: r[2], awaiting: this.name(r[4]) };
        return true;
      }
      case 4:
        this.closeRan(this.now);
        this.out.push({ type: 'timer-due', time: (this.t0 + this.now) / 1e6, id: r[1] });
        return true;
      default:
        return false;
    }
  }

  /** Reused for integer records (record() reads its fields at once and keeps none). */
  private readonly scratch: number[] = new Array(12).fill(0);

  /** Decodes one line; malformed lines are reported as a notice and skipped. */
  line(text: string): void {
    if (text.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.noticeNow('shim-error', `unreadable record from the instrumentation: ${text.slice(0, 80)}`);
      return;
    }
    this.value(value, text);
  }

  private value(value: unknown, text: string): void {
    if (typeof value === 'number') {
      this.stepAt(value);
      return;
    }
    if (!Array.isArray(value) || typeof value[0] !== 'number') {
      this.noticeNow('shim-error', `unexpected record from the instrumentation: ${(text || JSON.stringify(value)).slice(0, 80)}`);
      return;
    }
    try {
      this.record(value);
    } catch (error) {
      this.noticeNow('shim-error', `bad record ${(text || JSON.stringify(value)).slice(0, 80)}: ${(error as Error).message}`);
    }
  }

  /** Hands the events decoded so far to the sink (call once per frame, and at the end). */
  flush(final = false): void {
    if (final) {
      this.closeRan(this.now);
      this.closeStep();
    }
    if (this.out.length === 0) return;
    const events = this.out;
    this.out = [];
    this.sink.events(events);
  }

  private seconds(us: number): number {
    return (this.t0 + us) / 1e6;
  }

  private name(n: unknown): string {
    if (typeof n !== 'number' || n === 0) return '';
    return this.names.get(n) ?? `#${n}`;
  }

  private emit(event: EngineEvent): void {
    this.out.push(event);
  }

  /** A timed record arrived: the handle that ran before it ended now. */
  private at(us: number): number {
    this.closeRan(us);
    this.now = us;
    return this.seconds(us);
  }

  private closeRan(us: number): void {
    const id = this.openRanId;
    if (id < 0) return;
    this.openRanId = -1;
    const time = this.seconds(us);
    this.out.push({ type: 'handle-finished', time, id });
    const then = this.openRanThen;
    if (then !== null) {
      this.openRanThen = null;
      then.time = time;
      this.out.push(then);
    }
  }

  /** A bare integer: the task at that address steps (the tasks level). */
  private stepAt(address: number): void {
    let id = this.tasksByAddress.get(address);
    if (id === undefined) {
      // A task not made by create_task (asyncio.Task(...) called directly): known by its address.
      id = this.nextUnannounced++;
      this.tasksByAddress.set(address, id);
      this.addressOfTask.set(id, address);
      this.out.push({ type: 'task-created', time: this.seconds(this.now), id, name: `Task at 0x${address.toString(16)}`, coro: '?' });
    }
    this.stepStart(id);
  }

  private stepStart(taskId: number): void {
    this.closeStep();
    this.closeRan(this.now);
    this.out.push({ type: 'task-step', time: this.seconds(this.now), id: taskId });
    this.openStep = taskId;
    this.stepsThisIteration++;
  }

  private closeStep(): void {
    if (this.openStep === null) return;
    this.out.push({ type: 'task-awaiting', time: this.seconds(this.now), id: this.openStep, awaiting: 'sleep(0)' });
    this.openStep = null;
  }

  private noticeNow(kind: ObserverNoticeEvent['kind'], message: string): void {
    const event: ObserverNoticeEvent = { type: 'observer-notice', time: this.seconds(this.now), kind, message };
    this.emit(event);
    this.sink.notice?.(event);
  }

  private record(r: Rec): void {
    const code = r[0] as number;
    // Records that say nothing about an open bare-yield step close it first.
    if (this.openStep !== null && code !== 1 && code !== 12 && code !== 16 && !((code === 14 || code === 15) && this.stepTask(r) === this.openStep)) {
      this.closeStep();
    }
    switch (code) {
      case 0: {
        const hello = r[1] as ShimHello;
        this.helloInfo = hello;
        this.t0 = hello.t0 ?? 0;
        this.sink.hello?.(hello);
        if (hello.format !== SHIM_FORMAT) this.noticeNow('shim-error', `the instrumentation speaks record format ${hello.format}, this app reads ${SHIM_FORMAT}`);
        break;
      }
      case 1:
        this.names.set(r[1] as number, r[2] as string);
        break;
      case 2:
        this.closeRan(this.now);
        this.out.push({ type: 'handle-scheduled', time: this.seconds(this.now), id: r[1] as number, callback: this.name(r[2]), args: this.name(r[3]) });
        break;
      case 3: {
        const time = this.at(r[1] as number);
        const id = r[2] as number;
        this.emit({ type: 'timer-scheduled', time, id, callback: this.name(r[3]), args: this.name(r[5]), when: this.seconds(r[4] as number) });
        break;
      }
      case 4:
        this.closeRan(this.now);
        this.emit({ type: 'timer-due', time: this.seconds(this.now), id: r[1] as number });
        break;
      case 5: {
        const time = this.at(r[2] as number);
        const id = r[1] as number;
        this.out.push({ type: 'handle-started', time, id });
        this.openRanId = id;
        break;
      }
      case 6:
        this.emit({ type: 'handle-started', time: this.at(r[2] as number), id: r[1] as number });
        break;
      case 7:
        this.emit({ type: 'handle-finished', time: this.at(r[2] as number), id: r[1] as number });
        break;
      case 8:
        this.closeRan(this.now);
        this.emit({ type: 'handle-cancelled', time: this.seconds(this.now), id: r[1] as number });
        break;
      case 9: {
        const time = this.at(r[1] as number);
        const iteration = r[3] as number;
        const ready = r[4] as number;
        const scheduled = r[5] as number;
        const waited = r[6] as number;
        const timeout = r[7] as number;
        const readyFds = r[8] as number;
        this.stepsThisIteration = 0;
        if (timeout !== 0) {
          this.emit({ type: 'io-wait', time, waited: Math.max(0, waited) / 1e6, timeout: timeout < 0 ? null : timeout / 1e6, ready: readyFds });
        }
        this.emit({ type: 'iteration-start', time, iteration, ready, scheduled });
        break;
      }
      case 10: {
        const time = this.at(r[1] as number);
        const ran = r[4] as number;
        this.emit({ type: 'iteration-end', time, iteration: r[3] as number, ran: ran >= 0 ? ran : this.stepsThisIteration });
        break;
      }
      case 11: {
        const time = this.at(r[1] as number);
        this.emit({ type: 'loop-state', time, state: LOOP_STATES[r[3] as number] ?? 'stopped', clock: 'real' });
        break;
      }
      case 12: {
        const id = r[2] as number;
        this.emit({ type: 'task-created', time: this.at(r[1] as number), id, name: String(r[3]), coro: this.name(r[4]) });
        const address = r[5] as number | undefined;
        if (typeof address === 'number' && address > 0) {
          this.tasksByAddress.set(address, id);
          this.addressOfTask.set(id, address);
        }
        break;
      }
      case 13:
        this.emit({ type: 'task-step', time: this.at(r[2] as number), id: r[1] as number });
        break;
      case 14:
        this.closeRan(this.now);
        this.emitAwaiting(r[1] as number, this.name(r[2]), r[3] as number, this.seconds(this.now));
        if (this.openStep === r[1]) this.openStep = null;
        break;
      case 15: {
        const time = this.at(r[1] as number);
        const id = r[2] as number;
        const cancelled = r[3] === 1;
        this.emit({ type: 'task-done', time, id, state: cancelled ? 'cancelled' : 'finished', detail: this.name(r[4]), ...(r[5] === 1 ? { failed: true } : {}) });
        if (this.openStep === id) this.openStep = null;
        // Its address may be another task's from now on.
        const address = this.addressOfTask.get(id);
        if (address !== undefined) {
          this.addressOfTask.delete(id);
          if (this.tasksByAddress.get(address) === id) this.tasksByAddress.delete(address);
        }
        break;
      }
      case 16:
        this.emit({ type: 'future-created', time: this.seconds(this.now), id: r[1] as number, name: this.name(r[2]) });
        break;
      case 17: {
        const time = this.at(r[1] as number);
        const exception = this.name(r[3]);
        this.emit({
          type: 'exception',
          time,
          message: this.name(r[2]),
          ...(exception ? { exception } : {}),
          ...((r[4] as number) > 0 ? { handleId: r[4] as number } : {}),
          ...((r[5] as number) > 0 ? { taskId: r[5] as number } : {}),
        });
        break;
      }
      case 19: {
        // A handle that was a task's step, with nothing recorded inside: started, step, and (when
        // the next record begins) finished, then what the task awaits.
        const time = this.at(r[3] as number);
        const handleId = r[1] as number;
        const taskId = r[2] as number;
        this.out.push({ type: 'handle-started', time, id: handleId });
        this.out.push({ type: 'task-step', time, id: taskId });
        const awaited = r[5] as number;
        this.openRanId = handleId;
        this.openRanThen =
          awaited > 0 ? { type: 'task-awaiting', time, id: taskId, awaiting: this.name(r[4]), awaitingId: awaited } : { type: 'task-awaiting', time, id: taskId, awaiting: this.name(r[4]) };
        break;
      }
      case 20: {
        const time = this.at(r[1] as number);
        const extra = (r[6] ?? {}) as { pid?: number; program?: string; fd?: number | null; parentId?: number; serverId?: number };
        this.emit({
          type: 'transport-opened',
          time,
          transportId: r[2] as number,
          kind: r[3] as TransportKind,
          peer: (r[4] as string | null) ?? null,
          local: (r[5] as string | null) ?? null,
          ...(typeof extra.pid === 'number' ? { pid: extra.pid } : {}),
          ...(typeof extra.program === 'string' ? { program: extra.program } : {}),
          ...(typeof extra.fd === 'number' ? { fd: extra.fd } : {}),
          ...(typeof extra.parentId === 'number' ? { parentId: extra.parentId } : {}),
          ...(typeof extra.serverId === 'number' ? { serverId: extra.serverId } : {}),
        });
        break;
      }
      case 21: {
        const time = this.at(r[1] as number);
        const transportId = r[2] as number;
        const kind = r[3] as TransportKind;
        const direction = r[4] as number;
        const data = r[5] as string | null;
        const size = r[6] as number;
        const fd = r[7] as number;
        const addr = r[8] as string | null;
        const common = {
          time,
          transportId,
          kind,
          direction: direction === 0 ? ('in' as const) : ('out' as const),
          size,
          ...(fd >= 0 ? { fd } : {}),
          ...(addr ? { addr } : {}),
        };
        if (typeof data === 'string') this.emit({ type: 'transport-data', ...common, data });
        else this.emit({ type: 'transport-traffic', ...common });
        break;
      }
      case 22:
        this.emit({ type: 'transport-eof', time: this.at(r[1] as number), transportId: r[2] as number, direction: r[3] === 0 ? 'in' : 'out' });
        break;
      case 23:
        this.emit({ type: 'transport-closing', time: this.at(r[1] as number), transportId: r[2] as number, abort: Boolean(r[3]) });
        break;
      case 24:
        this.emit({ type: 'transport-lost', time: this.at(r[1] as number), transportId: r[2] as number, error: (r[3] as TransportError | null) ?? null });
        break;
      case 25:
        this.emit({ type: 'transport-error', time: this.at(r[1] as number), transportId: r[2] as number, error: r[3] as TransportError });
        break;
      case 26:
        this.emit({ type: 'process-exited', time: this.at(r[1] as number), transportId: r[2] as number, pid: r[3] as number, returncode: r[4] as number });
        break;
      case 27:
        this.emit({ type: 'server-listening', time: this.at(r[1] as number), serverId: r[2] as number, sockets: r[3] as string[] });
        break;
      case 28:
        this.emit({ type: 'server-closed', time: this.at(r[1] as number), serverId: r[2] as number });
        break;
      case 30:
        this.sink.snapshot?.(r[1] as LoopSnapshot);
        break;
      case 31: {
        this.flush();
        const reason = REASONS.has(r[1] as PauseReason) ? (r[1] as PauseReason) : 'pause';
        const id = r[2] as number;
        this.sink.paused?.(reason, id >= 0 ? { id, callback: String(r[3] ?? '') } : null);
        break;
      }
      case 32:
        this.sink.resumed?.();
        break;
      case 33: {
        const kind = NOTICE_KINDS.has(r[1] as ObserverNoticeEvent['kind']) ? (r[1] as ObserverNoticeEvent['kind']) : 'shim-error';
        this.noticeNow(kind, String(r[2] ?? ''));
        break;
      }
      case 34:
        this.sawExit = true;
        this.sink.exit?.();
        break;
      default:
        this.noticeNow('shim-error', `unknown record code ${code}`);
    }
  }

  private stepTask(r: Rec): number | undefined {
    return r[0] === 14 ? (r[1] as number) : r[0] === 15 ? (r[2] as number) : undefined;
  }

  private emitAwaiting(id: number, awaiting: string, awaited: number, time: number): void {
    this.emit({ type: 'task-awaiting', time, id, awaiting, ...(awaited > 0 ? { awaitingId: awaited } : {}) });
  }

  /** Adds a notice of the host's own (os._exit, a missing interpreter feature) to the stream. */
  notice(kind: ObserverNoticeEvent['kind'], message: string): void {
    this.closeRan(this.now);
    this.noticeNow(kind, message);
  }
}
