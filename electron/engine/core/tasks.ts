// asyncio's tasks module: Task, which drives a coroutine on the loop, and the helpers built on
// tasks and futures (sleep, gather, wait, waitFor, shield, asCompleted, currentTask, allTasks).
//
// Task state machine (a Task is a Future):
//
//     created --callSoon(step)--> step ... step --coroutine returns--> FINISHED (result)
//                                  |  ^      \---coroutine raises---> FINISHED (exception)
//                     suspends on a Future    \--CancelledError-----> CANCELLED
//                                  |  |
//                   the Future is done (its done callback wakes the task: one more step)
//
// A task step resumes the coroutine once, until it suspends again:
// - generator coroutines: the step is `gen.next(value)` / `gen.throw(exc)`, synchronous.
// - native `async function`s: the step resolves the continuation that V8 handed to the awaited
//   Future's `then`, and the coroutine body runs in microtasks. The loop holds a "hard barrier"
//   (runs no other callback) until the coroutine calls `then` on the next pending Future (it
//   suspended: the barrier is released from inside that `then`) or its promise settles. So native
//   steps interleave with other callbacks exactly as asyncio's do, and `currentTask()` is right.
//   Awaiting a done Future does not suspend (then() delivers at once; the barrier stays).
//   `await sleep(0)` inside a step awaits a native promise instead, which V8 awaits far more
//   cheaply; its class's `constructor` getter plays then()'s part (sleep-promise.ts).
// - A native task that awaits a foreign promise (not a Future/Task) cannot be seen suspending.
//   When the host's next turn comes with the barrier still held, every microtask has run, so the
//   loop knows: it marks the task as awaiting `<promise>` (detached) and goes on with the other
//   callbacks. The task keeps running in the background and its completion is still reported,
//   but after such an await its code runs outside the loop's FIFO order and currentTask() does
//   not know it. Wrap foreign promises with `wrapFuture(promise)` to stay in order.
import type { BaseEventLoop } from './base-events';
import { BARRIER_ARMING, BARRIER_HARD, BARRIER_NONE } from './barriers';
import { coroName, isCoroutine, isGenerator, isThenable, type CoroutineLike, type GeneratorCoroutine } from './coroutines';
import { Handle, _getRunningLoop, getEventLoop, type Callback, type TimerHandle } from './events';
import { CancelledError, InvalidStateError, RuntimeError, TimeoutError } from './exceptions';
import { SHORT_REPR, errorRepr, shortRepr } from './format';
import { SleepPromise, newSleepPromise, rejectThrough } from './sleep-promise';
import { CANCELLED, Continuation, Future, PENDING, isFuture, setResultUnlessCancelled, wrapFuture, type DoneCallback } from './futures';

export type { CoroutineLike } from './coroutines';

/** Options of `createTask`. */
export interface TaskOptions {
  /** The task's name (default `Task-<n>`). */
  name?: string;
}

const KIND_FN = 0; // a function, called in the first step
const KIND_GEN = 1; // a generator coroutine
const KIND_NATIVE = 2; // a native coroutine's promise, being driven
const KIND_PROMISE = 3; // a promise to wrap, not attached yet

/** @internal Marks "no exception" for a step (JavaScript can throw undefined). */
export const NO_EXC: unique symbol = Symbol('no exception');

// asyncio numbers task names with one process-wide counter.
let taskNameCounter = 0;

/** The loop that module-level helpers use: the running one, else the current one. */
function helperLoop(): BaseEventLoop {
  return _getRunningLoop() ?? getEventLoop();
}

/** The step callback of every task: resumes the task once (asyncio's Task.__step). */
function taskStep(task: Task<unknown>): void {
  if (task._state !== PENDING) return;
  const exc = task._sendExc;
  const value = task._sendValue;
  task._sendExc = NO_EXC;
  task._sendValue = undefined;
  task._step(exc, value);
}
Object.defineProperty(taskStep, 'name', { value: 'Task.step' });

/** A native coroutine's promise fulfilled: the task finishes with its value. */
function nativeFulfilled(this: Task<unknown>, value: unknown): void {
  this._nativeDone(NO_EXC, value);
}

/** A native coroutine's promise rejected: the task finishes with its error. */
function nativeRejected(this: Task<unknown>, error: unknown): void {
  this._nativeDone(error, undefined);
}

function* awaitOne<T>(fut: Future<T> | Sleep0<T> | SleepPromise<T>): Generator<unknown, T, unknown> {
  return (yield fut) as T;
}

/**
 * A coroutine scheduled on the loop (asyncio.Task). Created by `createTask` / `loop.createTask`,
 * which accept a generator object, a function returning a promise or generator (called in the
 * first step), a Future, or a promise (already started; wrapped). The first step is queued with
 * callSoon; cancellation arrives as CancelledError at the coroutine's await/yield point.
 */
