// The ready queue (asyncio's `_ready` deque) as a growable ring buffer: push and shift are O(1)
// with no array shifting and no per-item allocation, which is what the callSoon workload needs.
import type { Handle } from './events';

/** A FIFO of handles backed by a power-of-two ring buffer. */
export class ReadyQueue {
  private buf: (Handle | undefined)[];
  private head = 0;
  private tail = 0;
  private mask: number;
  /** Number of handles queued (cancelled ones included, as in asyncio). */
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.buf = new Array<Handle | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  /** Appends a handle. */
  push(handle: Handle): void {
    this.buf[this.tail] = handle;
    this.tail = (this.tail + 1) & this.mask;
    if (++this.size > this.mask) this.grow();
  }

  /** Removes and returns the oldest handle; the caller checks `size` first. */
  shift(): Handle {
    const h = this.buf[this.head] as Handle;
    // Clear the slot so that a run callback can be collected.
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return h;
  }

  /** The oldest handle without removing it; the caller checks `size` first. */
  peek(): Handle {
    return this.buf[this.head] as Handle;
  }

  /** Drops every handle. */
  clear(): void {
    this.buf.fill(undefined);
    this.head = this.tail = this.size = 0;
  }

  /** Calls `fn` on up to `limit` handles in run order, without removing them. */
  forEach(fn: (handle: Handle) => void, limit = Infinity): void {
    const n = Math.min(this.size, limit);
    for (let i = 0; i < n; i++) fn(this.buf[(this.head + i) & this.mask] as Handle);
  }

  private grow(): void {
    // Called when the buffer became full (size === capacity - 1 + 1): unroll into a twice-bigger one.
    const old = this.buf;
    const cap = old.length;
    const next = new Array<Handle | undefined>(cap * 2).fill(undefined);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.tail = this.size;
    this.mask = cap * 2 - 1;
  }
}
