// asyncio's futures module: Future, the loop-bound promise of a result.
//
// State machine (as asyncio's):
//
//     PENDING --setResult()/setException()--> FINISHED
//     PENDING --cancel()--------------------> CANCELLED
//
// Done callbacks always run through the loop's callSoon, in registration order, with the future
// as their argument. `result()` and `exception()` raise InvalidStateError while pending and
// CancelledError once cancelled. A Future is awaitable from native async functions (it has
// `then`) and from generator coroutines (`yield fut` or `yield* fut`).
import type { BaseEventLoop } from './base-events';
import { BARRIER_HARD } from './barriers';
import { getEventLoop, type Callback } from './events';
import { CancelledError, InvalidStateError, RuntimeError } from './exceptions';
import { SHORT_REPR, shortRepr } from './format';
import type { Task } from './tasks';

/** @internal */ export const PENDING = 0;
/** @internal */ export const CANCELLED = 1;
/** @internal */ export const FINISHED = 2;

const STATE_NAMES = ['PENDING', 'CANCELLED', 'FINISHED'] as const;

/** A callback registered with `addDoneCallback`: called with the future once it is done. */
export type DoneCallback<T> = (future: Future<T>) => unknown;

// Exceptions that nobody retrieved are reported when the future is garbage-collected, as asyncio
// does from Future.__del__ (debug mode reports them deterministically at loop.close() instead).
const unretrievedRegistry = new FinalizationRegistry<{ loop: BaseEventLoop; message: string; exception: unknown }>((held) => {
  if (held.loop.isClosed() && !held.loop.getDebug()) return;
  held.loop.callExceptionHandler({ message: held.message, exception: held.exception });
});

/**
 * The outcome of a `then()` call on a Future: it delivers the result to the callbacks that
 * `then` got and becomes a real Promise only if someone chains on it. When V8 awaits a Future,
 * the callbacks are V8's own resolvers and nobody chains, so awaiting allocates no extra promise.
 */
export class Continuation<R> implements PromiseLike<R> {
  private state = 0; // 0 pending, 1 fulfilled, 2 rejected
  private value: unknown = undefined;
  private promise: Promise<R> | null = null;
  private resolveP: ((v: unknown) => void) | null = null;
  private rejectP: ((e: unknown) => void) | null = null;

  /** @internal */
  constructor(
    private readonly loop: BaseEventLoop,
    private readonly onFulfilled: ((value: never) => unknown) | null | undefined,
    private readonly onRejected: ((reason: unknown) => unknown) | null | undefined,
  ) {}

  /** @internal Delivers a result. */
  fulfill(value: unknown): void {
    const f = this.onFulfilled;
    if (typeof f !== 'function') return this.settle(1, value);
    try {
      this.settle(1, f(value as never));
    } catch (e) {
      this.settle(2, e);
    }
  }

  /** @internal Delivers an error. */
  reject(error: unknown): void {
    const r = this.onRejected;
    if (typeof r !== 'function') return this.settle(2, error);
    try {
      this.settle(1, r(error));
    } catch (e) {
      this.settle(2, e);
    }
  }

  private settle(state: number, value: unknown): void {
    if (this.state !== 0) return;
    this.state = state;
    this.value = value;
    if (this.promise !== null) {
      if (state === 1) this.resolveP!(value);
      else this.rejectP!(value);
    } else if (state === 2) {
      // Like an unhandled promise rejection: nobody chained on this then(), so say so.
      this.loop.callExceptionHandler({ message: 'Unhandled error in a then() callback of a Future', exception: value });
    }
  }

  then<R1 = R, R2 = never>(
    onfulfilled?: ((value: R) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.promise === null) {
      this.promise = new Promise<R>((resolve, reject) => {
        this.resolveP = resolve as (v: unknown) => void;
        this.rejectP = reject;
      });
      if (this.state === 1) this.resolveP!(this.value);
      else if (this.state === 2) this.rejectP!(this.value);
    }
    return this.promise.then(onfulfilled, onrejected);
  }
}

/** A result that will exist later, bound to a loop (asyncio.Future). */
export class Future<T = unknown> implements PromiseLike<T> {
  /** @internal */ _loop: BaseEventLoop;
  /** @internal */ _state = PENDING;
  /** @internal */ _result: T | undefined = undefined;
  /** @internal */ _exception: unknown = undefined;
  /** @internal */ _hasException = false;
  /** @internal First done callback (most futures have exactly one: the awaiting task's). */ _cb0: Callback | null = null;
  /** @internal */ _cbs: Callback[] | null = null;
  /** @internal */ _cancelMessage: string | undefined = undefined;
  /** @internal */ _cancelledExc: CancelledError | null = null;
  /** @internal Whether the exception still needs reporting if nobody retrieves it. */ _logTraceback = false;
  /** @internal */ _id: number;

