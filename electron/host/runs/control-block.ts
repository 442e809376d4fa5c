/**
 * The flag a run's host and its worker share (a SharedArrayBuffer read with Atomics): the worker's
 * loop reads it between two callbacks, so a pause or stop request takes effect at the next
 * callback boundary even in the middle of a long batch, when the worker cannot read messages.
 */

/** What the host asks of the running loop. */
export const enum ControlRequest {
  /** Run freely (or keep stepping as the last command said). */
  Run = 0,
  /** Pause before the next callback. */
  Pause = 1,
  /** Stop: the worker is about to be terminated; run nothing more. */
  Stop = 2,
}

const REQUEST = 0;
/** Bumped on every request, so a reader can tell two pauses apart. */
const GENERATION = 1;
const SLOTS = 2;

/** One run's control block. Both sides wrap the same buffer. */
export class ControlBlock {
  private readonly view: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.view = new Int32Array(buffer);
  }

  /** The host's side: asks the loop to run, pause or stop. */
  request(request: ControlRequest): void {
    Atomics.store(this.view, REQUEST, request);
    Atomics.add(this.view, GENERATION, 1);
    Atomics.notify(this.view, REQUEST);
  }

  /** The worker's side: what the host asks now (one atomic load: cheap enough per callback). */
  current(): ControlRequest {
    return Atomics.load(this.view, REQUEST) as ControlRequest;
  }

  /** How many requests were made so far. */
  generation(): number {
    return Atomics.load(this.view, GENERATION);
  }
}
