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
  /** A handle that ran with nothing recorded inside it: it ends when the next timed record begins. */
  private openRan: { id: number; then?: EngineEvent } | null = null;
  /** A task step announced by a bare integer (tasks level): a bare yield unless TASK_WAITS/DONE follow. */
  private openStep: number | null = null;
  /** Handles seen entering the ready queue or the heap (a cancel of any other is internal). */
  private readonly known = new Set<number>();
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
    if (typeof value === 'number') {
      this.stepStart(value);
      return;
    }
    if (!Array.isArray(value) || typeof value[0] !== 'number') {
      this.noticeNow('shim-error', `unexpected record from the instrumentation: ${text.slice(0, 80)}`);
      return;
    }
    try {
      this.record(value);
    } catch (error) {
      this.noticeNow('shim-error', `bad record ${text.slice(0, 80)}: ${(error as Error).message}`);
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
    const open = this.openRan;
    if (open === null) return;
    this.openRan = null;
    const time = this.seconds(us);
    this.emit({ type: 'handle-finished', time, id: open.id });
    if (open.then) this.emit({ ...open.then, time } as EngineEvent);
  }

  private stepStart(taskId: number): void {
    this.closeStep();
    this.closeRan(this.now);
    this.emit({ type: 'task-step', time: this.seconds(this.now), id: taskId });
    this.openStep = taskId;
    this.stepsThisIteration++;
  }

  private closeStep(): void {
    if (this.openStep === null) return;
    this.emit({ type: 'task-awaiting', time: this.seconds(this.now), id: this.openStep, awaiting: 'sleep(0)' });
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
      case 2: {
        const id = r[1] as number;
        this.known.add(id);
        this.closeRan(this.now);
        this.emit({ type: 'handle-scheduled', time: this.seconds(this.now), id, callback: this.name(r[2]), args: this.name(r[3]) });
        break;
      }
      case 3: {
        const time = this.at(r[1] as number);
        const id = r[2] as number;
        this.known.add(id);
        this.emit({ type: 'timer-scheduled', time, id, callback: this.name(r[3]), args: this.name(r[5]), when: this.seconds(r[4] as number) });
        break;
      }
      case 4:
        this.closeRan(this.now);
        this.emit({ type: 'timer-due', time: this.seconds(this.now), id: r[1] as number });
        break;
      case 5: {
        const time = this.at(r[2] as number);
        this.emit({ type: 'handle-started', time, id: r[1] as number });
        this.openRan = { id: r[1] as number };
        break;
      }
      case 6:
        this.emit({ type: 'handle-started', time: this.at(r[2] as number), id: r[1] as number });
        break;
      case 7:
        this.emit({ type: 'handle-finished', time: this.at(r[2] as number), id: r[1] as number });
        break;
      case 8: {
        const id = r[1] as number;
        // A reader's handle cancelled when its descriptor is removed never was in the queue.
        if (!this.known.has(id)) break;
        this.closeRan(this.now);
        this.emit({ type: 'handle-cancelled', time: this.seconds(this.now), id });
        break;
      }
      case 9: {
        const time = this.at(r[1] as number);
        const [, , , iteration, ready, scheduled, waited, timeout, ready_fds] = r as number[];
        this.stepsThisIteration = 0;
        if (timeout !== 0) {
          this.emit({ type: 'io-wait', time, waited: Math.max(0, waited) / 1e6, timeout: timeout < 0 ? null : timeout / 1e6, ready: ready_fds });
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
      case 12:
        this.emit({ type: 'task-created', time: this.at(r[1] as number), id: r[2] as number, name: String(r[3]), coro: this.name(r[4]) });
        break;
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
        const [, handleId, taskId] = r as number[];
        this.emit({ type: 'handle-started', time, id: handleId });
        this.emit({ type: 'task-step', time, id: taskId });
        const awaited = r[5] as number;
        this.openRan = {
          id: handleId,
          then: { type: 'task-awaiting', time, id: taskId, awaiting: this.name(r[4]), ...(awaited > 0 ? { awaitingId: awaited } : {}) },
        };
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
        const [, , transportId, kind, direction, data, size, fd, addr] = r as [number, number, number, TransportKind, number, string | null, number, number, string | null];
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
