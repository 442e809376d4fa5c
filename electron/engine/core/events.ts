// asyncio's events module: the Handle and TimerHandle that the loop's queues hold, and the
// registry behind getEventLoop / setEventLoop / getRunningLoop.
import type { BaseEventLoop, EventLoopOptions } from './base-events';
import { RuntimeError } from './exceptions';
import { SHORT_REPR, argsRepr, callbackName } from './format';

/** Any callback the loop can run. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Callback = (...args: any[]) => unknown;

/**
 * A callback scheduled with `callSoon` (asyncio.Handle). Created by the loop, never directly.
 * Cancelling drops the references to the callback and its arguments, as asyncio does.
 */
export class Handle {
  /** @internal */ _callback: Callback | null;
  /** @internal */ _args: unknown[] | undefined;
  /** @internal */ _loop: BaseEventLoop;
  /** @internal */ _cancelled = false;
  /** @internal Stable id in the event stream and snapshots. */ _id: number;

  /** @internal */
  constructor(callback: Callback, args: unknown[] | undefined, loop: BaseEventLoop, id: number) {
    this._callback = callback;
    this._args = args;
    this._loop = loop;
    this._id = id;
  }

  /** Stable id of this handle in the event stream and in snapshots. */
  get id(): number {
    return this._id;
  }

  /** Prevents the callback from running; does nothing if it already ran or was cancelled. */
  cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    this._loop._handleCancelled(this);
    this._callback = null;
    this._args = undefined;
  }

  /** Whether `cancel()` was called. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** Name of the callback as shown in events and snapshots. */
  callbackName(): string {
    return this._cancelled ? '<cancelled>' : callbackName(this._callback);
  }

  /** Short rendering of the arguments as shown in events and snapshots. */
  argsRepr(): string {
    return argsRepr(this._args);
  }

  /** @internal */
  [SHORT_REPR](): string {
    return `Handle#${this._id}`;
  }

  /** asyncio-style rendering, e.g. `<Handle helloWorld(<BaseEventLoop>)>`. */
  toString(): string {
    return `<${this.constructor.name}${this._cancelled ? ' cancelled' : ''} ${this.callbackName()}(${this.argsRepr()})>`;
  }
}

/** A callback scheduled for a time (asyncio.TimerHandle), from `callLater` or `callAt`. */
export class TimerHandle extends Handle {
  /** @internal Deadline in loop time (seconds). */ _when: number;
  /** @internal Scheduling order: equal deadlines run in the order they were scheduled. */ _seq: number;
  /** @internal Whether the handle is still on the loop's timer queue. */ _scheduled = true;

  /** @internal */
  constructor(when: number, seq: number, callback: Callback, args: unknown[] | undefined, loop: BaseEventLoop, id: number) {
    super(callback, args, loop, id);
    this._when = when;
    this._seq = seq;
  }

  /** The absolute deadline in loop time (seconds), as `loop.time()` counts. */
  when(): number {
    return this._when;
  }

  /** @internal */
  override [SHORT_REPR](): string {
    return `TimerHandle#${this._id}`;
  }

  /** asyncio-style rendering including the deadline. */
  override toString(): string {
    return `<TimerHandle${this._cancelled ? ' cancelled' : ''} when=${this._when} ${this.callbackName()}(${this.argsRepr()})>`;
  }
}

let runningLoop: BaseEventLoop | null = null;
let currentLoop: BaseEventLoop | null = null;
let loopFactory: ((options?: EventLoopOptions) => BaseEventLoop) | null = null;

/** The loop that is running now (asyncio.get_running_loop); raises RuntimeError when none is. */
export function getRunningLoop(): BaseEventLoop {
  if (runningLoop === null) throw new RuntimeError('no running event loop');
  return runningLoop;
}

/** The running loop or null (asyncio._get_running_loop). */
export function _getRunningLoop(): BaseEventLoop | null {
  return runningLoop;
}

/** @internal The loop calls this when it starts and stops running. */
export function _setRunningLoop(loop: BaseEventLoop | null): void {
  runningLoop = loop;
}

/**
 * The running loop, else the current one (asyncio.get_event_loop). When there is neither, a new
 * loop is created with the registered factory and made current, as asyncio's default policy
 * does in the main thread.
 */
export function getEventLoop(): BaseEventLoop {
  if (runningLoop !== null) return runningLoop;
  if (currentLoop === null) {
    currentLoop = _newEventLoop();
  }
  return currentLoop;
}

/** @internal A new loop from the registered factory (what index.ts's newEventLoop builds). */
export function _newEventLoop(options?: EventLoopOptions): BaseEventLoop {
  if (loopFactory === null) throw new RuntimeError('There is no current event loop and no loop factory is registered.');
  return loopFactory(options);
}

/** Makes `loop` the current loop (asyncio.set_event_loop); null forgets it. */
export function setEventLoop(loop: BaseEventLoop | null): void {
  currentLoop = loop;
}

/** @internal Registers how getEventLoop creates a loop when none is current (index.ts does). */
export function _setEventLoopFactory(factory: ((options?: EventLoopOptions) => BaseEventLoop) | null): void {
  loopFactory = factory;
}
