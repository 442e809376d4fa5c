// asyncio's base_events module: the event loop itself, with _run_once as its heart.
//
// CONTRACT FOR THE I/O LAYER (electron/engine/node/, `NodeEventLoop extends BaseEventLoop`,
// mirroring asyncio's base_events vs selector_events split):
// - `loop.callSoon(cb, ...args)` may be called from any Node I/O callback, also while the loop is
//   idle-waiting on the platform: it wakes the loop (what asyncio's self-pipe write does for
//   call_soon_threadsafe). `callLater`/`callAt` wake it too, so a new earlier deadline is seen.
// - `loop._ioPending(+1)` when an I/O operation starts that will later call back into the loop
//   (a connect, a read that is expected, a process that is running), `loop._ioPending(-1)` when it
//   ends. The virtual clock jumps to the next timer only when nothing is ready AND nothing is
//   pending; a subclass can instead override `_hasPendingIo()`. Real I/O sources keep Node alive on
//   their own: the loop never exits by itself; `runForever()` settles only after `stop()`.
// - `loop._emit(event)` sends a transport event through the same sink as the core's events;
//   `loop._sinkAttached()` tells whether building the event is worth it.
// - `_extendSnapshot(snapshot)` is the hook where a subclass adds `snapshot.transports`.
// - Loops are built as `new LoopClass(options, platform)`: index.ts's `newEventLoop` uses the
//   class registered with `setEventLoopClass` (the I/O layer registers NodeEventLoop there).
// - For the debugger (scenario runner): `setStepGate(gate, attention?)` asks `gate(next)` before
//   every callback (only while `attention[0]` is not zero, when given); true pauses the loop in front
//   of it until `resumeFromGate()`.
//
// How JavaScript changes the picture: runForever/runUntilComplete return promises. The loop drains
// iterations synchronously in a plain JS loop and gives the host a turn (so Node I/O can arrive)
// when it is idle, and after a time slice of work. A native `async function` task step cannot run
// synchronously (its continuation is a microtask), so the loop suspends the drain at such a step
// behind a "barrier" and resumes it when the task suspends on a Future (V8 calls the Future's
// `then`) or settles. See tasks.ts for the details and for awaiting foreign promises.
import { CallbackEvents } from './callback-events';
import { TICK_COUNT, tickStands, wantTicks } from './event-tick';
import type { RecordingSink } from '../../../shared/engine/callback-recorder';
import type { EngineEvent, EventSink } from '../../../shared/engine/events';
import type { LoopSnapshot, ReadyEntry, ScheduledEntry, TaskEntry } from '../../../shared/engine/snapshot';
import { Handle, TimerHandle, _getRunningLoop, _setRunningLoop, type Callback } from './events';
import { RuntimeError } from './exceptions';
import { SHORT_REPR, argsRepr, callbackName, errorRepr, shortRepr } from './format';
import { Future, isFuture } from './futures';
import { BARRIER_ARMING, BARRIER_HARD, BARRIER_NONE, BARRIER_SOFT } from './barriers';
import type { IoMethods } from './io-loop';
import type { Platform } from './platform';
import { ReadyQueue } from './ready-queue';
import { Task, type CoroutineLike, type TaskOptions } from './tasks';
import { TaskList } from './task-list';
import { TimerQueue } from './timer-queue';

/** Which clock a loop runs on. */
export type ClockKind = 'real' | 'virtual';

/** Options of `newEventLoop`. */
export interface EventLoopOptions {
  /** 'real' (monotonic seconds) or 'virtual' (jumps to the next timer when idle). Default 'real'. */
  clock?: ClockKind;
  /** asyncio's debug mode: slow callback warnings and never-retrieved exception reports. */
  debug?: boolean;
  /** Seconds after which debug mode reports a callback as slow (asyncio's default 0.1). */
  slowCallbackDuration?: number;
  /** Seconds of work after which the loop gives the host a turn so that I/O can arrive. */
  timeSlice?: number;
}

/** What the exception handler receives (asyncio's context dict). */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  handle?: Handle;
  future?: Future<unknown>;
  task?: Task<unknown>;
  [key: string]: unknown;
}

/** An exception handler as set with `setExceptionHandler`. */
export type ExceptionHandler = (loop: BaseEventLoop, context: ExceptionContext) => void;

/** What a step gate learns about the callback the loop is about to run. */
export interface GateCallback {
  /** The handle's id, as in events and snapshots. */
  id: number;
  /** The callback's name, as in events and snapshots. */
  callback: string;
  /** Short rendering of its arguments. */
  args: string;
  /** The task's name when the callback steps or wakes a task. */
  task?: string;
  /** The iteration it runs in. */
  iteration: number;
  /** Whether it is a timer that came due. */
  timer: boolean;
}

/** Asked before each callback; returning true pauses the loop in front of it until `resumeFromGate()`. */
export type StepGate = (next: GateCallback) => boolean;

