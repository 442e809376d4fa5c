// asyncio's timeouts module (Python 3.11+). JavaScript has no `async with`, so a Timeout is
// entered and exited explicitly, or through `run(body)`:
//
//     await timeout(1.5).run(async () => { await slowThing(); });   // raises TimeoutError
//
// On expiry the current task is cancelled; exit() turns that CancelledError into TimeoutError.
import type { BaseEventLoop } from './base-events';
import type { Handle } from './events';
import { _getRunningLoop, getEventLoop } from './events';
import { CancelledError, RuntimeError, TimeoutError } from './exceptions';
import { currentTask, type Task } from './tasks';

const CREATED = 'created';
const ENTERED = 'active';
const EXPIRING = 'expiring';
const EXPIRED = 'expired';
const EXITED = 'finished';

function loopNow(): BaseEventLoop {
  return _getRunningLoop() ?? getEventLoop();
}

/** A deadline for the code between enter() and exit() (asyncio.Timeout). */
export class Timeout {
  private state: string = CREATED;
  private handle: Handle | null = null;
  private task: Task<unknown> | null = null;
  private cancellingAtEnter = 0;
  private deadline: number | null;

  /** Use `timeout(delay)` or `timeoutAt(when)` to create one. */
  constructor(when: number | null) {
    this.deadline = when;
  }

  /** The deadline in loop time, or null for none. */
  when(): number | null {
    return this.deadline;
  }

  /** Moves the deadline (null: none); only while entered. */
  reschedule(when: number | null): void {
    if (this.state !== ENTERED) {
      if (this.state === CREATED) throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${this.state} Timeout`);
    }
    this.deadline = when;
    this.handle?.cancel();
    if (when === null) {
      this.handle = null;
    } else {
      const loop = loopNow();
      this.handle = when <= loop.time() ? loop.callSoon(this.onTimeout) : loop.callAt(when, this.onTimeout);
    }
  }

  /** Whether the deadline passed and cancelled the task. */
  expired(): boolean {
    return this.state === EXPIRING || this.state === EXPIRED;
  }

  /** Starts the deadline (asyncio's __aenter__); must be called from inside a task. */
  enter(): this {
    if (this.state !== CREATED) throw new RuntimeError('Timeout has already been entered');
    const task = currentTask(loopNow());
    if (task === null) throw new RuntimeError('Timeout should be used inside a task');
    this.state = ENTERED;
    this.task = task;
    this.cancellingAtEnter = task.cancelling();
    this.reschedule(this.deadline);
    return this;
  }

  /** Ends the deadline (asyncio's __aexit__): raises TimeoutError if it expired and cancelled `error`'s task. */
  exit(error?: unknown): void {
    if (this.state !== ENTERED && this.state !== EXPIRING) throw new RuntimeError(`Timeout is not active (${this.state})`);
    this.handle?.cancel();
    this.handle = null;
    if (this.state === EXPIRING) {
      this.state = EXPIRED;
      // No cancellation was requested besides ours: it is ours to turn into a TimeoutError.
      if ((this.task as Task<unknown>).uncancel() <= this.cancellingAtEnter && error instanceof CancelledError) {
        throw new TimeoutError('', { cause: error });
      }
    } else {
      this.state = EXITED;
    }
  }

  /** Enters, runs `body()` in the current task, exits; resolves with the body's result. */
  async run<T>(body: () => PromiseLike<T> | T): Promise<T> {
    this.enter();
    let result: T;
    try {
      result = await body();
    } catch (e) {
      this.exit(e);
      throw e;
    }
    this.exit();
    return result;
  }

  private readonly onTimeout = (): void => {
    (this.task as Task<unknown>).cancel();
    this.state = EXPIRING;
    this.handle = null;
  };

  /** asyncio-style rendering. */
  toString(): string {
    return `<Timeout [${this.state}]${this.state === ENTERED ? ` when=${this.deadline}` : ''}>`;
  }
}

/** A Timeout `delay` seconds from now (null: no deadline) (asyncio.timeout). */
export function timeout(delay: number | null): Timeout {
  return new Timeout(delay === null ? null : loopNow().time() + delay);
}

/** A Timeout at loop time `when` (asyncio.timeout_at). */
export function timeoutAt(when: number | null): Timeout {
  return new Timeout(when);
}
