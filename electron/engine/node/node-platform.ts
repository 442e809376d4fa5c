// The Node implementation of the core's Platform: performance.now() for the real clock,
// setTimeout for waiting on the next timer, setImmediate for giving Node's event loop a turn
// (so socket and process callbacks can run), and the console for the loop's log.
import { performance } from 'node:perf_hooks';
import type { LogLevel, Platform } from '../core/platform';

const RESOLVED = Promise.resolve();

/** The platform every loop built by `newEventLoop()` uses under Node. */
export const nodePlatform: Platform = {
  monotonic(): number {
    return performance.now() / 1000;
  },
  setTimer(delay: number, callback: () => void): () => void {
    // Round up: Node timers have 1 ms resolution, and waking early would only spin the loop.
    const timer = setTimeout(callback, Math.max(0, Math.ceil(delay * 1000)));
    return () => clearTimeout(timer);
  },
  defer(callback: () => void): void {
    setImmediate(callback);
  },
  queueMicrotask(callback: () => void): void {
    // A resolved promise's then() queues a plain V8 microtask; Node's queueMicrotask also creates an
    // AsyncResource per call, which the loop (one microtask per native task step) cannot afford.
    void RESOLVED.then(callback);
  },
  log(level: LogLevel, message: string, ...details: unknown[]): void {
    const write = level === 'error' ? console.error : level === 'warn' ? console.warn : level === 'info' ? console.info : console.debug;
    write(message, ...details);
  },
};