export class Task<T = unknown> extends Future<T> {
  /** @internal */ _coro: unknown;
  /** @internal */ _kind: number;
  /** @internal */ _fn: (() => unknown) | null = null;
  /** @internal */ _gen: GeneratorCoroutine | null = null;
  /** @internal Native coroutines: where the next step delivers the awaited outcome. */ _cont: Continuation<unknown> | null = null;
  /** @internal Native coroutines suspended on a sleep(0) promise: its resolve function (instead of `_cont`). */ _resolveNext: ((value: unknown) => void) | null = null;
  /** @internal */ _sendValue: unknown = undefined;
  /** @internal */ _sendExc: unknown = NO_EXC;
  /** @internal The Future the task waits for (asyncio's _fut_waiter). */ _futWaiter: Future<unknown> | null = null;
  /** @internal What the task waits for when it is not a Future. */ _awaitLabel: string | null = null;
  /** @internal */ _mustCancel = false;
  /** @internal */ _numCancelsRequested = 0;
  /** @internal */ _name: string | null;
  /** @internal */ _nameNum: number;
  /** @internal */ _wakeupFn: DoneCallback<unknown> | null = null;
  /** @internal Reused for every step: a task has at most one step scheduled at a time. */ _stepHandle: Handle | null = null;
  /** @internal The links of the loop's list of live tasks (task-list.ts). */ _prevLive: Task<unknown> | null = null;
  /** @internal */ _nextLive: Task<unknown> | null = null;

  constructor(coro: CoroutineLike<T> | Future<T>, loop?: BaseEventLoop, options?: TaskOptions) {
    super(loop);
    const l = this._loop;
    l._checkClosed();
    this._coro = coro;
    // A function first: the common case, and the cheapest test (a generator object is no function).
    if (typeof coro === 'function') {
      this._kind = KIND_FN;
      this._fn = coro as () => unknown;
    } else if (isGenerator(coro)) {
      this._kind = KIND_GEN;
      this._gen = coro;
    } else if (coro instanceof Future) {
      this._kind = KIND_GEN;
      this._gen = awaitOne(coro);
    } else if (coro instanceof Sleep0 || coro instanceof SleepPromise) {
      this._kind = KIND_GEN;
      this._gen = awaitOne(coro);
    } else if (isThenable(coro)) {
      this._kind = KIND_PROMISE;
    } else {
      throw new TypeError(`a coroutine was expected, got ${shortRepr(coro)}`);
    }
    this._name = options?.name ?? null;
    this._nameNum = ++taskNameCounter;
    l._tasks.add(this as Task<unknown>);
    if (l._sink !== null) l._emit({ type: 'task-created', time: l._eventTime(), id: this._id, name: this.getName(), coro: coroName(coro) });
    this._scheduleStep();
  }

  /** The task's name. */
  getName(): string {
    return this._name ?? `Task-${this._nameNum}`;
  }

  /** Renames the task. */
  setName(name: unknown): void {
    this._name = String(name);
  }

  /** The coroutine (generator object, function or promise) the task runs. */
  getCoro(): unknown {
    return this._coro;
  }

  /** Tasks are completed by their coroutine only. */
  override setResult(_result: T): void {
    throw new RuntimeError('Task does not support set_result operation');
  }

  /** Tasks are completed by their coroutine only. */
  override setException(_exception: unknown): void {
    throw new RuntimeError('Task does not support set_exception operation');
  }

  /**
   * Requests cancellation (asyncio's Task.cancel): the awaited Future is cancelled, or the next
   * step throws CancelledError into the coroutine. False if the task is already done.
   */
  override cancel(msg?: string): boolean {
    this._retrieved();
    if (this.done()) return false;
    this._numCancelsRequested++;
    // Leave _futWaiter: it may be a Task that catches the cancellation and must be cancelled again later.
    if (this._futWaiter !== null && this._futWaiter.cancel(msg)) return true;
    // The step is already scheduled: it will throw CancelledError into the coroutine.
    this._mustCancel = true;
    this._cancelMessage = msg;
    return true;
  }

