// The timer heap (asyncio's `_scheduled`): a binary min-heap ordered by (deadline, scheduling
// order), so equal deadlines run in the order they were scheduled, as uvloop does. The heap holds
// only numbers, in typed arrays: the deadline, the scheduling order and the index of the handle's
// slot. Sifting then compares contiguous numbers instead of chasing a pointer per comparison, and
// moves numbers instead of object references (no GC write barrier per move), which is where a heap
// of 200,000 timers spends its time. Each handle is written once into its slot.
import type { TimerHandle } from './events';

/** Timers waiting for their deadline. */
export class TimerQueue {
  private whens = new Float64Array(64);
  private seqs = new Float64Array(64);
  private slotOf = new Int32Array(64);
  /** Handles by slot; a slot is reused once its handle left the heap. */
  private slots: (TimerHandle | undefined)[] = [];
  private freeSlots: number[] = [];
  private n = 0;
  /** Cancelled timers still stored (they are dropped lazily, as asyncio does). */
  cancelledCount = 0;

  /** Timers stored, cancelled ones included. */
  get size(): number {
    return this.n;
  }

  /** Adds a timer. */
  push(t: TimerHandle): void {
    if (this.n === this.whens.length) this.grow();
    let slot: number;
    if (this.freeSlots.length > 0) {
      slot = this.freeSlots.pop() as number;
      this.slots[slot] = t;
    } else {
      slot = this.slots.length;
      this.slots.push(t);
    }
    const whens = this.whens;
    const seqs = this.seqs;
    const slotOf = this.slotOf;
    const w = t._when;
    const s = t._seq;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pw = whens[p];
      if (pw < w || (pw === w && seqs[p] < s)) break;
      whens[i] = pw;
      seqs[i] = seqs[p];
      slotOf[i] = slotOf[p];
      i = p;
    }
    whens[i] = w;
    seqs[i] = s;
    slotOf[i] = slot;
  }

  /** The handle at heap position `i`. */
  private at(i: number): TimerHandle {
    return this.slots[this.slotOf[i]] as TimerHandle;
  }

  /** The earliest deadline of a live timer, or Infinity. */
  nextDeadline(): number {
    while (this.n > 0 && this.at(0)._cancelled) this.dropTop();
    return this.n > 0 ? this.whens[0] : Infinity;
  }

  /**
   * Moves every live timer with a deadline at or before `now` to `out`, in (deadline, scheduling)
   * order, and returns how many it moved. Cancelled timers met on the way are dropped.
   */
  collectDue(now: number, out: (timer: TimerHandle) => void): number {
    this.maybeCompact();
    let moved = 0;
    while (this.n > 0 && this.whens[0] <= now) {
      const t = this.popTop();
      t._scheduled = false;
      if (t._cancelled) {
        this.cancelledCount--;
        continue;
      }
      out(t);
      moved++;
    }
    return moved;
  }

  /** Live timers sorted by deadline, at most `limit` of them (for snapshots). */
  sorted(limit: number): TimerHandle[] {
    const all: TimerHandle[] = [];
    for (let i = 0; i < this.n; i++) {
      const t = this.at(i);
      if (!t._cancelled) all.push(t);
    }
    all.sort((a, b) => a._when - b._when || a._seq - b._seq);
    return all.length > limit ? all.slice(0, limit) : all;
  }

  /** Number of live timers. */
  liveCount(): number {
    return this.n - this.cancelledCount;
  }

  /** Drops every timer. */
  clear(): void {
    for (let i = 0; i < this.n; i++) this.at(i)._scheduled = false;
    this.slots = [];
    this.freeSlots = [];
    this.n = 0;
    this.cancelledCount = 0;
  }

  private dropTop(): void {
    const t = this.popTop();
    t._scheduled = false;
    this.cancelledCount--;
  }

  /** Removes the earliest timer from the heap and returns it. */
  private popTop(): TimerHandle {
    const whens = this.whens;
    const seqs = this.seqs;
    const slotOf = this.slotOf;
    const topSlot = slotOf[0];
    const top = this.slots[topSlot] as TimerHandle;
    this.slots[topSlot] = undefined;
    this.freeSlots.push(topSlot);
    const n = --this.n;
    if (n === 0) return top;
    const w = whens[n];
    const s = seqs[n];
    const slot = slotOf[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (whens[r] < whens[c] || (whens[r] === whens[c] && seqs[r] < seqs[c]))) c = r;
      const cw = whens[c];
      if (w < cw || (w === cw && s < seqs[c])) break;
      whens[i] = cw;
      seqs[i] = seqs[c];
      slotOf[i] = slotOf[c];
      i = c;
    }
    whens[i] = w;
    seqs[i] = s;
    slotOf[i] = slot;
    return top;
  }

  private grow(): void {
    const cap = this.whens.length * 2;
    const whens = new Float64Array(cap);
    whens.set(this.whens);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    const slotOf = new Int32Array(cap);
    slotOf.set(this.slotOf);
    this.whens = whens;
    this.seqs = seqs;
    this.slotOf = slotOf;
  }

  // asyncio rebuilds its heap when more than half of it is cancelled timers, so that a program
  // that keeps cancelling timeouts does not grow the heap without bound.
  private maybeCompact(): void {
    if (this.cancelledCount < 100 || this.cancelledCount * 2 < this.n) return;
    const live: TimerHandle[] = [];
    for (let i = 0; i < this.n; i++) {
      const t = this.at(i);
      if (t._cancelled) t._scheduled = false;
      else live.push(t);
    }
    this.slots = [];
    this.freeSlots = [];
    this.n = 0;
    this.cancelledCount = 0;
    for (const t of live) this.push(t);
  }
}
