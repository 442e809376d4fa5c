// The core cannot see Node: time, waiting and logging come from an injected platform, the way
// asyncio's loop gets its waiting from a selector. electron/engine/node/node-platform.ts is the
// Node implementation; tests may pass their own.

/** Severity of a message the loop logs (the default exception handler, debug warnings). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** What the loop core needs from its host. */
export interface Platform {
  /** Monotonic real time in seconds (a float), the real clock's source. */
  monotonic(): number;
  /**
   * Calls `callback` once after `delay` seconds of real time (a finite, non-negative number) and
   * returns a function that cancels the call. The loop waits for its next timer with this.
   */
  setTimer(delay: number, callback: () => void): () => void;
  /** Calls `callback` on the host's next turn, after the I/O callbacks that are due (setImmediate). */
  defer(callback: () => void): void;
  /** Queues a microtask. */
  queueMicrotask(callback: () => void): void;
  /** Writes a message from the loop to the host's log (there is no console in the core). */
  log(level: LogLevel, message: string, ...details: unknown[]): void;
  /**
   * Optional: a tick count that another thread moves about once a millisecond (the words are in
   * event-tick.ts). A loop with an event sink then reads the clock after a callback only when the
   * count moved since its last reading, and otherwise gives the event that reading: a clock read
   * costs about 35 ns, as much as a small callback, and a busy loop finishes millions of callbacks a
   * second. An event's time is then early by at most about one tick; the first event of each drain
   * reads the clock, and so does every event while the ticking thread rests.
   */
  eventTick?: Int32Array | null;
}