  /** Number of pending cancellation requests (asyncio's Task.cancelling). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** Decrements the pending cancellation requests and returns the rest (asyncio's Task.uncancel). */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested--;
      if (this._numCancelsRequested === 0) this._mustCancel = false;
    }
    return this._numCancelsRequested;
  }

  // --- stepping -----------------------------------------------------------------------------

  /** @internal Queues the next step (asyncio: call_soon(self.__step)), reusing the step handle. */
  _scheduleStep(): void {
    const loop = this._loop;
    let h = this._stepHandle;
    if (h === null) {
      h = this._stepHandle = new Handle(taskStep as Callback, [this], loop, loop._nextId++);
    } else {
      // A fresh id per scheduling keeps ids unique in the event stream.
      h._id = loop._nextId++;
    }
    loop._pushHandle(h);
  }

  /** @internal One step (asyncio's __step): resume the coroutine with a value or an exception. */
  _step(exc: unknown, value: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`_step(): already done: ${this}`);
    if (this._mustCancel) {
      if (!(exc instanceof CancelledError)) exc = this._makeCancelledError();
      this._mustCancel = false;
    }
    this._futWaiter = null;
    this._awaitLabel = null;
    const loop = this._loop;
    // The task is current from its task-step event on, so that a snapshot taken at that event shows
    // it running (replay relies on it); the paths below that do not resume the coroutine reset it.
    loop._currentTask = this as Task<unknown>;
    if (loop._sink !== null) loop._emit({ type: 'task-step', time: loop._eventTime(), id: this._id, throws: exc === NO_EXC ? undefined : errorRepr(exc) });
    switch (this._kind) {
      case KIND_GEN:
        this._stepGen(exc, value);
        break;
      case KIND_NATIVE:
        this._stepNative(exc, value);
        break;
      case KIND_FN:
        this._firstStep(exc);
        break;
      default:
        this._attach(exc);
    }
  }

  private _firstStep(exc: unknown): void {
    const fn = this._fn as () => unknown;
    this._fn = null;
    // Throwing into a coroutine that never started ends it without running any of its code.
    if (exc !== NO_EXC) {
      this._loop._currentTask = null;
      return this._completeError(exc);
    }
    const loop = this._loop;
    // Opened before the body runs, so that the barrier's marker precedes the body's microtasks.
    loop._openHardBarrier(this as Task<unknown>);
    let r: unknown;
    try {
      r = fn();
    } catch (e) {
      this._closeBarrier();
      return this._completeError(e);
    }
    if (isThenable(r) && !(r instanceof Future) && !(r instanceof Sleep0) && !(r instanceof SleepPromise)) {
      this._kind = KIND_NATIVE;
      this._watch(r);
      return;
    }
    this._closeBarrier();
    if (isGenerator(r)) {
      this._kind = KIND_GEN;
      this._gen = r;
      return this._stepGen(NO_EXC, undefined);
    }
    if (r instanceof Future || r instanceof Sleep0 || r instanceof SleepPromise) {
      // The function returned an awaitable: the task waits for it.
      this._kind = KIND_GEN;
      this._gen = awaitOne(r);
      return this._stepGen(NO_EXC, undefined);
    }
    this._completeResult(r as T);
  }

  /** The step turned out synchronous after all: no barrier. */
  private _closeBarrier(): void {
    const loop = this._loop;
    loop._barrier = BARRIER_NONE;
    loop._currentTask = null;
  }

  private _attach(exc: unknown): void {
    this._kind = KIND_NATIVE;
    const p = this._coro as PromiseLike<unknown>;
    if (exc !== NO_EXC) {
      // A started promise cannot be stopped: the task ends, the promise runs on unobserved.
      this._loop._currentTask = null;
      p.then(undefined, () => undefined);
      return this._completeError(exc);
    }
    this._loop._openHardBarrier(this as Task<unknown>);
    this._watch(p);
  }

  private _watch(p: PromiseLike<unknown>): void {
    // Bound functions: smaller than two closures and their shared context, and this pair lives as
    // long as the task (100,000 live tasks make that count in the garbage collector's copying).
    p.then(nativeFulfilled.bind(this as Task<unknown>), nativeRejected.bind(this as Task<unknown>));
  }

  /** @internal The native coroutine's promise settled. */
  _nativeDone(exc: unknown, value: unknown): void {
    const loop = this._loop;
    const owned = (loop._barrier === BARRIER_HARD || loop._barrier === BARRIER_ARMING) && loop._currentTask === this;
    if (this._cont !== null || this._resolveNext !== null) this._handBackContinuation();
    if (this._state === PENDING) {
      if (exc === NO_EXC) this._completeResult(value as T);
      else this._completeError(exc);
    }
    if (owned) loop._releaseBarrier();
  }

  /**
   * The task settled while a continuation was registered as its suspension: that then() call came
   * from other code that ran during the task's step. Give it back to its future as a plain awaiter.
   */
  private _handBackContinuation(): void {
    const cont = this._cont;
    const resolve = this._resolveNext;
    this._cont = null;
    this._resolveNext = null;
    const fut = this._futWaiter;
    if (cont !== null && fut !== null && this._wakeupFn !== null) {
      fut.removeDoneCallback(this._wakeupFn);
      fut._addAwaiter(cont, null);
    } else if (this._awaitLabel === 'sleep(0)') {
      // The step handle still queued finds the task done and does nothing.
      const value = this._sendValue;
      if (cont !== null) this._loop.callSoon(() => cont.fulfill(value));
      else if (resolve !== null) this._loop.callSoon(resolve, undefined);
    }
    this._futWaiter = null;
  }

  private _stepNative(exc: unknown, value: unknown): void {
    const cont = this._cont;
    if (cont !== null) {
      this._cont = null;
      this._loop._openHardBarrier(this as Task<unknown>);
      if (exc !== NO_EXC) cont.reject(exc);
      else cont.fulfill(value);
      return;
    }
    const resolve = this._resolveNext;
    if (resolve !== null) {
      this._resolveNext = null;
      const loop = this._loop;
      if (exc === NO_EXC) {
        loop._openHardBarrier(this as Task<unknown>);
        resolve(undefined);
      } else {
        loop._openArmingBarrier(this as Task<unknown>);
        rejectThrough(loop, resolve, exc);
      }
      return;
    }
    // Detached: the coroutine goes on by itself.
    this._loop._currentTask = null;
  }

  private _stepGen(exc: unknown, value: unknown): void {
    const loop = this._loop;
    const gen = this._gen as GeneratorCoroutine;
    loop._currentTask = this as Task<unknown>;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = exc === NO_EXC ? gen.next(value) : gen.throw(exc);
    } catch (e) {
      loop._currentTask = null;
      return this._completeError(e);
    }
    loop._currentTask = null;
    if (r.done === true) return this._completeResult(r.value as T);
    this._onYield(r.value);
  }

  /** What a generator coroutine yielded decides what the task waits for (asyncio's __step tail). */
  private _onYield(y: unknown): void {
    const loop = this._loop;
    if (y instanceof Future) {
      if (y._loop !== loop) this._stepSoonWithError(new RuntimeError(`Task ${this} got Future ${y} attached to a different loop`));
      else if (y === this) this._stepSoonWithError(new RuntimeError(`Task cannot await on itself: ${this}`));
      else this._waitOn(y);
    } else if (y === undefined) {
      // A bare yield: give the other callbacks one iteration (asyncio's sleep(0)).
      this._awaitLabel = 'sleep(0)';
      this._scheduleStep();
      if (loop._sink !== null) loop._emit({ type: 'task-awaiting', time: loop._eventTime(), id: this._id, awaiting: 'sleep(0)' });
    } else if (y instanceof Sleep0 || y instanceof SleepPromise) {
      this._awaitLabel = 'sleep(0)';
      this._sendValue = y instanceof Sleep0 ? y._result : undefined;
      this._scheduleStep();
      if (loop._sink !== null) loop._emit({ type: 'task-awaiting', time: loop._eventTime(), id: this._id, awaiting: 'sleep(0)' });
    } else if (isThenable(y)) {
      this._waitOn(wrapFuture(y, loop));
    } else if (isGenerator(y)) {
      this._stepSoonWithError(new RuntimeError(`yield was used instead of yield* for generator in task ${this} with ${shortRepr(y)}`));
    } else {
      this._stepSoonWithError(new RuntimeError(`Task got bad yield: ${shortRepr(y)}`));
    }
  }

  private _stepSoonWithError(exc: Error): void {
    this._sendExc = exc;
    this._scheduleStep();
  }

  /** @internal A native step awaits `fut` (called from Future.then under the hard barrier). */
  _suspendOn(fut: Future<unknown>, cont: Continuation<unknown>): void {
    // The step is over (the barrier is released right after): not current when it says what it awaits.
    this._loop._currentTask = null;
    this._cont = cont;
    if (fut === this) this._stepSoonWithError(new RuntimeError(`Task cannot await on itself: ${this}`));
    else if (fut._loop !== this._loop) this._stepSoonWithError(new RuntimeError(`Task ${this} got Future ${fut} attached to a different loop`));
    else this._waitOn(fut);
  }

  /** @internal A native step awaits sleep(0): step again on the next iteration. */
  _suspendSoon(cont: Continuation<unknown> | null, value: unknown): void {
    this._loop._currentTask = null;
    this._cont = cont;
    this._sendValue = value;
    this._awaitLabel = 'sleep(0)';
    const loop = this._loop;
    this._scheduleStep();
    if (loop._sink !== null) loop._emit({ type: 'task-awaiting', time: loop._eventTime(), id: this._id, awaiting: 'sleep(0)' });
  }

  /**
   * @internal Whether the code running now is this (current) task's own native step: the body
   * after the hard barrier, or the synchronous start of its first step (under the arming barrier,
   * but no microtask can run during that call).
   */
  _runsNativeStep(): boolean {
    const barrier = this._loop._barrier;
    return barrier === BARRIER_HARD || (barrier === BARRIER_ARMING && this._kind === KIND_FN);
  }

  /** @internal A native step awaits a sleep(0) promise (sleep-promise.ts): the next step settles it. */
  _suspendOnSleep(resolve: (value: unknown) => void): void {
    this._resolveNext = resolve;
    this._suspendSoon(null, undefined);
  }

  private _waitOn(fut: Future<unknown>): void {
    this._futWaiter = fut;
    fut._addCallback(this._wakeupFn ?? this._makeWakeup());
    const loop = this._loop;
    if (loop._sink !== null) loop._emit({ type: 'task-awaiting', time: loop._eventTime(), id: this._id, awaiting: shortRepr(fut), awaitingId: fut._id });
    if (this._mustCancel && fut.cancel(this._cancelMessage)) this._mustCancel = false;
  }

  private _makeWakeup(): DoneCallback<unknown> {
    const task = this as Task<unknown>;
    // asyncio's Task.__wakeup: the awaited future is done, take one step with its outcome.
    const wakeup = function taskWakeup(fut: Future<unknown>): void {
      if (task._state !== PENDING) return;
      if (fut._state === CANCELLED) task._step(fut._makeCancelledError(), undefined);
      else if (fut._hasException) {
        fut._retrieved();
        task._step(fut._exception, undefined);
      } else task._step(NO_EXC, fut._result);
    };
    // The debugger's gate tells which task a wakeup belongs to.
    (wakeup as { _task?: Task<unknown> })._task = task;
    this._wakeupFn = wakeup;
    return wakeup;
  }

  /** @internal The loop's watchdog saw this task stay suspended on a foreign promise. */
  _detach(): void {
    this._awaitLabel = '<promise>';
    const loop = this._loop;
    if (loop._currentTask === this) loop._currentTask = null;
    if (loop._sink !== null) loop._emit({ type: 'task-awaiting', time: loop._eventTime(), id: this._id, awaiting: '<promise>' });
  }

  private _completeResult(value: T): void {
    if (this._mustCancel) {
      this._mustCancel = false;
      this._cancel(this._cancelMessage);
    } else this._setResult(value);
  }

  private _completeError(exc: unknown): void {
    if (exc instanceof CancelledError) {
      this._cancelledExc = exc;
      this._cancel();
    } else this._setException(exc);
  }

  /** @internal */
  override _finish(): void {
    this._loop._tasks.delete(this as Task<unknown>);
    super._finish();
  }

  /** @internal */
  override _emitDone(): void {
    const loop = this._loop;
    loop._emit({
      type: 'task-done',
      time: loop._eventTime(),
      id: this._id,
      state: this._state === CANCELLED ? 'cancelled' : 'finished',
      detail: this._detail(),
      failed: this._hasException || undefined,
    });
  }

  /** @internal What the task waits for, as snapshots show it. */
  _awaitingRepr(): string | null {
    return this._futWaiter !== null ? shortRepr(this._futWaiter) : this._awaitLabel;
  }

  /** @internal */
  override _kindName(): string {
    return 'Task';
  }

  /** @internal */
  override [SHORT_REPR](): string {
    return this.getName();
  }

  /** asyncio-style rendering: `<Task pending name='Task-1' coro=main()>`. */
  override toString(): string {
    const base = super.toString().slice(1, -1).replace(/^Task /, '');
    return `<Task ${base} name='${this.getName()}' coro=${coroName(this._coro)}>`;
  }
}
Object.defineProperty(Task.prototype, '_isTask', { value: true, writable: false });

