import { describe, expect, it } from 'vitest';
import { TICK_COUNT, TICK_RESTING, TICK_STOP, wantTicks } from '../../engine/core/event-tick';
import { EVENT_TICK_IDLE, eventTick, stopEventTick } from './event-tick';

/** Resolves once `test()` holds, polling (false if it never did within the bound). */
async function eventually(test: () => boolean, withinMs = 10_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (test()) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

/** Resolves once the tick count has moved `ticks` times (the bound is generous: a loaded machine is slow, not wrong). */
function ticked(word: Int32Array, ticks: number): Promise<boolean> {
  const from = Atomics.load(word, TICK_COUNT);
  return eventually(() => Atomics.load(word, TICK_COUNT) - from >= ticks);
}

describe('the event tick', () => {
  it('is one thread for the runs of a process, and moves while a loop asks for it', async () => {
    const a = eventTick()!;
    expect(eventTick()).toBe(a);
    const word = new Int32Array(a);
    wantTicks(word);
    expect(await ticked(word, 5)).toBe(true);
  });

  it('rests when no loop has asked for ticks for a while, and wakes when one does', async () => {
    const word = new Int32Array(eventTick()!);
    // Nobody asks: after EVENT_TICK_IDLE ticks the thread rests, and the count stands still.
    expect(await eventually(() => Atomics.load(word, TICK_RESTING) === 1)).toBe(true);
    const resting = Atomics.load(word, TICK_COUNT);
    expect(resting).toBeGreaterThanOrEqual(EVENT_TICK_IDLE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Atomics.load(word, TICK_COUNT)).toBe(resting);
    wantTicks(word);
    expect(await ticked(word, 3)).toBe(true);
    expect(Atomics.load(word, TICK_RESTING)).toBe(0);
  });

  it('once ended, says it rests for good (loops read the clock), and the next call starts another', async () => {
    const a = eventTick()!;
    const word = new Int32Array(a);
    stopEventTick();
    expect(Atomics.load(word, TICK_STOP)).toBe(1);
    expect(await eventually(() => Atomics.load(word, TICK_RESTING) === 1)).toBe(true);
    const stopped = Atomics.load(word, TICK_COUNT);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Atomics.load(word, TICK_COUNT)).toBe(stopped);
    const b = eventTick()!;
    expect(b).not.toBe(a);
    wantTicks(new Int32Array(b));
    expect(await ticked(new Int32Array(b), 2)).toBe(true);
    stopEventTick();
    stopEventTick();
  });
});