/** Options of `loop.snapshot()`. */
export interface SnapshotOptions {
  /** Most entries per list (ready, scheduled, tasks). Default 1000. */
  limit?: number;
}

// Drain states: where the loop is between two callbacks.
const IDLE = 0; // not running
const DRAINING = 1; // the drain is on the stack
const BARRIER = 2; // a native task step is running in microtasks; the drain resumes when it suspends
const WAITING = 3; // nothing to do: waiting on a platform timer or for a wakeup
const DEFERRED = 4; // gave the host a turn; resumes from platform.defer
const PAUSED = 5; // a step gate paused the loop in front of a callback


/**
 * The event loop (asyncio's BaseEventLoop). Create one with `newEventLoop()`; the constructor takes
 * the platform that supplies time and waiting.
 */
// I/O hook (added by the engine I/O work): asyncio's AbstractEventLoop declares createConnection,
// createServer, subprocessExec & co. on every loop, and scenarios call them on getEventLoop()'s
// result. engine/node's NodeEventLoop, which newEventLoop() builds, implements them; a bare
// BaseEventLoop has none at run time (io-loop.ts's isIoEventLoop tells).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface BaseEventLoop extends IoMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BaseEventLoop {
  /** @internal */ readonly _platform: Platform;
  /** @internal */ readonly _virtual: boolean;
  /** @internal */ _virtualNow = 0;
  /** @internal */ readonly _ready = new ReadyQueue();
  /** @internal */ readonly _timers = new TimerQueue();
  /** @internal Handles left to run in the current iteration. */ _todo = 0;
  /** @internal Size of the current iteration (for the iteration-end event). */ _iterSize = 0;
  /**
   * @internal Whether an observer that wraps every callback is on (event sink, debug mode). The
   * drain checks this one flag per callback and takes the instrumented path only when it is set
   * (the step gate is asked apart, before either path).
   */
  _instrumented = false;
  /** @internal */ _iteration = 0;
  /** @internal */ _iterationOpen = false;
  /** @internal */ _state = IDLE;
  /** @internal */ _stopping = false;
  /** @internal */ _closed = false;
  /** @internal */ _debug: boolean;
  /** Seconds after which debug mode reports a callback as slow. */
  slowCallbackDuration: number;
  /** @internal */ _timeSlice: number;
  /** @internal */ _sliceEnd = 0;
  /** @internal Shared id counter for handles, futures and tasks (stable ids in events). */ _nextId = 1;
  /** @internal */ _timerSeq = 0;
  /** @internal */ _sink: EventSink | null = null;
  /** @internal The callbacks' events for the sink's recorder (see CallbackRecorder), or null. */ _callbackEvents: CallbackEvents | null = null;
  /** @internal The platform's tick (see Platform.eventTick), or null. */ readonly _tick: Int32Array | null;
  /** @internal The tick at the reading in `_drainTime`. */ _tickSeen = -1;
  /** @internal The event time of the callback running now (see `_eventTime`), -1 outside one. */ _callbackTime = -1;
  /**
   * @internal The time the drain last read for an event (an iteration's start, a callback's end)
   * while it goes straight on, so the next event in the drain happened then too; else -1.
   */
  _drainTime = -1;
  /** @internal The loop's last clock reading for an event (-1: none yet), and the tick it was taken at (see `_outsideTime`). */
  _lastTime = -1;
  /** @internal */ _lastTick = -1;
  /** @internal */ _exceptionHandler: ExceptionHandler | null = null;
  /** @internal The task whose step is running (asyncio's _current_tasks[loop]). */ _currentTask: Task<unknown> | null = null;
  /** @internal */ _barrier = BARRIER_NONE;
  /** @internal */ _barrierStart = 0;
  /** @internal */ _barrierHandle: Handle | null = null;
  /** @internal */ _watchdogArmed = false;
  /** @internal */ _ioPendingCount = 0;
  /** @internal */ _waitCancel: (() => void) | null = null;
  /** @internal */ _runResolve: (() => void) | null = null;
  /** @internal Tasks not done yet (asyncio's _scheduled_tasks), in creation order. */ readonly _tasks = new TaskList<Task<unknown>>();
  /** @internal Debug mode: futures whose exception nobody retrieved yet. */ readonly _unretrieved = new Set<Future<unknown>>();
  /** @internal */ _stepGate: StepGate | null = null;
  /** @internal The gate is asked only while its first word is not zero (null: always). */ _gateAttention: Int32Array | null = null;

  private readonly _resumeBound = (): void => this._resume();
  private readonly _sinkFailedBound = (exc: unknown): void => this._sinkFailed(exc);
  private readonly _watchdogBound = (): void => this._watchdog();
  private readonly _softReleaseBound = (): void => this._softRelease();
  private readonly _armBound = (): void => {
    if (this._barrier === BARRIER_ARMING) this._barrier = BARRIER_HARD;
  };
  private readonly _pushDueBound = (t: TimerHandle): void => this._pushDue(t);

  constructor(options: EventLoopOptions = {}, platform: Platform) {
    this._platform = platform;
    this._virtual = options.clock === 'virtual';
    this._debug = options.debug ?? false;
    this.slowCallbackDuration = options.slowCallbackDuration ?? 0.1;
    this._timeSlice = options.timeSlice ?? 0.008;
    this._instrumented = this._debug;
    this._tick = platform.eventTick ?? null;
  }

  // --- time -------------------------------------------------------------------------------

  /** The loop's time in seconds (monotonic; on the virtual clock it starts at 0). */
  time(): number {
    return this._virtual ? this._virtualNow : this._platform.monotonic();
  }

  /**
   * @internal The `time` of an event. On the real clock it is rounded to the microsecond, and an
   * event emitted inside a callback takes the time the callback started: one clock read per
   * callback rather than one per event, and times that encode short (a busy run emits millions).
   */
  _eventTime(): number {
    return this._callbackTime >= 0 ? this._callbackTime : this._outsideTime();
  }

  /**
   * @internal The time of an event outside a callback (I/O that the platform delivers, a scenario's
   * top level): the loop's last reading while the platform's tick stands, as for a callback's end,
   * else a fresh one. A TCP exchange emits most of its events there, each a clock read before.
   */
  _outsideTime(): number {
    const tick = this._tick;
    if (tick === null || this._virtual) return this._clockTime();
    if (this._lastTime >= 0 && tickStands(tick, this._lastTick)) return this._lastTime;
    this._lastTick = tick[TICK_COUNT];
    return (this._lastTime = this._clockTime());
  }

  /** @internal The clock as events carry it (see `_eventTime`). */
  _clockTime(): number {
    return this._virtual ? this._virtualNow : Math.round(this._platform.monotonic() * 1e6) / 1e6;
  }

  /** @internal A clock reading that the drain goes on from (`_drainTime`), with the tick it was taken at. */
  _drainReading(): number {
    // The tick before the clock: a tick between the two then counts as not yet seen.
    if (this._tick === null) return (this._drainTime = this._clockTime());
    // Also the last reading events outside callbacks go on from: never earlier than one before them.
    this._tickSeen = this._lastTick = this._tick[TICK_COUNT];
    return (this._drainTime = this._lastTime = this._clockTime());
  }

  /**
   * @internal The time after a callback, which the drain goes on from: the last reading while the
   * platform's tick stands still (see Platform.eventTick), else the clock.
   */
  _afterCallbackTime(): number {
    const tick = this._tick;
    if (tick !== null && this._drainTime >= 0 && !this._virtual) {
      if (tickStands(tick, this._tickSeen)) return this._drainTime;
      wantTicks(tick);
    }
    return this._drainReading();
  }

  /** @internal The time of an event the drain emits between callbacks (see `_drainTime`). */
  _drainEventTime(): number {
    return this._drainTime >= 0 ? this._drainTime : this._clockTime();
  }

  /** Which clock this loop runs on. */
  get clock(): ClockKind {
    return this._virtual ? 'virtual' : 'real';
  }

  /** Number of iterations (_run_once calls) so far. */
  get iteration(): number {
    return this._iteration;
  }

  // --- scheduling ---------------------------------------------------------------------------

  /** Schedules `callback(...args)` for the next iteration (asyncio's call_soon); FIFO order. */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon(callback: Callback): Handle {
    if (this._closed) this._checkClosed();
    // asyncio checks the callback in debug mode only; otherwise a bad one fails when it runs.
    if (this._debug && typeof callback !== 'function') throw new TypeError(`a callable object was expected by callSoon(), got ${shortRepr(callback)}`);
    // `arguments` instead of a rest parameter: no array is allocated for the common no-argument call.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length > 1 ? Array.prototype.slice.call(arguments, 1) : undefined;
    const h = new Handle(callback, args, this, this._nextId++);
    this._ready.push(h);
    if (this._sink !== null) this._emitScheduled(h);
    if (this._state === WAITING) this._wakeup();
    return h;
  }

  /** @internal callSoon for the engine's own callbacks (done callbacks, task steps): one argument, no checks. */
  _callSoonInternal(callback: Callback, arg: unknown): Handle {
    if (this._closed) this._checkClosed();
    const h = new Handle(callback, [arg], this, this._nextId++);
    this._ready.push(h);
    if (this._sink !== null) this._emitScheduled(h);
    if (this._state === WAITING) this._wakeup();
    return h;
  }

  /** @internal Queues an existing handle (a task's reusable step handle). */
  _pushHandle(h: Handle): void {
    if (this._closed) this._checkClosed();
    this._ready.push(h);
    if (this._sink !== null) this._emitScheduled(h);
    if (this._state === WAITING) this._wakeup();
  }

  /** Schedules `callback(...args)` after `delay` seconds of loop time (asyncio's call_later). */
  callLater<A extends unknown[]>(delay: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callLater(delay: number, callback: Callback): TimerHandle {
    if (typeof delay !== 'number' || Number.isNaN(delay)) throw new TypeError(`delay must be a number, got ${shortRepr(delay)}`);
    // eslint-disable-next-line prefer-rest-params
    return this._callAt(this.time() + delay, callback, arguments.length > 2 ? Array.prototype.slice.call(arguments, 2) : undefined);
  }

  /** Schedules `callback(...args)` at loop time `when` (asyncio's call_at). */
  callAt<A extends unknown[]>(when: number, callback: (...args: A) => unknown, ...args: A): TimerHandle;
  callAt(when: number, callback: Callback): TimerHandle {
    if (typeof when !== 'number' || Number.isNaN(when)) throw new TypeError(`when must be a number, got ${shortRepr(when)}`);
    // eslint-disable-next-line prefer-rest-params
    return this._callAt(when, callback, arguments.length > 2 ? Array.prototype.slice.call(arguments, 2) : undefined);
  }

  private _callAt(when: number, callback: Callback, args: unknown[] | undefined): TimerHandle {
    if (this._closed) this._checkClosed();
    if (this._debug && typeof callback !== 'function') throw new TypeError(`a callable object was expected, got ${shortRepr(callback)}`);
    const t = new TimerHandle(when, this._timerSeq++, callback, args, this, this._nextId++);
    this._timers.push(t);
    if (this._sink !== null) this._emitTimerScheduled(t);
    if (this._state === WAITING) this._wakeup();
    return t;
  }

  /** @internal Called by Handle.cancel(). */
  _handleCancelled(h: Handle): void {
    if (h instanceof TimerHandle && h._scheduled) this._timers.cancelledCount++;
    if (this._sink !== null) this._emit({ type: 'handle-cancelled', time: this._eventTime(), id: h._id });
  }

  /** Creates a Future attached to this loop (asyncio's create_future). */
  createFuture<T = unknown>(): Future<T> {
    return new Future<T>(this);
  }

  /** Wraps a coroutine in a Task scheduled on this loop (asyncio's create_task); see `Task`. */
  createTask<T>(coro: CoroutineLike<T>, options?: TaskOptions): Task<T> {
    if (this._closed) this._checkClosed();
    if (coro instanceof Task && options === undefined) {
      if (coro._loop !== this) throw new RuntimeError('createTask() got a Task of another loop');
      return coro as Task<T>;
    }
    return new Task<T>(coro, this, options);
  }

  // --- running ------------------------------------------------------------------------------

  /** Runs until `stop()` is called (asyncio's run_forever); the promise settles when the loop stops. */
  runForever(): Promise<void> {
    try {
      this._checkRunnable();
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<void>((resolve) => {
      this._runResolve = resolve;
      _setRunningLoop(this);
      this._state = DRAINING;
      this._sliceEnd = this._platform.monotonic() + this._timeSlice;
      if (this._sink !== null) this._emit({ type: 'loop-state', time: this._eventTime(), state: 'running', clock: this.clock });
      this._drain();
    });
  }

  /**
   * Runs until `awaitable` is done and resolves with its result, or rejects with its error
   * (asyncio's run_until_complete). A coroutine or function is wrapped in a Task first.
   */
  async runUntilComplete<T>(awaitable: CoroutineLike<T> | Future<T>): Promise<T> {
    this._checkClosed();
    const newTask = !isFuture(awaitable);
    const future = newTask ? this.createTask(awaitable as CoroutineLike<T>) : (awaitable as Future<T>);
    if (future._loop !== this) throw new RuntimeError('The future belongs to a different loop than the one specified as the loop argument');
    const onDone = function runUntilCompleteCb(fut: Future<T>): void {
      fut._loop.stop();
    };
    future.addDoneCallback(onDone);
    try {
      await this.runForever();
    } catch (e) {
      // Mark the task's exception as retrieved: the caller gets the loop's error instead.
      if (newTask && future.done() && !future.cancelled()) future.exception();
      throw e;
    } finally {
      future.removeDoneCallback(onDone);
    }
    if (!future.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return future.result();
  }

  /**
   * Stops the loop (asyncio's stop): the current iteration finishes, then `runForever()` settles.
   * Called before `runForever()`, it makes the loop run exactly one iteration.
   */
  stop(): void {
    this._stopping = true;
    if (this._state === WAITING) this._wakeup();
  }

  /** Whether the loop is running. */
  isRunning(): boolean {
    return this._state !== IDLE;
  }

  /** Whether the loop was closed. */
  isClosed(): boolean {
    return this._closed;
  }

  /**
   * Closes the loop (asyncio's close): pending callbacks and timers are dropped; a closed loop
   * refuses new callbacks. Raises if the loop is running.
   */
  close(): void {
    if (this.isRunning()) throw new RuntimeError('Cannot close a running event loop');
    if (this._closed) return;
    if (this._debug) {
      this._platform.log('debug', `Close ${this}`);
      for (const fut of this._unretrieved) this._reportUnretrieved(fut);
      this._unretrieved.clear();
    }
    this._closed = true;
    this._callbackEvents?.flush();
    this._ready.clear();
    this._timers.clear();
    this._todo = 0;
    if (this._sink !== null) this._emit({ type: 'loop-state', time: this._eventTime(), state: 'closed', clock: this.clock });
  }

  /** Turns debug mode on or off. */
  setDebug(enabled: boolean): void {
    this._debug = enabled;
    this._updateInstrumented();
  }

  /** Whether debug mode is on. */
  getDebug(): boolean {
    return this._debug;
  }

  // --- exceptions ---------------------------------------------------------------------------

  /** Sets the handler called for errors no one else handles; null restores the default. */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') throw new TypeError(`A callable object or null is expected, got ${shortRepr(handler)}`);
    this._exceptionHandler = handler;
  }

  /** The handler set with `setExceptionHandler`, or null. */
  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /** The default handler: logs the message, the context and the exception, and the loop goes on. */
  defaultExceptionHandler(context: ExceptionContext): void {
    const message = context.message || 'Unhandled exception in event loop';
    const lines = [message];
    for (const key of Object.keys(context).sort()) {
      if (key === 'message' || key === 'exception') continue;
      // asyncio prints each value's repr: a user's protocol shows as <EchoProtocol>, not [object Object].
      const value = context[key];
      lines.push(`${key}: ${typeof value === 'string' ? value : shortRepr(value)}`);
    }
    if ('exception' in context) this._platform.log('error', lines.join('\n'), context.exception);
    else this._platform.log('error', lines.join('\n'));
  }

  /** Calls the exception handler with `context` (asyncio's call_exception_handler). */
  callExceptionHandler(context: ExceptionContext): void {
    if (this._sink !== null) {
      this._emit({
        type: 'exception',
        time: this._eventTime(),
        message: context.message,
        exception: context.exception === undefined ? undefined : errorRepr(context.exception),
        handleId: context.handle?._id,
        futureId: context.future?._id,
        taskId: context.task?._id,
      });
    }
    const handler = this._exceptionHandler;
    if (handler === null) {
      try {
        this.defaultExceptionHandler(context);
      } catch (exc) {
        this._platform.log('error', 'Exception in default exception handler', exc);
      }
      return;
    }
    try {
      handler(this, context);
    } catch (exc) {
      try {
        this.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: exc, context });
      } catch (exc2) {
        this._platform.log('error', 'Exception in default exception handler while handling an unexpected error in custom exception handler', exc2);
      }
    }
  }

  /** @internal A future's exception was never retrieved (debug: at close; else when collected). */
  _reportUnretrieved(fut: Future<unknown>): void {
    const isTask = fut instanceof Task;
    const context: ExceptionContext = {
      message: `${isTask ? 'Task' : 'Future'} exception was never retrieved`,
      exception: fut._exception,
    };
    if (isTask) context.task = fut as Task<unknown>;
    else context.future = fut;
    this.callExceptionHandler(context);
  }

  // --- observability ------------------------------------------------------------------------

  /** Attaches the event sink (one at a time); null detaches it. With none, emitting costs a null check. */
  setEventSink(sink: EventSink | null): void {
    // What the loop holds back belongs to the sink it was emitted to.
    this._callbackEvents?.flush();
    this._sink = sink;
    const recorder = (sink as RecordingSink | null)?.callbacks;
    this._callbackEvents = recorder === undefined ? null : new CallbackEvents(recorder, this._sinkFailedBound);
    this._updateInstrumented();
  }

  /** The attached event sink, or null. */
  getEventSink(): EventSink | null {
    return this._sink;
  }

  /** Whether an event sink is attached (I/O code checks this before building an event). */
  _sinkAttached(): boolean {
    return this._sink !== null;
  }

  /** Sends `event` to the sink, if one is attached; a throwing sink is detached and reported. */
  _emit(event: EngineEvent): void {
    const sink = this._sink;
    if (sink === null) return;
    // Held callbacks' events come first (see CallbackEvents). flush() looks whether any are held:
    // called every time, its call is in the optimized code from the start, rather than added (by
    // undoing that code) the first time something is held here.
    this._callbackEvents?.flush();
    try {
      sink(event);
    } catch (exc) {
      this._sinkFailed(exc);
    }
  }

  /** @internal The sink raised: it is detached and the failure reported. */
  _sinkFailed(exc: unknown): void {
    this._sink = null;
    this._callbackEvents = null;
    this._updateInstrumented();
    this._platform.log('error', 'The event sink raised and was detached', exc);
  }

  private _emitScheduled(h: Handle): void {
    const callbackEvents = this._callbackEvents;
    if (callbackEvents === null) {
      this._emit({ type: 'handle-scheduled', time: this._eventTime(), id: h._id, callback: callbackName(h._callback), args: argsRepr(h._args) });
      return;
    }
    callbackEvents.scheduled(this._eventTime(), h._id, h._callback, h._args);
  }

  private _emitTimerScheduled(t: TimerHandle): void {
    this._emit({ type: 'timer-scheduled', time: this._eventTime(), id: t._id, callback: callbackName(t._callback), args: argsRepr(t._args), when: t._when });
  }

  /** The loop's queues and tasks now; cheap enough to call every frame. */
  snapshot(options: SnapshotOptions = {}): LoopSnapshot {
    const limit = options.limit ?? 1000;
    const ready: ReadyEntry[] = [];
    this._ready.forEach((h) => {
      if (!h._cancelled) ready.push({ id: h._id, callback: callbackName(h._callback), args: argsRepr(h._args) });
    }, limit);
    const scheduled: ScheduledEntry[] = this._timers.sorted(limit).map((t) => ({ id: t._id, when: t._when, callback: callbackName(t._callback) }));
    const tasks: TaskEntry[] = [];
    for (const task of this._tasks) {
      if (tasks.length >= limit) break;
      tasks.push({
        id: task._id,
        name: task.getName(),
        state: this._currentTask === task ? 'running' : 'pending',
        awaiting: task._awaitingRepr(),
        ...(task._futWaiter !== null ? { awaitingId: task._futWaiter._id } : {}),
      });
    }
    const snapshot: LoopSnapshot = {
      time: this.time(),
      iteration: this._iteration,
      clock: this.clock,
      running: this.isRunning(),
      closed: this._closed,
      ready,
      readyCount: this._ready.size,
      scheduled,
      scheduledCount: this._timers.liveCount(),
      tasks,
      taskCount: this._tasks.size,
    };
    this._extendSnapshot(snapshot);
    return snapshot;
  }

  /** Hook for subclasses (the I/O loop adds `transports`). */
  protected _extendSnapshot(_snapshot: LoopSnapshot): void {}

  // --- stepping (the debugger's hook) ------------------------------------------------------

  /**
   * Sets the gate asked before every callback (null removes it); see StepGate. With `attention`, the
   * loop asks it only while `attention[0]` is not zero: a debugger that only wants a say while it
   * steps, holds breakpoints or has a request pending sets that word (shared memory, so another
   * thread may set it), and a free run pays one load per callback instead of a call.
   */
  setStepGate(gate: StepGate | null, attention: Int32Array | null = null): void {
    this._stepGate = gate;
    this._gateAttention = gate === null ? null : attention;
  }

  /** Whether a step gate holds the loop in front of a callback. */
  isPaused(): boolean {
    return this._state === PAUSED;
  }

  /** Continues a loop paused by its step gate; the gate is asked again about the same callback. */
  resumeFromGate(): void {
    if (this._state !== PAUSED) return;
    this._state = DEFERRED;
    this._platform.defer(this._resumeBound);
  }

  // --- I/O hooks ----------------------------------------------------------------------------

  /** Counts I/O in flight (+1 when an operation starts, -1 when it ends): the virtual clock does not jump meanwhile. */
  _ioPending(delta: number): void {
    this._ioPendingCount += delta;
    if (this._ioPendingCount < 0) this._ioPendingCount = 0;
    if (this._ioPendingCount === 0 && this._state === WAITING && this._virtual) this._wakeup();
  }

  /** Whether I/O is in flight; subclasses may override (asyncio: the selector has registrations). */
  _hasPendingIo(): boolean {
    return this._ioPendingCount > 0;
  }

  // --- the drain: _run_once, iteration after iteration ---------------------------------------

  /** @internal Runs iterations until the loop must wait, yield, stop, or wait for a task step. */
  _drain(): void {
    this._state = DRAINING;
    // Time passed while the drain was away (waiting, a task step's microtasks, the host's turn).
    this._drainTime = -1;
    if (this._tick !== null && this._sink !== null) wantTicks(this._tick);
    const ready = this._ready;
    for (;;) {
      if (this._todo === 0) {
        if (this._iterationOpen) {
          this._iterationOpen = false;
          if (this._sink !== null) this._emit({ type: 'iteration-end', time: this._drainEventTime(), iteration: this._iteration, ran: this._iterSize });
          if (this._stopping) {
            this._finishRun();
            return;
          }
        }
        if (!this._beginIteration()) return;
        continue;
      }
      if (this._stepGate !== null) {
        const attention = this._gateAttention;
        if ((attention === null || Atomics.load(attention, 0) !== 0) && this._gateCloses()) return;
      }
      if (this._instrumented) {
        this._todo--;
        const h = ready.shift();
        if (h._cancelled) continue;
        this._runInstrumented(h);
      } else {
        this._todo--;
        const h = ready.shift();
        if (h._cancelled) continue;
        // asyncio's Handle._run, inlined: errors go to the exception handler and the loop goes on.
        const cb = h._callback as Callback;
        const args = h._args;
        try {
          if (args === undefined) cb();
          else if (args.length === 1) cb(args[0]);
          else cb(...args);
        } catch (exc) {
          this._callbackFailed(h, exc);
        }
      }
      if (this._barrier !== BARRIER_NONE) {
        this._state = BARRIER;
        if (this._barrier !== BARRIER_SOFT && !this._watchdogArmed) {
          this._watchdogArmed = true;
          this._platform.defer(this._watchdogBound);
        }
        return;
      }
    }
  }

  /** Asks the step gate about the next handle; true when the loop pauses in front of it. */
  private _gateCloses(): boolean {
    const h = this._ready.peek();
    if (h._cancelled) return false;
    const owner = (h._args !== undefined ? h._args[0] : undefined) as { _isTask?: boolean; getName?: () => string } | undefined;
    const wakes = (h._callback as { _task?: { getName(): string } } | null)?._task;
    const task = owner?._isTask === true && h._callback !== null && callbackName(h._callback) === 'Task.step' ? owner.getName?.() : wakes?.getName();
    const next: GateCallback = {
      id: h._id,
      callback: callbackName(h._callback),
      args: argsRepr(h._args),
      iteration: this._iteration,
      timer: h instanceof TimerHandle,
    };
    if (task !== undefined) next.task = task;
    let pause: boolean;
    try {
      pause = (this._stepGate as StepGate)(next);
    } catch (exc) {
      // A broken gate must not break the loop: report it and run the callback.
      this._platform.log('error', 'The step gate raised; the callback runs', exc);
      return false;
    }
    if (!pause) return false;
    this._state = PAUSED;
    return true;
  }

  /** One handle, its errors routed to the exception handler (asyncio's Handle._run). */
  private _runInstrumented(h: Handle): void {
    const cb = h._callback as Callback;
    const args = h._args;
    if (this._sink !== null) {
      const started = this._drainEventTime();
      this._callbackTime = started;
      // Straight to the recorder's holder: one call per event on a busy loop's hottest path.
      const callbackEvents = this._callbackEvents;
      if (callbackEvents !== null) callbackEvents.started(started, h._id);
      else this._emit({ type: 'handle-started', time: started, id: h._id });
    }
    const t0 = this._debug ? this._platform.monotonic() : 0;
    try {
      if (args === undefined) cb();
      else if (args.length === 1) cb(args[0]);
      else cb(...args);
    } catch (exc) {
      this._callbackFailed(h, exc);
    }
    if (this._debug) {
      if (this._barrier === BARRIER_NONE) this._checkSlow(h, t0);
      else {
        this._barrierHandle = h;
        this._barrierStart = t0;
      }
    }
    this._callbackTime = -1;
    if (this._sink !== null) {
      const finished = this._afterCallbackTime();
      // Read again: the callback may have changed the sink.
      const callbackEvents = this._callbackEvents;
      if (callbackEvents !== null) callbackEvents.finished(finished, h._id);
      else this._emit({ type: 'handle-finished', time: finished, id: h._id });
    }
  }

  private _callbackFailed(h: Handle, exc: unknown): void {
    this.callExceptionHandler({ message: `Exception in callback ${h}`, exception: exc, handle: h });
  }

  private _updateInstrumented(): void {
    this._instrumented = this._sink !== null || this._debug;
  }

  private _checkSlow(h: Handle, t0: number): void {
    const dt = this._platform.monotonic() - t0;
    if (dt >= this.slowCallbackDuration) this._platform.log('warn', `Executing ${h} took ${dt.toFixed(3)} seconds`);
  }

  /**
   * Starts an iteration (the first half of _run_once): waits if nothing is ready, moves due timers
   * to the ready queue and fixes how many handles this iteration runs. Returns false when the
   * drain must return (waiting, or giving the host a turn).
   */
  private _beginIteration(): boolean {
    const platform = this._platform;
    // Give the host a turn after a slice of work so that Node I/O callbacks can run.
    if (platform.monotonic() >= this._sliceEnd) {
      this._state = DEFERRED;
      platform.defer(this._resumeBound);
      return false;
    }
    const ready = this._ready;
    if (ready.size === 0 && !this._stopping) {
      const next = this._timers.size > 0 ? this._timers.nextDeadline() : Infinity;
      if (this._virtual) {
        if (next === Infinity || this._hasPendingIo()) {
          this._idle(Infinity);
          return false;
        }
        // Nothing is ready and no I/O is pending: virtual time jumps to the next deadline.
        if (next > this._virtualNow) this._virtualNow = next;
      } else {
        const delay = next - platform.monotonic();
        if (delay > 0) {
          this._idle(delay);
          return false;
        }
      }
    }
    this._iteration++;
    this._iterationOpen = true;
    if (this._sink !== null) {
      this._emit({ type: 'iteration-start', time: this._drainReading(), iteration: this._iteration, ready: ready.size, scheduled: this._timers.liveCount() });
    }
    if (this._timers.size > 0) this._timers.collectDue(this.time(), this._pushDueBound);
    this._todo = this._iterSize = ready.size;
    return true;
  }

  private _pushDue(t: TimerHandle): void {
    this._ready.push(t);
    if (this._sink !== null) this._emit({ type: 'timer-due', time: this._drainEventTime(), id: t._id });
  }

  private _idle(delay: number): void {
    this._state = WAITING;
    if (delay !== Infinity) this._waitCancel = this._platform.setTimer(delay, this._resumeBound);
  }

  /** The self-pipe: something was scheduled while the loop waits; resume on the host's next turn. */
  private _wakeup(): void {
    if (this._waitCancel !== null) {
      this._waitCancel();
      this._waitCancel = null;
    }
    this._state = DEFERRED;
    this._platform.defer(this._resumeBound);
  }

  private _resume(): void {
    if (this._state !== WAITING && this._state !== DEFERRED) return;
    if (this._waitCancel !== null) {
      this._waitCancel();
      this._waitCancel = null;
    }
    this._sliceEnd = this._platform.monotonic() + this._timeSlice;
    this._drain();
  }

  private _finishRun(): void {
    this._state = IDLE;
    this._stopping = false;
    if (_getRunningLoop() === this) _setRunningLoop(null);
    if (this._sink !== null) this._emit({ type: 'loop-state', time: this._eventTime(), state: 'stopped', clock: this.clock });
    const resolve = this._runResolve;
    this._runResolve = null;
    resolve?.();
  }

  // --- barriers: native task steps (see tasks.ts) -------------------------------------------

  /** @internal Ends the running step's barrier and resumes the drain. */
  _releaseBarrier(): void {
    this._barrier = BARRIER_NONE;
    this._currentTask = null;
    if (this._debug && this._barrierHandle !== null) {
      this._checkSlow(this._barrierHandle, this._barrierStart);
      this._barrierHandle = null;
    }
    if (this._state === BARRIER) this._drain();
  }

  /**
   * @internal A native step of `task` begins: the drain waits until the task suspends on a Future
   * or settles. The barrier becomes hard once the microtasks queued before the step have run.
   */
  _openHardBarrier(task: Task<unknown>): void {
    this._openArmingBarrier(task);
    this._platform.queueMicrotask(this._armBound);
  }

  /** @internal The first half of `_openHardBarrier`, for a step that queues the arming later (`_queueArm`). */
  _openArmingBarrier(task: Task<unknown>): void {
    this._currentTask = task;
    this._barrier = BARRIER_ARMING;
  }

  /** @internal Queues the microtask that turns the arming barrier hard (right before the task resumes). */
  _queueArm(): void {
    this._platform.queueMicrotask(this._armBound);
  }

  /** @internal Opens a soft barrier: the drain resumes once the microtasks queued so far have run. */
  _openSoftBarrier(owner: Task<unknown> | null): void {
    this._currentTask = owner;
    this._barrier = BARRIER_SOFT;
    this._platform.queueMicrotask(this._softReleaseBound);
  }

  private _softRelease(): void {
    if (this._barrier === BARRIER_SOFT) this._releaseBarrier();
  }

  // If the host's next turn comes while a task step still holds the barrier, every microtask has
  // run and the task is suspended on something that is not a Future (a foreign promise): the loop
  // lets it go on in the background and continues with the other callbacks.
  private _watchdog(): void {
    this._watchdogArmed = false;
    if (this._state !== BARRIER || this._barrier === BARRIER_NONE) return;
    const task = this._currentTask;
    if (this._barrier !== BARRIER_SOFT && task !== null) task._detach();
    this._sliceEnd = this._platform.monotonic() + this._timeSlice;
    this._releaseBarrier();
  }

  // --- checks -------------------------------------------------------------------------------

  /** @internal */
  _checkClosed(): void {
    if (this._closed) throw new RuntimeError('Event loop is closed');
  }

  private _checkRunnable(): void {
    this._checkClosed();
    if (this.isRunning()) throw new RuntimeError('This event loop is already running');
    if (_getRunningLoop() !== null) throw new RuntimeError('Cannot run the event loop while another loop is running');
  }

  /** @internal */
  [SHORT_REPR](): string {
    return `<${this.constructor.name}>`;
  }

  /** asyncio-style rendering. */
  toString(): string {
    return `<${this.constructor.name} running=${this.isRunning()} closed=${this._closed} debug=${this._debug}>`;
  }
}