/** The result type of an awaitable: what `await` or `yield*` gives back. */
export type AwaitedResult<X> =
  X extends PromiseLike<infer R> ? R : X extends Generator<unknown, infer R, never> ? R : X extends () => infer F ? AwaitedResult<F> : unknown;

// --- sleep ----------------------------------------------------------------------------------

/**
 * What `sleep(0)` returns: awaiting it gives the other callbacks exactly one iteration (asyncio's
 * bare yield in __sleep0). Works with `await`, `yield` and `yield*`.
 */
export class Sleep0<T = undefined> implements PromiseLike<T> {
  /** @internal */
  constructor(
    readonly _loop: BaseEventLoop,
    readonly _result: T,
  ) {}

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    const loop = this._loop;
    const cont = new Continuation<R1 | R2>(loop, onfulfilled, onrejected);
    const task = loop._currentTask;
    if (loop._barrier === BARRIER_HARD && task !== null) {
      task._suspendSoon(cont as Continuation<unknown>, this._result);
      loop._releaseBarrier();
      return cont;
    }
    // Outside a task step: resume on the next iteration, like a Future resolved with callSoon.
    const result = this._result;
    loop._callSoonInternal(function sleep0Awaiter(): void {
      loop._currentTask = task;
      cont.fulfill(result);
      loop._openSoftBarrier(task);
    }, undefined);
    return cont;
  }

  /** Generator coroutines: `yield* sleep(0)`. */
  *[Symbol.iterator](): Generator<undefined, T, unknown> {
    yield undefined;
    return this._result;
  }

  /** @internal */
  [SHORT_REPR](): string {
    return 'sleep(0)';
  }
}

