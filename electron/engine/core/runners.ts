// asyncio's runners module: run(main) creates a loop, runs main to completion, cancels what is
// left and closes the loop.
import type { BaseEventLoop, EventLoopOptions } from './base-events';
import type { CoroutineLike } from './coroutines';
import { _getRunningLoop, _newEventLoop, setEventLoop } from './events';
import { RuntimeError } from './exceptions';
import { gather } from './tasks';

async function cancelAllTasks(loop: BaseEventLoop): Promise<void> {
  const toCancel = [...loop._tasks];
  if (toCancel.length === 0) return;
  for (const task of toCancel) task.cancel();
  await loop.runUntilComplete(gather(...toCancel, { returnExceptions: true }));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    const exc = task.exception();
    if (exc !== undefined) loop.callExceptionHandler({ message: 'unhandled exception during asyncio.run() shutdown', exception: exc, task });
  }
}

/** Runs `main` on a new loop, made current meanwhile, and closes it afterwards (asyncio.run). */
export async function run<T>(main: CoroutineLike<T>, options?: EventLoopOptions): Promise<T> {
  if (_getRunningLoop() !== null) throw new RuntimeError('asyncio.run() cannot be called from a running event loop');
  const loop = _newEventLoop(options);
  setEventLoop(loop);
  try {
    return await loop.runUntilComplete(main);
  } finally {
    try {
      await cancelAllTasks(loop);
    } finally {
      setEventLoop(null);
      loop.close();
    }
  }
}
