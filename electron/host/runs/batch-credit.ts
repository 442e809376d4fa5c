// How far a scenario worker's event batches may run ahead of the host. A batch counts as the bytes of
// its lines (EventBatch.sizeOf), and the host takes it in once its lines are written and passed on,
// and, past KEPT_LINES_BYTES of lines kept by listeners, once whoever kept them lets go (the recorder,
// once they are on disk). A host that cannot keep up (a run that floods events faster than lines can
// be written, or a recording than a disk takes them) would otherwise let them pile up without bound,
// in memory and in how far the windows lag behind the run. Past the credit, the worker waits (the
// run is held back, nothing is lost) until the host has caught up, and says how long it waited.
import { ControlRequest, type ControlBlock } from './control-block';

/** Bytes of lines the host may hold before the worker waits: a tenth of a second of the host's work, or less. */
export const BATCH_CREDIT_BYTES = 16 * 1024 * 1024;

/**
 * Bytes of lines that listeners may keep after the host handed them over (the recorder, until they
 * are on disk) while the run goes on: they count as taken in when handed over, so that a disk slower
 * than a burst holds up neither the run nor the windows until this much is waiting for it. Past it,
 * the run waits for the disk.
 */
export const KEPT_LINES_BYTES = 256 * 1024 * 1024;

/** How long one wait lasts before the worker looks again (a stop request also ends it). */
const WAIT_MS = 50;

/** The worker's side of the credit. */
export class BatchCredit {
  /** Bytes sent so far, modulo 2^32 as the host's count of bytes taken is. */
  private sent = 0;
  /** Milliseconds the worker has waited for the host so far. */
  heldBackMs = 0;

  constructor(
    private readonly control: ControlBlock,
    private readonly credit = BATCH_CREDIT_BYTES,
  ) {}

  /** Bytes sent that the host has not taken in yet. */
  unread(): number {
    return (this.sent - this.control.taken()) | 0;
  }

  /**
   * Counts a batch of `bytes` just sent, and returns once the host has at most the credit unread,
   * or the run is being stopped.
   */
  sentBatch(bytes: number): void {
    this.sent = (this.sent + bytes) | 0;
    if (this.unread() <= this.credit) return;
    const from = performance.now();
    while (this.control.current() !== ControlRequest.Stop) {
      const taken = this.control.taken();
      if (((this.sent - taken) | 0) <= this.credit) break;
      this.control.waitForHost(taken, WAIT_MS);
    }
    this.heldBackMs += performance.now() - from;
  }
}