/** What `sleep(delay)` returns for delay > 0: a Future resolved by a timer, which cancelling stops. */
export class SleepFuture<T = undefined> extends Future<T> {
  /** @internal */ _handle: TimerHandle | null = null;
  /** @internal */ _delay = 0;

  /** @internal */
  override _cancel(msg?: string): boolean {
    const cancelled = super._cancel(msg);
    if (cancelled && this._handle !== null) this._handle.cancel();
    return cancelled;
  }

  /** @internal */
  override _kindName(): string {
    return 'sleep';
  }

  /** @internal */
  override [SHORT_REPR](): string {
    return `sleep(${this._delay})`;
  }
}

let sleep0Loop: BaseEventLoop | null = null;
let sleep0Cached: Sleep0<undefined> | null = null;

/**
 * Waits `delay` seconds of loop time and resolves with `result` (asyncio.sleep). `sleep(0)` yields
 * exactly one iteration. Unlike asyncio's coroutine, the timer starts when sleep() is called.
 */
export function sleep<T = undefined>(delay: number, result?: T): Sleep0<T> | SleepPromise<T> | SleepFuture<T> {
  const loop = helperLoop();
  if (!(delay > 0)) {
    if (result === undefined) {
      // Inside a native task step: a native promise, which V8 awaits for much less (sleep-promise.ts).
      const task = loop._currentTask;
      if (task !== null && task._runsNativeStep()) return newSleepPromise(loop) as SleepPromise<T>;
      // Sleep0 holds no state of its own: one per loop serves every `await sleep(0)`.
      if (sleep0Loop !== loop) {
        sleep0Loop = loop;
        sleep0Cached = new Sleep0(loop, undefined);
      }
      return sleep0Cached as unknown as Sleep0<T>;
    }
    return new Sleep0(loop, result);
  }
  const fut = new SleepFuture<T>(loop);
  fut._delay = delay;
  fut._handle = loop.callLater(delay, setResultUnlessCancelled, fut, result as T);
  return fut;
}

