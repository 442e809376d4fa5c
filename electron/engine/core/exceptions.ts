// asyncio's exceptions module. Each class sets `name` on its prototype so that stack traces and
// renderings say "CancelledError: ..." without an own property on every instance.

/** The operation was cancelled (asyncio.CancelledError); raised at the await/yield point of a cancelled task. */
export class CancelledError extends Error {}
CancelledError.prototype.name = 'CancelledError';

/** A Future was used in a state that does not allow the operation (asyncio.InvalidStateError). */
export class InvalidStateError extends Error {}
InvalidStateError.prototype.name = 'InvalidStateError';

/** A deadline passed (asyncio.TimeoutError, the builtin TimeoutError since Python 3.11). */
export class TimeoutError extends Error {}
TimeoutError.prototype.name = 'TimeoutError';

/** Misuse of the loop, e.g. running a closed loop (Python's RuntimeError as asyncio raises it). */
export class RuntimeError extends Error {}
RuntimeError.prototype.name = 'RuntimeError';

/** Several errors raised together, e.g. by a TaskGroup (Python's BaseExceptionGroup). */
export class ExceptionGroup extends Error {
  /** The errors, in the order they were collected. */
  readonly exceptions: readonly unknown[];
  constructor(message: string, exceptions: readonly unknown[]) {
    super(`${message} (${exceptions.length} sub-exception${exceptions.length === 1 ? '' : 's'})`);
    this.exceptions = exceptions;
  }
}
ExceptionGroup.prototype.name = 'ExceptionGroup';
