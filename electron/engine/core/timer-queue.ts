// The timer heap (asyncio's `_scheduled`): a binary min-heap ordered by (deadline, scheduling
// order), so equal deadlines run in the order they were scheduled, as uvloop does. New timers
// first land in an unsorted buffer: when the next iteration collects due timers, the due ones
// among them are sorted in one go instead of being pushed and popped one by one, which is what
// makes a burst of already-due timers (the B_past workload) cheap.
import type { TimerHandle } from './events';

function before(a: TimerHandle, b: TimerHandle): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

function compare(a: TimerHandle, b: TimerHandle): number {
  return a._when - b._when || a._seq - b._seq;
}

/** Timers waiting for their deadline. */
export class TimerQueue {
  private heap: TimerHandle[] = [];
  private fresh: TimerHandle[] = [];
  /** Cancelled timers still stored (they are dropped lazily, as asyncio does). */
  cancelledCount = 0;

  /** Timers stored, cancelled ones included. */
  get size(): number {
    return this.heap.length + this.fresh.length;
  }

  /** Adds a timer. */
  push(timer: TimerHandle): void {
    this.fresh.push(timer);
  }

  /** The earliest deadline of a live timer, or Infinity. */
  nextDeadline(): number {
    this.flush();
    const heap = this.heap;
    while (heap.length > 0 && heap[0]._cancelled) this.popTop();
    return heap.length > 0 ? heap[0]._when : Infinity;
  }

  /**
   * Moves every live timer with a deadline at or before `now` to `out`, in deadline order, and
   * returns how many it moved. Cancelled timers met on the way are dropped.
   */
  collectDue(now: number, out: (timer: TimerHandle) => void): number {
    this.maybeCompact();
    let due: TimerHandle[] | null = null;
    const fresh = this.fresh;
    if (fresh.length > 0) {
      for (let i = 0; i < fresh.length; i++) {
        const t = fresh[i];
        if (t._cancelled) {
          t._scheduled = false;
          this.cancelledCount--;
        } else if (t._when <= now) {
          (due ??= []).push(t);
        } else {
          this.heapPush(t);
        }
      }
      fresh.length = 0;
      if (due !== null && due.length > 1) due.sort(compare);
    }
    const heap = this.heap;
    let moved = 0;
    let j = 0;
    // Merge the heap's due timers (popped in order) with the sorted fresh ones.
    while (heap.length > 0) {
      const top = heap[0];
      if (top._cancelled) {
        this.popTop();
        continue;
      }
      if (top._when > now) break;
      if (due !== null) {
        while (j < due.length && before(due[j], top)) {
          due[j]._scheduled = false;
          out(due[j++]);
          moved++;
        }
      }
      this.popTop();
      top._scheduled = false;
      out(top);
      moved++;
    }
    if (due !== null) {
      while (j < due.length) {
        due[j]._scheduled = false;
        out(due[j++]);
        moved++;
      }
    }
    return moved;
  }

  /** Live timers sorted by deadline, at most `limit` of them (for snapshots). */
  sorted(limit: number): TimerHandle[] {
    const all: TimerHandle[] = [];
    for (const t of this.heap) if (!t._cancelled) all.push(t);
    for (const t of this.fresh) if (!t._cancelled) all.push(t);
    all.sort(compare);
    return all.length > limit ? all.slice(0, limit) : all;
  }

  /** Number of live timers. */
  liveCount(): number {
    return this.size - this.cancelledCount;
  }

  /** Drops every timer. */
  clear(): void {
    for (const t of this.heap) t._scheduled = false;
    for (const t of this.fresh) t._scheduled = false;
    this.heap = [];
    this.fresh = [];
    this.cancelledCount = 0;
  }

  private flush(): void {
    const fresh = this.fresh;
    if (fresh.length === 0) return;
    for (let i = 0; i < fresh.length; i++) {
      const t = fresh[i];
      if (t._cancelled) {
        t._scheduled = false;
        this.cancelledCount--;
      } else this.heapPush(t);
    }
    fresh.length = 0;
  }

  // asyncio rebuilds its heap when more than half of it is cancelled timers, so that a program
  // that keeps cancelling timeouts does not grow the heap without bound.
  private maybeCompact(): void {
    if (this.cancelledCount < 100 || this.cancelledCount * 2 < this.size) return;
    const live: TimerHandle[] = [];
    for (const t of this.heap) {
      if (t._cancelled) t._scheduled = false;
      else live.push(t);
    }
    for (const t of this.fresh) {
      if (t._cancelled) t._scheduled = false;
      else live.push(t);
    }
    this.fresh = [];
    live.sort(compare); // a sorted array is a valid heap
    this.heap = live;
    this.cancelledCount = 0;
  }

  private heapPush(t: TimerHandle): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p];
      if (!before(t, parent)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = t;
  }

  private popTop(): void {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as TimerHandle;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(heap[c + 1], heap[c])) c++;
        if (!before(heap[c], last)) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    if (top._cancelled) {
      top._scheduled = false;
      this.cancelledCount--;
    }
  }
}
