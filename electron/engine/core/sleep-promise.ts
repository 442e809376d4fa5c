// What `sleep(0)` returns inside a native task step: a native promise. V8 awaits a native promise
// far more cheaply than a thenable (no extra promise, no NewPromiseResolveThenableJob microtask, no
// then() call, and less for the garbage collector to copy while 100,000 tasks sit suspended).
//
// A native await runs no user code, yet the loop must learn that the task suspended. So the class
// has a `constructor` getter: `await p` (like then() and Promise.resolve) reads p.constructor once,
// synchronously at the await, and the getter tells the loop there. The getter returns Promise, so
// V8 then awaits p itself. The task's next step resolves p with the resolvers kept here.
//
// A sleep(0) promise is "claimed" by the first await (or then()) on it. The resolve function of the
// newest unclaimed one waits in module variables (no allocation); an older unclaimed one that is
// still awaited later finds it in a WeakMap, so `const s = sleep(0); ...; await s` still yields one
// iteration. Only resolve is kept: the reject function dies young, which spares the garbage
// collector a copy per step; a step that must throw into the task (cancellation) resolves the
// promise with a thenable that rejects it instead.
import type { BaseEventLoop } from './base-events';
import { BARRIER_HARD } from './barriers';
import { SHORT_REPR } from './format';

type Resolve = (value: unknown) => void;

interface Parked {
  loop: BaseEventLoop;
  resolve: Resolve;
}

/** `sleep(0)` inside a native task step: awaiting it gives the other callbacks exactly one iteration. */
export class SleepPromise<T = undefined> extends Promise<T> {
  /** Generator coroutines: `yield* sleep(0)` (only reached if a native step drives a generator). */
  *[Symbol.iterator](): Generator<undefined, T, unknown> {
    yield undefined;
    return undefined as T;
  }

  /** @internal */
  [SHORT_REPR](): string {
    return 'sleep(0)';
  }
}

let newest: SleepPromise | null = null;
let newestLoop: BaseEventLoop | null = null;
let newestResolve: Resolve | null = null;
const parked = new WeakMap<SleepPromise, Parked>();

// One executor for every promise: it hands resolve over without a closure per promise.
let captured: Resolve | null = null;
function capture(resolve: (value: undefined | PromiseLike<undefined>) => void): void {
  captured = resolve as Resolve;
}

/** @internal A sleep(0) promise for a native step of `loop`'s current task. */
export function newSleepPromise(loop: BaseEventLoop): SleepPromise {
  if (newest !== null) parked.set(newest, { loop: newestLoop as BaseEventLoop, resolve: newestResolve as Resolve });
  const p = new SleepPromise<undefined>(capture);
  newest = p;
  newestLoop = loop;
  newestResolve = captured;
  captured = null;
  return p;
}

/** The first await (or then()) on `p`: the awaiting task, or else the caller, resumes one iteration later. */
function claim(p: unknown): void {
  let loop: BaseEventLoop;
  let resolve: Resolve;
  if (p === newest) {
    loop = newestLoop as BaseEventLoop;
    resolve = newestResolve as Resolve;
    newest = newestLoop = newestResolve = null;
  } else {
    // Claimed already (a second await resumes with the first), or not a sleep(0) promise at all.
    const entry = parked.get(p as SleepPromise);
    if (entry === undefined) return;
    parked.delete(p as SleepPromise);
    ({ loop, resolve } = entry);
  }
  const task = loop._currentTask;
  if (task !== null && task._runsNativeStep()) {
    task._suspendOnSleep(resolve);
    // V8 registers the await as soon as this getter returns, and whatever the drain runs meanwhile
    // can at most settle the promise first (the task's own step), which the await then finds: the
    // drain goes on from here, with no microtask in between. The synchronous start of a first step
    // runs inside the drain already: there it resumes once the step's microtasks have run.
    if (loop._barrier === BARRIER_HARD) loop._releaseBarrier();
    else loop._openSoftBarrier(null);
    return;
  }
  // Outside a task step: resume on the next iteration, like a Future resolved with callSoon.
  loop._callSoonInternal(function sleep0Awaiter(): void {
    loop._currentTask = task;
    resolve(undefined);
    loop._openSoftBarrier(task);
  }, undefined);
}

Object.defineProperty(SleepPromise.prototype, 'constructor', {
  get(this: unknown): PromiseConstructor {
    claim(this);
    return Promise;
  },
  configurable: true,
});

/**
 * @internal Makes the promise that `resolve` settles reject with `exc` (a step that throws into the
 * task). V8 calls this thenable's then() in a microtask; the barrier is armed from there, so that
 * the arming microtask still comes right before the task resumes (see base-events' barriers).
 */
export function rejectThrough(loop: BaseEventLoop, resolve: Resolve, exc: unknown): void {
  resolve({
    then(_onFulfilled: unknown, onRejected: (reason: unknown) => void): void {
      loop._queueArm();
      onRejected(exc);
    },
  });
}