  constructor(loop?: BaseEventLoop) {
    const l = loop ?? getEventLoop();
    this._loop = l;
    this._id = l._nextId++;
    if (l._sink !== null && !this._isTask) l._emit({ type: 'future-created', time: l._eventTime(), id: this._id, name: this._kindName() });
  }

  /** @internal Read through the prototype, so it is known before a subclass constructor runs. */
  declare readonly _isTask: boolean;

  /** Stable id in the event stream and in snapshots. */
  get id(): number {
    return this._id;
  }

  /** The loop this future is bound to. */
  getLoop(): BaseEventLoop {
    return this._loop;
  }

  /** Whether the future is done (finished or cancelled). */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** Whether the future was cancelled. */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /** The result; raises the exception if one was set, CancelledError if cancelled, InvalidStateError if pending. */
  result(): T {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Result is not ready.');
    this._retrieved();
    if (this._hasException) throw this._exception;
    return this._result as T;
  }

  /** The exception (undefined if none); raises CancelledError if cancelled, InvalidStateError if pending. */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Exception is not set.');
    this._retrieved();
    return this._exception;
  }

  /** Marks the future done with `result` and schedules the done callbacks. */
  setResult(result: T): void {
    this._setResult(result);
  }

  /** Marks the future done with `exception` and schedules the done callbacks. */
  setException(exception: unknown): void {
    this._setException(exception);
  }

  /** Cancels the future and schedules the done callbacks; false if it was already done. */
  cancel(msg?: string): boolean {
    return this._cancel(msg);
  }

  /** Adds a callback run (through callSoon) with this future once it is done. */
  addDoneCallback(fn: DoneCallback<T>): void {
    if (typeof fn !== 'function') throw new TypeError(`addDoneCallback() expects a function, got ${shortRepr(fn)}`);
    this._addCallback(fn as Callback);
  }

  /** Removes every registration of `fn`; returns how many were removed. */
  removeDoneCallback(fn: DoneCallback<T>): number {
    let removed = 0;
    if (this._cb0 === fn) {
      this._cb0 = null;
      removed++;
    }
    const cbs = this._cbs;
    if (cbs !== null) {
      const kept = cbs.filter((cb) => cb !== fn);
      removed += cbs.length - kept.length;
      this._cbs = kept.length > 0 ? kept : null;
    }
    return removed;
  }

  /**
   * Makes the future awaitable. Called by V8 when a native coroutine awaits it: the running task
   * then suspends until the future is done. Awaiting a done future does not suspend the task.
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    const loop = this._loop;
    const cont = new Continuation<R1 | R2>(loop, onfulfilled, onrejected);
    if (loop._barrier === BARRIER_HARD) {
      // A task step is running in microtasks and V8 is awaiting this future on its behalf.
      if (this._state !== PENDING) {
        _deliver(this as Future<unknown>, cont as Continuation<unknown>);
        return cont;
      }
      const task = loop._currentTask;
      if (task !== null) task._suspendOn(this as Future<unknown>, cont as Continuation<unknown>);
      else this._addAwaiter(cont as Continuation<unknown>, null);
      loop._releaseBarrier();
      return cont;
    }
    this._addAwaiter(cont as Continuation<unknown>, loop._currentTask);
    return cont;
  }

  /** Generator coroutines: `const x = yield* fut` waits for the future and returns its result. */
  *[Symbol.iterator](): Generator<Future<T>, T, unknown> {
    if (!this.done()) yield this;
    if (!this.done()) throw new RuntimeError('await wasn\'t used with future');
    return this.result();
  }

  // --- internals ----------------------------------------------------------------------------

  /** @internal */
  _addCallback(fn: Callback): void {
    if (this._state !== PENDING) {
      this._loop._callSoonInternal(fn, this);
    } else if (this._cb0 === null && this._cbs === null) {
      this._cb0 = fn;
    } else {
      (this._cbs ??= []).push(fn);
    }
  }

  /** @internal Whether `fn` is among the done callbacks still to be called. */
  _hasCallback(fn: Callback): boolean {
    return this._cb0 === fn || (this._cbs !== null && this._cbs.includes(fn));
  }

  /** @internal A plain (non-task) await or then(): delivered from a callback, then a soft barrier. */
  _addAwaiter(cont: Continuation<unknown>, owner: Task<unknown> | null): void {
    const loop = this._loop;
    this._addCallback(function futureAwaiter(fut: Future<unknown>): void {
      loop._currentTask = owner;
      _deliver(fut, cont);
      loop._openSoftBarrier(owner);
    });
  }

  /** @internal */
  _setResult(result: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    this._result = result;
    this._state = FINISHED;
    this._finish();
  }

  /** @internal */
  _setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${STATE_NAMES[this._state]}: ${this}`);
    this._exception = exception;
    this._hasException = true;
    this._state = FINISHED;
    this._logTraceback = true;
    const loop = this._loop;
    if (loop._debug) loop._unretrieved.add(this as Future<unknown>);
    else if (typeof exception === 'object' && exception !== null) {
      unretrievedRegistry.register(this, { loop, message: `${this._isTask ? 'Task' : 'Future'} exception was never retrieved`, exception }, this);
    }
    this._finish();
  }

  /** @internal */
  _cancel(msg?: string): boolean {
    this._retrieved();
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._finish();
    return true;
  }

  /** @internal The exception that result() raises for a cancelled future. */
  _makeCancelledError(): CancelledError {
    if (this._cancelledExc !== null) {
      const exc = this._cancelledExc;
      this._cancelledExc = null;
      return exc;
    }
    return new CancelledError(this._cancelMessage ?? '');
  }

  /** @internal */
  _retrieved(): void {
    if (this._logTraceback) {
      this._logTraceback = false;
      if (this._loop._debug) this._loop._unretrieved.delete(this as Future<unknown>);
      else unretrievedRegistry.unregister(this);
    }
  }

  /** @internal Runs when the future becomes done: events, then the done callbacks via callSoon. */
  _finish(): void {
    const loop = this._loop;
    if (loop._sink !== null) this._emitDone();
    const cb0 = this._cb0;
    const cbs = this._cbs;
    this._cb0 = null;
    this._cbs = null;
    if (cb0 !== null) loop._callSoonInternal(cb0, this);
    if (cbs !== null) for (let i = 0; i < cbs.length; i++) loop._callSoonInternal(cbs[i], this);
  }

  /** @internal */
  _emitDone(): void {
    const loop = this._loop;
    loop._emit({
      type: 'future-state',
      time: loop._eventTime(),
      id: this._id,
      state: this._state === CANCELLED ? 'cancelled' : 'finished',
      detail: this._detail(),
      failed: this._hasException || undefined,
    });
  }

  /** @internal Short rendering of the outcome. */
  _detail(): string | undefined {
    if (this._state === CANCELLED) return this._cancelMessage;
    if (this._state !== FINISHED) return undefined;
    return shortRepr(this._hasException ? this._exception : this._result);
  }

  /** @internal Name of the kind of future in events (subclasses refine it). */
  _kindName(): string {
    return this.constructor.name;
  }

  /** @internal */
  [SHORT_REPR](): string {
    return `${this._kindName()}#${this._id}`;
  }

  /** asyncio-style rendering: `<Future pending>`, `<Future finished result=1>`. */
  toString(): string {
    let state = STATE_NAMES[this._state].toLowerCase();
    if (this._state === FINISHED) state += this._hasException ? ` exception=${shortRepr(this._exception)}` : ` result=${shortRepr(this._result)}`;
    return `<${this._kindName()} ${state}>`;
  }
}
Object.defineProperty(Future.prototype, '_isTask', { value: false, writable: false });

