// asyncio's taskgroups module (Python 3.11+). JavaScript has no `async with`, so the group is
// entered and exited explicitly, or through `run(body)` which does both:
//
//     await new TaskGroup().run(async (tg) => { tg.createTask(a); tg.createTask(b); });
//
// When a child fails, the others and the body are cancelled and exit() raises an ExceptionGroup
// of the errors; exit() waits for every child, whatever happens.
import type { BaseEventLoop } from './base-events';
import type { CoroutineLike } from './coroutines';
import { _getRunningLoop, getEventLoop } from './events';
import { CancelledError, ExceptionGroup, RuntimeError } from './exceptions';
import type { Future } from './futures';
import { currentTask, type Task, type TaskOptions } from './tasks';

/** Runs a group of tasks that fail together (asyncio.TaskGroup). */
export class TaskGroup {
  private entered = false;
  private exiting = false;
  private aborting = false;
  private loop: BaseEventLoop | null = null;
  private parentTask: Task<unknown> | null = null;
  private parentCancelRequested = false;
  private readonly tasks = new Set<Task<unknown>>();
  private errors: unknown[] = [];
  private onCompletedFut: Future<boolean> | null = null;

  /** Enters the group (asyncio's __aenter__); must be called from inside a task. */
  enter(): this {
    if (this.entered) throw new RuntimeError(`TaskGroup ${this} has already been entered`);
    this.loop ??= _getRunningLoop() ?? getEventLoop();
    this.parentTask = currentTask(this.loop);
    if (this.parentTask === null) throw new RuntimeError(`TaskGroup ${this} cannot determine the parent task`);
    this.entered = true;
    return this;
  }

  /**
   * Exits the group (asyncio's __aexit__): waits for every task; raises an ExceptionGroup when
   * tasks failed, or the CancelledError that cancelled the body. `error` is what the body raised.
   */
  async exit(error?: unknown, hasError = error !== undefined): Promise<void> {
    this.exiting = true;
    const loop = this.loop as BaseEventLoop;
    const parent = this.parentTask as Task<unknown>;
    let propagateCancellationError: unknown = hasError && error instanceof CancelledError ? error : null;
    if (this.parentCancelRequested) {
      // The group cancelled its parent itself, so it must uncancel it; no more requests: swallow.
      if (parent.uncancel() === 0) propagateCancellationError = null;
    }
    if (hasError && !this.aborting) {
      // The parent is being cancelled, or the body raised: cancel the children.
      this.abort();
    }
    // A loop, because the wait can itself be cancelled several times while the children finish.
    while (this.tasks.size > 0) {
      this.onCompletedFut ??= loop.createFuture<boolean>();
      try {
        await this.onCompletedFut;
      } catch (ex) {
        if (!(ex instanceof CancelledError)) throw ex;
        if (!this.aborting) {
          // The parent task is cancelled while children still run.
          propagateCancellationError = ex;
          this.abort();
        }
      }
      this.onCompletedFut = null;
    }
    // Errors of the children take priority over a propagating CancelledError.
    if (propagateCancellationError !== null && this.errors.length === 0) throw propagateCancellationError;
    if (hasError && !(error instanceof CancelledError)) this.errors.push(error);
    if (this.errors.length > 0) {
      const errors = this.errors;
      this.errors = [];
      throw new ExceptionGroup('unhandled errors in a TaskGroup', errors);
    }
  }

  /** Creates a task in the group (asyncio's TaskGroup.create_task). */
  createTask<T>(coro: CoroutineLike<T>, options?: TaskOptions): Task<T> {
    if (!this.entered) throw new RuntimeError(`TaskGroup ${this} has not been entered`);
    if (this.exiting && this.tasks.size === 0) throw new RuntimeError(`TaskGroup ${this} is finished`);
    if (this.aborting) throw new RuntimeError(`TaskGroup ${this} is shutting down`);
    const task = (this.loop as BaseEventLoop).createTask(coro, options);
    if (task.done()) this.onTaskDone(task as Task<unknown>);
    else {
      this.tasks.add(task as Task<unknown>);
      task.addDoneCallback(this.onTaskDoneBound as (t: Future<T>) => void);
    }
    return task;
  }

  /** Enters, runs `body(group)` in the current task, exits; resolves with the body's result. */
  async run<T>(body: (group: this) => PromiseLike<T> | T): Promise<T> {
    this.enter();
    let result: T;
    try {
      result = await body(this);
    } catch (e) {
      await this.exit(e, true);
      throw e;
    }
    await this.exit();
    return result;
  }

  private abort(): void {
    this.aborting = true;
    for (const t of this.tasks) if (!t.done()) t.cancel();
  }

  private readonly onTaskDoneBound = (task: Task<unknown>): void => this.onTaskDone(task);

  private onTaskDone(task: Task<unknown>): void {
    this.tasks.delete(task);
    if (this.onCompletedFut !== null && this.tasks.size === 0 && !this.onCompletedFut.done()) this.onCompletedFut.setResult(true);
    if (task.cancelled()) return;
    const exc = task.exception();
    if (exc === undefined) return;
    this.errors.push(exc);
    const parent = this.parentTask as Task<unknown>;
    if (parent.done()) {
      (this.loop as BaseEventLoop).callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parent} is already completed`,
        exception: exc,
        task,
      });
      return;
    }
    if (!this.aborting && !this.parentCancelRequested) {
      // Cancel the parent to abort what the body is awaiting; exit() uncancels it.
      this.abort();
      this.parentCancelRequested = true;
      parent.cancel();
    }
  }

  /** asyncio-style rendering. */
  toString(): string {
    const info = [];
    if (this.tasks.size > 0) info.push(`tasks=${this.tasks.size}`);
    if (this.errors.length > 0) info.push(`errors=${this.errors.length}`);
    if (this.aborting) info.push('cancelling');
    else if (this.entered) info.push('entered');
    return `<TaskGroup${info.length > 0 ? ' ' + info.join(' ') : ''}>`;
  }
}
