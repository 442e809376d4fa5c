import { describe, expect, it } from 'vitest';
import { TICK_COUNT, TICK_RESTING, TICK_STOP, wantTicks } from '../../engine/core/event-tick';
import { EVENT_TICK_IDLE, acquireEventTick, releaseEventTick } from './event-tick';

/** Resolves once `test()` holds, polling (false if it never did within the bound). */
async function eventually(test: () => boolean, withinMs = 10_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (test()) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

/** Resolves once `word[0]` has moved `ticks` times (the bound is generous: a loaded machine is slow, not wrong). */
async function ticked(word: Int32Array, ticks: number, withinMs = 10_000): Promise<boolean> {
  const from = Atomics.load(word, 0);
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (Atomics.load(word, TICK_COUNT) - from >= ticks) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

describe('the event tick', () => {
  it('moves while a loop asks for it, is shared by the runs at once, and stops with the last', async () => {
    const a = acquireEventTick()!;
    const b = acquireEventTick()!;
    expect(b).toBe(a);
    const word = new Int32Array(a);
    wantTicks(word);
    expect(await ticked(word, 5)).toBe(true);
    releaseEventTick(a);
    // One run still holds it.
    wantTicks(word);
    expect(await ticked(word, 5)).toBe(true);
    releaseEventTick(b);
    // The thread is told to end; once gone, its count says it rests for good (loops read the clock).
    expect(await eventually(() => Atomics.load(word, TICK_RESTING) === 1)).toBe(true);
    const stopped = Atomics.load(word, TICK_COUNT);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Atomics.load(word, TICK_COUNT)).toBe(stopped);
    // The next run gets a thread (and a word) of its own.
    const c = acquireEventTick()!;
    expect(c).not.toBe(a);
    wantTicks(new Int32Array(c));
    expect(await ticked(new Int32Array(c), 2)).toBe(true);
    releaseEventTick(c);
  });

  it('rests when no loop has asked for ticks for a while, and wakes when one does', async () => {
    const buffer = acquireEventTick()!;
    const word = new Int32Array(buffer);
    // Nobody asks: after EVENT_TICK_IDLE ticks the thread rests, and the count stands still.
    expect(await eventually(() => Atomics.load(word, TICK_RESTING) === 1)).toBe(true);
    const resting = Atomics.load(word, TICK_COUNT);
    expect(resting).toBeGreaterThanOrEqual(EVENT_TICK_IDLE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Atomics.load(word, TICK_COUNT)).toBe(resting);
    wantTicks(word);
    expect(await ticked(word, 3)).toBe(true);
    expect(Atomics.load(word, TICK_RESTING)).toBe(0);
    releaseEventTick(buffer);
  });

  it('ignores a buffer given back twice or not its own', () => {
    const a = acquireEventTick()!;
    releaseEventTick(new SharedArrayBuffer(16));
    expect(Atomics.load(new Int32Array(a), TICK_STOP)).toBe(0);
    releaseEventTick(a);
    releaseEventTick(a);
    expect(Atomics.load(new Int32Array(a), TICK_STOP)).toBe(1);
  });
});
