// asyncio's coroutines module: what counts as a coroutine here, and how it is named. Two styles
// exist, as in the tutorial: native `async function`s (asyncio's `async def`) and generator
// functions that `yield` a Future/Task/thenable to wait for it and `yield*` to delegate (the old
// `@asyncio.coroutine`).

/** A generator-based coroutine object (the result of calling a `function*`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GeneratorCoroutine<T = unknown> = Generator<unknown, T, any>;

/**
 * Anything a Task can run: a generator object (lazy, like a coroutine object), a function that
 * returns a promise or a generator (called in the task's first step, so nothing runs before the
 * loop does), or a promise or thenable (already started; the task wraps it).
 */
export type CoroutineLike<T = unknown> =
  | GeneratorCoroutine<T>
  | (() => PromiseLike<T> | GeneratorCoroutine<T> | T)
  | PromiseLike<T>;

/** Whether `obj` is a generator object (a generator-based coroutine). */
export function isGenerator(obj: unknown): obj is GeneratorCoroutine {
  return (
    typeof obj === 'object' &&
    obj !== null &&
    typeof (obj as Generator).next === 'function' &&
    typeof (obj as Generator).throw === 'function' &&
    typeof (obj as Generator)[Symbol.iterator] === 'function'
  );
}

/** Whether `obj` has a callable `then` (a promise or any thenable). */
export function isThenable(obj: unknown): obj is PromiseLike<unknown> {
  return (typeof obj === 'object' || typeof obj === 'function') && obj !== null && typeof (obj as PromiseLike<unknown>).then === 'function';
}

/** Whether `obj` is something a Task can run (asyncio.iscoroutine, widened to our forms). */
export function isCoroutine(obj: unknown): boolean {
  return isGenerator(obj) || isThenable(obj) || typeof obj === 'function';
}

/** How a coroutine is shown in events and task renderings, e.g. `main()`. */
export function coroName(coro: unknown): string {
  if (typeof coro === 'function') return `${coro.name || '<anonymous>'}()`;
  // A generator object keeps no reference to its function, so its name is lost.
  if (isGenerator(coro)) return '<generator>';
  if (isThenable(coro)) return '<promise>';
  return String(coro);
}
