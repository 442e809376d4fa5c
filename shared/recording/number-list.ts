/** A growable list of numbers kept in a typed array (a million entries cost 8 MB, not 30). */
export class NumberList {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  /** A copy of the entries, exactly as long as the list. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
  at(i: number): number {
    return this.data[i];
  }
  /** The index of the last entry <= value (entries ascending), or -1. */
  lastAtOrBefore(value: number): number {
    let lo = 0;
    let hi = this.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.data[mid] <= value) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
  /** The entries, at most `max` of them evenly spread (for drawing ticks). */
  sample(max: number): number[] {
    if (this.length <= max) return Array.from(this.data.subarray(0, this.length));
    const out: number[] = [];
    const step = this.length / max;
    for (let i = 0; i < max; i++) out.push(this.data[Math.floor(i * step)]);
    return out;
  }
}
