/**
 * The words a run's host and its worker share (a SharedArrayBuffer read with Atomics): the request
 * flag, which the worker's loop reads between two callbacks, so a pause or stop request takes effect
 * at the next callback boundary even in the middle of a long batch, when the worker cannot read
 * messages; the attention word, which tells the loop whether to ask the debugger's gate before the
 * next callback at all (a free run then pays one load per callback); and the bytes of event batches
 * the host has taken in (see batch-credit.ts).
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
/** Bytes of event batches the host has taken in so far, modulo 2^32 (see batch-credit.ts). */
export const TAKEN_SLOT = 2;
const TAKEN = TAKEN_SLOT;
/** Bits of why the gate must be asked: the host has a request pending, the worker steps or holds breakpoints. */
const ATTENTION = 3;
const HOST_REQUEST = 1;
const STEPPING = 2;
const SLOTS = 4;

/** One run's control block. Both sides wrap the same buffer. */
export class ControlBlock {
  private readonly view: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.view = new Int32Array(buffer);
  }

  /** The host's side: asks the loop to run, pause or stop. */
  request(request: ControlRequest): void {
    Atomics.store(this.view, REQUEST, request);
    // Before the attention bit: a loop that sees the bit finds the request.
    if (request === ControlRequest.Run) Atomics.and(this.view, ATTENTION, ~HOST_REQUEST);
    else Atomics.or(this.view, ATTENTION, HOST_REQUEST);
    Atomics.add(this.view, GENERATION, 1);
    Atomics.notify(this.view, REQUEST);
    // A worker waiting for the host to take its batches must see a stop at once.
    Atomics.notify(this.view, TAKEN);
  }

  /** The worker's side: what the host asks now (one atomic load: cheap enough per callback). */
  current(): ControlRequest {
    return Atomics.load(this.view, REQUEST) as ControlRequest;
  }

  /** The worker's side: whether the debugger steps or holds breakpoints, so the gate must see every callback. */
  setStepping(stepping: boolean): void {
    if (stepping) Atomics.or(this.view, ATTENTION, STEPPING);
    else Atomics.and(this.view, ATTENTION, ~STEPPING);
  }

  /** The word the loop reads before each callback: not zero while the gate must be asked (BaseEventLoop.setStepGate). */
  attention(): Int32Array {
    return new Int32Array(this.buffer, ATTENTION * Int32Array.BYTES_PER_ELEMENT, 1);
  }

  /** The host's side: it has taken in a batch of `bytes` (read it and passed it on). */
  took(bytes: number): void {
    Atomics.add(this.view, TAKEN, bytes | 0);
    Atomics.notify(this.view, TAKEN);
  }

  /** The worker's side: bytes of batches the host has taken in so far, modulo 2^32. */
  taken(): number {
    return Atomics.load(this.view, TAKEN);
  }

  /** The worker's side: waits until the host has taken more than `taken` (see `taken()`), a request is made, or `ms` pass. */
  waitForHost(taken: number, ms: number): void {
    Atomics.wait(this.view, TAKEN, taken, ms);
  }

  /** How many requests were made so far. */
  generation(): number {
    return Atomics.load(this.view, GENERATION);
  }
}
