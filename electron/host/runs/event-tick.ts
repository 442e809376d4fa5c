// The tick that scenario workers time their events by (Platform.eventTick; its words are in
// electron/engine/core/event-tick.ts): a count in shared memory that a thread of its own moves every
// millisecond. A loop reads the clock after a callback only when the count moved, so a busy run pays
// one clock read (about 35 ns, as much as a small callback) per millisecond rather than per
// callback, and a callback that runs long still ends at a fresh reading. One thread serves every run
// of the process, and it rests while no loop has run for a while, so idle runs cost no wake-ups.
import { Worker } from 'node:worker_threads';
import { TICK_COUNT, TICK_RESTING, TICK_STOP, TICK_WANTED, TICK_WORDS } from '../../engine/core/event-tick';

/** Milliseconds between ticks: what an event's time can be early by (plus the thread's wake-up delay). */
export const EVENT_TICK_MS = 1;
/** Ticks without a loop asking for them, after which the thread rests. */
export const EVENT_TICK_IDLE = 50;

// CommonJS, as an eval'd worker is. Waiting on STOP both sleeps a tick and ends at once when told;
// resting waits until a loop sets WANTED (at once if it is set already).
const TICKER = `
const { workerData } = require('node:worker_threads');
const word = new Int32Array(workerData.buffer);
let idle = 0;
while (Atomics.load(word, ${TICK_STOP}) === 0) {
  Atomics.wait(word, ${TICK_STOP}, 0, workerData.periodMs);
  Atomics.add(word, ${TICK_COUNT}, 1);
  if (Atomics.exchange(word, ${TICK_WANTED}, 0) !== 0) idle = 0;
  else if (++idle >= workerData.idleTicks) {
    Atomics.store(word, ${TICK_RESTING}, 1);
    Atomics.wait(word, ${TICK_WANTED}, 0);
    Atomics.store(word, ${TICK_RESTING}, 0);
    idle = 0;
  }
}`;

let current: SharedArrayBuffer | null = null;

/**
 * The tick's buffer, the thread started on the first call. It lives as long as the process (it rests
 * while no loop asks for ticks, and does not keep the process alive): starting one per run and
 * ending it after cost every stop a few milliseconds. Null when no thread can be started: a run's
 * loop then reads the clock for every callback.
 */
export function eventTick(): SharedArrayBuffer | null {
  if (current !== null) return current;
  const buffer = new SharedArrayBuffer(TICK_WORDS * Int32Array.BYTES_PER_ELEMENT);
  let thread: Worker;
  try {
    thread = new Worker(TICKER, { eval: true, workerData: { buffer, periodMs: EVENT_TICK_MS, idleTicks: EVENT_TICK_IDLE }, stdout: true, stderr: true });
  } catch {
    return null;
  }
  thread.unref();
  // A clock must not fail the process. Once the thread is gone, its count says it rests for good, so
  // the loops still using it read the clock for every callback, and the next run gets a new thread.
  thread.on('error', () => {});
  thread.on('exit', () => {
    Atomics.store(new Int32Array(buffer), TICK_RESTING, 1);
    if (current === buffer) current = null;
  });
  current = buffer;
  return buffer;
}

/** Ends the thread (a host that shuts down, a test); the next `eventTick()` starts another. */
export function stopEventTick(): void {
  if (current === null) return;
  const word = new Int32Array(current);
  Atomics.store(word, TICK_STOP, 1);
  Atomics.notify(word, TICK_STOP);
  // A resting thread waits on WANTED.
  Atomics.store(word, TICK_WANTED, 1);
  Atomics.notify(word, TICK_WANTED);
  current = null;
}
