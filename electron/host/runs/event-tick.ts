// The tick that scenario workers time their events by (Platform.eventTick): a word in shared memory
// that a thread of its own increments every millisecond while any observed run lives. A loop reads
// the clock after a callback only when the word moved, so a busy run pays one clock read (about
// 35 ns, as much as a small callback) per millisecond rather than per callback, and a callback that
// runs long still ends with a fresh reading. One thread serves every run of the process.
import { Worker } from 'node:worker_threads';

/** Indices in the tick's buffer: the count, and the word that tells the thread to end. */
const TICK = 0;
const STOP = 1;
/** Milliseconds between ticks: what an event's time can be early by (plus the thread's wake-up delay). */
export const EVENT_TICK_MS = 1;

// CommonJS, as an eval'd worker is. Waiting on STOP both sleeps a tick and ends at once when told.
const TICKER = `
const { workerData } = require('node:worker_threads');
const word = new Int32Array(workerData.buffer);
while (Atomics.load(word, ${STOP}) === 0) {
  Atomics.wait(word, ${STOP}, 0, workerData.periodMs);
  Atomics.add(word, ${TICK}, 1);
}`;

let current: { buffer: SharedArrayBuffer; users: number } | null = null;

/** The tick's buffer for one more run (starting the thread for the first); `releaseEventTick` it after. */
export function acquireEventTick(): SharedArrayBuffer {
  if (current === null) {
    const buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    const thread = new Worker(TICKER, { eval: true, workerData: { buffer, periodMs: EVENT_TICK_MS }, stdout: true, stderr: true });
    // A clock must not keep the process alive, nor fail it: without ticks, times are only older.
    thread.unref();
    thread.on('error', () => {});
    current = { buffer, users: 0 };
  }
  current.users++;
  return current.buffer;
}

/** Gives back what `acquireEventTick` returned; the thread ends with its last run. */
export function releaseEventTick(buffer: SharedArrayBuffer): void {
  if (current === null || current.buffer !== buffer || --current.users > 0) return;
  const word = new Int32Array(buffer);
  Atomics.store(word, STOP, 1);
  Atomics.notify(word, STOP);
  current = null;
}