// --- task registry --------------------------------------------------------------------------

/** The task whose step is running on `loop` (default: the running loop, else the current one), or null. */
export function currentTask(loop?: BaseEventLoop): Task<unknown> | null {
  return (loop ?? helperLoop())._currentTask;
}

/** The tasks of `loop` that are not done yet (asyncio.all_tasks). */
export function allTasks(loop?: BaseEventLoop): Set<Task<unknown>> {
  return new Set((loop ?? helperLoop())._tasks);
}

/** Schedules a coroutine as a Task on the running (else current) loop (asyncio.create_task). */
export function createTask<T>(coro: CoroutineLike<T>, options?: TaskOptions): Task<T> {
  return helperLoop().createTask(coro, options);
}

/** A Future as is, anything else wrapped in a Task (asyncio.ensure_future). */
export function ensureFuture<T>(aw: CoroutineLike<T> | Future<T>, loop?: BaseEventLoop): Future<T> {
  if (aw instanceof Future) {
    if (loop !== undefined && aw._loop !== loop) throw new RuntimeError('The future belongs to a different loop than the one specified as the loop argument');
    return aw;
  }
  if (!isCoroutine(aw)) throw new TypeError(`An asyncio.Future, a coroutine or an awaitable is required, got ${shortRepr(aw)}`);
  return (loop ?? helperLoop()).createTask(aw);
}

// --- gather ---------------------------------------------------------------------------------

/** Options of `gather`, passed as its last argument. */
export interface GatherOptions {
  /** Put exceptions (and CancelledErrors) in the results instead of raising the first one. */
  returnExceptions?: boolean;
}

function isGatherOptions(x: unknown): x is GatherOptions {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype && !isThenable(x);
}

/** The Future `gather` returns: cancelling it cancels every child (asyncio's _GatheringFuture). */
export class GatheringFuture<T> extends Future<T> {
  /** @internal */ _children: Future<unknown>[] = [];
  /** @internal */ _cancelRequested = false;

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) if (child.cancel(msg)) ret = true;
    // If any child was actually cancelled, propagate the cancellation request whatever returnExceptions says.
    if (ret) this._cancelRequested = true;
    return ret;
  }

  /** @internal */
  override _kindName(): string {
    return 'gather';
  }
}

/**
 * Runs awaitables concurrently and resolves with their results in argument order
 * (asyncio.gather). The first exception is raised unless the last argument is
 * `{ returnExceptions: true }`, which puts exceptions in the results instead.
 */
