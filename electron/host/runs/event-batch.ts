import { EVENT_SEPARATOR, encodeEvent } from '../../../shared/engine/event-lines';
import type { EngineEvent } from '../../../shared/engine/events';

/** Events joined into one string before they are written out as bytes. */
const CHUNK_EVENTS = 64;
/** The block's starting size; it grows for a larger batch and shrinks back after one. */
const INITIAL_BYTES = 2 * 1024 * 1024;

/**
 * A worker's events of one frame: each encoded once as it is emitted (shared/engine/event-lines.ts),
 * joined with EVENT_SEPARATOR, in one block of UTF-8 bytes that `take()` hands over to be
 * transferred to the host. Text appended to a string for a whole frame lives long enough to be
 * copied by every young-generation collection on the way (measured: about 110 ns per event of the
 * callSoon workload); written out every few events, the strings die young and cost next to nothing.
 */
export class EventBatch {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;
  private chunk = '';
  private inChunk = 0;
  /** Events in the batch. */
  count = 0;

  /** Encodes and adds one event. */
  add(event: EngineEvent): void {
    const text = encodeEvent(event);
    if (this.inChunk === 0) this.chunk = this.count === 0 ? text : EVENT_SEPARATOR + text;
    else this.chunk = this.chunk + EVENT_SEPARATOR + text;
    this.count++;
    if (++this.inChunk === CHUNK_EVENTS) this.spill();
  }

  /** The batch as bytes of its own (transferable), or null when it is empty; the batch starts over. */
  take(): Uint8Array | null {
    if (this.count === 0) return null;
    this.spill();
    const out = new Uint8Array(this.used);
    out.set(this.bytes.subarray(0, this.used));
    this.used = 0;
    this.count = 0;
    if (this.bytes.length > INITIAL_BYTES) this.bytes = Buffer.allocUnsafe(INITIAL_BYTES);
    return out;
  }

  private spill(): void {
    if (this.inChunk === 0) return;
    // At most three bytes per UTF-16 code unit.
    const need = this.used + this.chunk.length * 3;
    if (need > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(this.chunk, this.used, 'utf8');
    this.chunk = '';
    this.inChunk = 0;
  }
}
