// Blocks of memory that the host writes a worker's event lines into, used again once every holder is
// done with them. Fresh memory costs a page fault per 4 KiB on first touch, and a busy run's lines
// are hundreds of megabytes a second: writing them into new blocks cost the host about a third more
// CPU than into used ones, and the garbage of large blocks brought full collections, whose threads
// take the machine's cores from the run (callSoon in a worker: 10-15 % faster with blocks reused).
//
// Who holds a block: the run while it hands the batch to its listener (RunManager), and a listener
// that keeps the lines past its call, as the recorder does until they are written (see
// EncodedEvents.hold). The block goes back when the last of them lets go.
import type { EncodedEvents } from '../../../shared/engine/event-lines';

/** Spare blocks kept at most (a batch or two in flight, a recorder's write behind). */
const MAX_SPARES = 4;
/** Blocks come in multiples of this many bytes, so that one serves batches of about its size. */
const BLOCK_UNIT = 1 << 20;

export class LineBlocks {
  private spares: ArrayBuffer[] = [];

  /** A block of at least `bytes` bytes: the smallest spare that holds them, or a new one. */
  take(bytes: number): Buffer {
    const spares = this.spares;
    let best = -1;
    for (let i = 0; i < spares.length; i++) {
      if (spares[i].byteLength >= bytes && (best < 0 || spares[i].byteLength < spares[best].byteLength)) best = i;
    }
    if (best >= 0) return Buffer.from(spares.splice(best, 1)[0]);
    return Buffer.from(new ArrayBuffer(Math.max(1, Math.ceil(bytes / BLOCK_UNIT)) * BLOCK_UNIT));
  }

  /** Takes `block` back (nothing may read or write it any more): the smallest spare goes if there are too many. */
  give(block: ArrayBuffer): void {
    const spares = this.spares;
    spares.push(block);
    if (spares.length > MAX_SPARES) {
      let smallest = 0;
      for (let i = 1; i < spares.length; i++) if (spares[i].byteLength < spares[smallest].byteLength) smallest = i;
      spares.splice(smallest, 1);
    }
  }

  /** Spare blocks now (for tests). */
  get spareCount(): number {
    return this.spares.length;
  }

  /**
   * Lends `batch`'s lines, written into a block of this pool, to whoever it is handed to: sets
   * `batch.hold`, and returns the lender's own release. The block comes back when the lender and
   * every holder have released it; `released` is told then.
   */
  lend(batch: EncodedEvents, released?: () => void): () => void {
    return lendBlock(batch, (block) => {
      this.give(block);
      released?.();
    });
  }
}

/**
 * Lends `batch`'s lines (their block) to whoever it is handed to: sets `batch.hold`, and returns the
 * lender's own release. `giveBack` gets the block when the lender and every holder have released it.
 */
export function lendBlock(batch: EncodedEvents, giveBack: (block: ArrayBuffer) => void): () => void {
  const block = batch.bytes.buffer as ArrayBuffer;
  let holders = 0;
  const holder = (): (() => void) => {
    holders++;
    let released = false;
    return () => {
      // Released twice by mistake: counted once, so that the block is never given out while held.
      if (released) return;
      released = true;
      if (--holders === 0) giveBack(block);
    };
  };
  batch.hold = holder;
  return holder();
}
