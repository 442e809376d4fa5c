// The words of a Platform.eventTick buffer, shared by a loop and the thread that ticks it (the host's
// electron/host/runs/event-tick.ts). The thread rests while no loop has asked for ticks for a while,
// so that an idle run costs no wake-ups; a loop asks as each drain begins.

/** The tick count: moved by the thread about once a millisecond. */
export const TICK_COUNT = 0;
/** Set by the host to end the thread. */
export const TICK_STOP = 1;
/** Set by a loop that times events by the tick (a drain began); taken back by the thread each tick. */
export const TICK_WANTED = 2;
/** 1 while the thread rests: the count stands still then, and says nothing of the time. */
export const TICK_RESTING = 3;
/** Words in the buffer. */
export const TICK_WORDS = 4;

/** Whether a clock reading taken when the count was `seen` is still within a tick of now. */
export function tickStands(word: Int32Array, seen: number): boolean {
  return word[TICK_COUNT] === seen && word[TICK_RESTING] === 0;
}

/** Asks the thread for ticks, waking it if it rests (once: a set flag is left alone). */
export function wantTicks(word: Int32Array): void {
  if (word[TICK_WANTED] !== 0) return;
  Atomics.store(word, TICK_WANTED, 1);
  if (Atomics.load(word, TICK_RESTING) === 1) Atomics.notify(word, TICK_WANTED);
}