/** @internal Hands a done future's outcome to a continuation. */
export function _deliver(fut: Future<unknown>, cont: Continuation<unknown>): void {
  if (fut._state === CANCELLED) cont.reject(fut._makeCancelledError());
  else if (fut._hasException) {
    fut._retrieved();
    cont.reject(fut._exception);
  } else cont.fulfill(fut._result);
}

/** Whether `obj` is an engine Future (or Task). */
export function isFuture(obj: unknown): obj is Future<unknown> {
  return obj instanceof Future;
}

/** Sets the result of `fut` unless it was cancelled meanwhile (asyncio's _set_result_unless_cancelled). */
export function setResultUnlessCancelled<T>(fut: Future<T>, result: T): void {
  if (fut.cancelled()) return;
  fut.setResult(result);
}

/**
 * Wraps a foreign promise or thenable in a Future of `loop` (like asyncio.wrap_future): awaiting
 * the Future keeps the awaiting task in the loop's FIFO order, which awaiting the promise itself
 * cannot do.
 */
export function wrapFuture<T>(thenable: PromiseLike<T>, loop?: BaseEventLoop): Future<T> {
  const fut = new Future<T>(loop);
  thenable.then(
    (v) => {
      if (!fut.done() && !fut._loop.isClosed()) fut.setResult(v);
    },
    (e: unknown) => {
      if (!fut.done() && !fut._loop.isClosed()) fut.setException(e);
    },
  );
  return fut;
}