export function gather<A extends readonly unknown[]>(...aws: A): GatheringFuture<{ -readonly [K in keyof A]: AwaitedResult<A[K]> }>;
export function gather(...args: unknown[]): GatheringFuture<unknown[]> {
  let returnExceptions = false;
  if (args.length > 0 && isGatherOptions(args[args.length - 1])) {
    returnExceptions = (args.pop() as GatherOptions).returnExceptions === true;
  }
  if (args.length === 0) {
    const outer = new GatheringFuture<unknown[]>(helperLoop());
    outer.setResult([]);
    return outer;
  }
  let argToFut: Map<unknown, Future<unknown>> | null = null;
  const children: Future<unknown>[] = [];
  let loop: BaseEventLoop | undefined;
  let nfuts = 0;
  let nfinished = 0;
  let outer: GatheringFuture<unknown[]> | null = null;

  const doneCallback = function gatherDone(fut: Future<unknown>): void {
    nfinished++;
    if (outer === null || outer.done()) {
      // Mark the exception retrieved: the outer future already has its outcome.
      if (!fut.cancelled()) fut.exception();
      return;
    }
    if (!returnExceptions) {
      if (fut.cancelled()) {
        outer.setException(fut._makeCancelledError());
        return;
      }
      const exc = fut.exception();
      if (exc !== undefined) {
        outer.setException(exc);
        return;
      }
    }
    if (nfinished === nfuts) {
      const results: unknown[] = [];
      for (const child of children) {
        if (child.cancelled()) results.push(new CancelledError(child._cancelMessage ?? ''));
        else {
          const exc = child.exception();
          results.push(exc !== undefined ? exc : child.result());
        }
      }
      if (outer._cancelRequested) outer.setException(fut._makeCancelledError());
      else outer.setResult(results);
    }
  };

  for (const arg of args) {
    // A pending Future was seen already exactly when it holds this gather's done callback: no map
    // needed for the common case (gathering tasks), which can mean 100,000 entries.
    if (arg instanceof Future && arg._state === PENDING) {
      const fut = ensureFuture(arg as Future<unknown>, loop);
      if (!fut._hasCallback(doneCallback)) {
        loop ??= fut._loop;
        nfuts++;
        fut._addCallback(doneCallback);
      }
      children.push(fut);
      continue;
    }
    argToFut ??= new Map<unknown, Future<unknown>>();
    let fut = argToFut.get(arg);
    if (fut === undefined) {
      fut = ensureFuture(arg as CoroutineLike<unknown>, loop);
      loop ??= fut._loop;
      nfuts++;
      argToFut.set(arg, fut);
      fut._addCallback(doneCallback);
    }
    children.push(fut);
  }
  outer = new GatheringFuture<unknown[]>(loop);
  outer._children = children;
  return outer;
}

// --- wait -----------------------------------------------------------------------------------

