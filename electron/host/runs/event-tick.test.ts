import { describe, expect, it } from 'vitest';
import { acquireEventTick, releaseEventTick } from './event-tick';

/** Resolves once `word[0]` has moved `ticks` times (the bound is generous: a loaded machine is slow, not wrong). */
async function ticked(word: Int32Array, ticks: number, withinMs = 10_000): Promise<boolean> {
  const from = Atomics.load(word, 0);
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (Atomics.load(word, 0) - from >= ticks) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

describe('the event tick', () => {
  it('moves while a run holds it, is shared by the runs at once, and stops with the last', async () => {
    const a = acquireEventTick();
    const b = acquireEventTick();
    expect(b).toBe(a);
    const word = new Int32Array(a);
    expect(await ticked(word, 5)).toBe(true);
    releaseEventTick(a);
    // One run still holds it.
    expect(await ticked(word, 5)).toBe(true);
    releaseEventTick(b);
    // The thread is told to end; give it the time of a few ticks to do so, then it stands still.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = Atomics.load(word, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Atomics.load(word, 0)).toBe(stopped);
    // The next run gets a thread (and a word) of its own.
    const c = acquireEventTick();
    expect(c).not.toBe(a);
    expect(await ticked(new Int32Array(c), 2)).toBe(true);
    releaseEventTick(c);
  });

  it('ignores a buffer given back twice or not its own', () => {
    const a = acquireEventTick();
    releaseEventTick(new SharedArrayBuffer(8));
    expect(Atomics.load(new Int32Array(a), 1)).toBe(0);
    releaseEventTick(a);
    releaseEventTick(a);
    expect(Atomics.load(new Int32Array(a), 1)).toBe(1);
  });
});