/** `wait` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait` returns when any future finishes by raising (or when all are done). */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait` returns when all futures are done. */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** Options of `wait`. */
export interface WaitOptions {
  /** Seconds to wait at most (null or undefined: no limit); on timeout nothing is cancelled. */
  timeout?: number | null;
  /** FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED (the default). */
  returnWhen?: typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;
}

function releaseWaiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

/** Waits for futures and returns `[done, pending]` sets (asyncio.wait); raises nothing on timeout. */
export async function wait<T>(fs: Iterable<Future<T> | CoroutineLike<T>>, options: WaitOptions = {}): Promise<[Set<Future<T>>, Set<Future<T>>]> {
  if (fs instanceof Future || isGenerator(fs) || isThenable(fs)) throw new TypeError(`expect a list of futures, not ${shortRepr(fs)}`);
  const returnWhen = options.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(`Invalid return_when value: ${String(returnWhen)}`);
  }
  const loop = helperLoop();
  const set = new Set<Future<T>>();
  for (const f of fs) set.add(ensureFuture(f, loop));
  if (set.size === 0) throw new RangeError('Set of Tasks/Futures is empty.');
  const timeout = options.timeout ?? null;
  const waiter = loop.createFuture<undefined>();
  const timeoutHandle = timeout !== null ? loop.callLater(timeout, releaseWaiter, waiter) : null;
  let counter = set.size;
  const onCompletion = function waitOnCompletion(f: Future<T>): void {
    counter--;
    if (counter <= 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== undefined)) {
      timeoutHandle?.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  };
  for (const f of set) f.addDoneCallback(onCompletion);
  try {
    await waiter;
  } finally {
    timeoutHandle?.cancel();
    for (const f of set) f.removeDoneCallback(onCompletion);
  }
  const done = new Set<Future<T>>();
  const pending = new Set<Future<T>>();
  for (const f of set) (f.done() ? done : pending).add(f);
  return [done, pending];
}

async function cancelAndWait(fut: Future<unknown>, loop: BaseEventLoop): Promise<void> {
  const waiter = loop.createFuture<undefined>();
  const cb = (): void => releaseWaiter(waiter);
  fut.addDoneCallback(cb);
  try {
    fut.cancel();
    await waiter;
  } finally {
    fut.removeDoneCallback(cb);
  }
}

/**
 * Waits for `aw` at most `timeout` seconds (asyncio.wait_for, as in Python 3.11): on timeout the
 * inner awaitable is cancelled, waited for, and TimeoutError is raised. null means no limit.
 */
export async function waitFor<T>(aw: CoroutineLike<T> | Future<T>, timeout: number | null | undefined): Promise<T> {
  const loop = helperLoop();
  if (timeout === null || timeout === undefined) return await ensureFuture(aw, loop);
  if (timeout <= 0) {
    const fut = ensureFuture(aw, loop);
    if (fut.done()) return fut.result();
    await cancelAndWait(fut, loop);
    try {
      return fut.result();
    } catch (exc) {
      if (exc instanceof CancelledError) throw new TimeoutError('', { cause: exc });
      throw exc;
    }
  }
  const waiter = loop.createFuture<undefined>();
  const timeoutHandle = loop.callLater(timeout, releaseWaiter, waiter);
  const cb = (): void => releaseWaiter(waiter);
  const fut = ensureFuture(aw, loop);
  fut.addDoneCallback(cb);
  try {
    try {
      await waiter;
    } catch (exc) {
      if (exc instanceof CancelledError) {
        if (fut.done()) return fut.result();
        fut.removeDoneCallback(cb);
        // The inner task must not be running any more when waitFor returns.
        await cancelAndWait(fut, loop);
      }
      throw exc;
    }
    if (fut.done()) return fut.result();
    fut.removeDoneCallback(cb);
    await cancelAndWait(fut, loop);
    try {
      return fut.result();
    } catch (exc) {
      // In case the cancellation failed with TimeoutError, that propagates as is.
      if (exc instanceof CancelledError) throw new TimeoutError('', { cause: exc });
      throw exc;
    }
  } finally {
    timeoutHandle.cancel();
  }
}

// --- shield ---------------------------------------------------------------------------------

/**
 * Protects an awaitable from cancellation (asyncio.shield): cancelling the returned Future does
 * not cancel the inner one.
 */
export function shield<T>(aw: CoroutineLike<T> | Future<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = inner._loop.createFuture<T>();
  const innerDone = function shieldInnerDone(f: Future<T>): void {
    if (outer.cancelled()) {
      if (!f.cancelled()) f.exception(); // mark retrieved
      return;
    }
    if (f.cancelled()) outer.cancel();
    else {
      const exc = f.exception();
      if (exc !== undefined) outer.setException(exc);
      else outer.setResult(f.result());
    }
  };
  const outerDone = function shieldOuterDone(): void {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  };
  inner.addDoneCallback(innerDone);
  outer.addDoneCallback(outerDone);
  return outer;
}

// --- asCompleted ----------------------------------------------------------------------------

/** Options of `asCompleted`. */
export interface AsCompletedOptions {
  /** Seconds after which the remaining results raise TimeoutError. */
  timeout?: number | null;
}

/**
 * Results in completion order (asyncio.as_completed): iterate to get one awaitable per input, the
 * k-th of which resolves with the k-th result to complete; or `for await` the results directly.
 */
export function asCompleted<T>(fs: Iterable<Future<T> | CoroutineLike<T>>, options: AsCompletedOptions = {}): Future<T>[] & AsyncIterable<T> {
  if (fs instanceof Future || isGenerator(fs) || isThenable(fs)) throw new TypeError(`expect an iterable of futures, not ${shortRepr(fs)}`);
  const loop = helperLoop();
  const todo = new Set<Future<T>>();
  for (const f of new Set(fs)) todo.add(ensureFuture(f, loop));
  const slots: Future<T>[] = [];
  for (let i = 0; i < todo.size; i++) slots.push(loop.createFuture<T>());
  let next = 0;
  let timeoutHandle: TimerHandle | null = null;
  const onCompletion = function asCompletedDone(f: Future<T>): void {
    if (!todo.delete(f)) return;
    const slot = slots[next++];
    if (f.cancelled()) slot.cancel(f._cancelMessage);
    else {
      const exc = f.exception();
      if (exc !== undefined) slot.setException(exc);
      else slot.setResult(f.result());
    }
    if (todo.size === 0) timeoutHandle?.cancel();
  };
  const onTimeout = function asCompletedTimeout(): void {
    for (const f of todo) f.removeDoneCallback(onCompletion);
    todo.clear();
    for (; next < slots.length; next++) {
      slots[next].setException(new TimeoutError());
      // Only the first of these is likely awaited; the rest are not worth a never-retrieved report.
      if (next > 0) slots[next]._retrieved();
    }
  };
  for (const f of todo) f.addDoneCallback(onCompletion);
  const timeout = options.timeout ?? null;
  if (todo.size > 0 && timeout !== null) timeoutHandle = loop.callLater(timeout, onTimeout);
  const result = slots as Future<T>[] & AsyncIterable<T>;
  result[Symbol.asyncIterator] = async function* (): AsyncGenerator<T> {
    for (const slot of slots) yield await slot;
  };
  return result;
}

export { isFuture };
