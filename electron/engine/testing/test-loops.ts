// Loops for the engine's own tests: a virtual-clock loop made current, a Node loop run around one
// coroutine and closed after it, a platform that keeps the loop's log out of the test output.
import { _getRunningLoop, _setRunningLoop } from '../core/events';
import type { BaseEventLoop } from '../core/base-events';
import type { Platform } from '../core/platform';
import { newEventLoop, setEventLoop } from '../index';
import { NodeEventLoop } from '../node/node-events';
import { nodePlatform } from '../node/node-platform';

/** The Node platform with the loop's log silenced (tests assert on behaviour, not on log lines). */
export const quietPlatform: Platform = { ...nodePlatform, log: () => {} };

/** The Node platform with the loop's log messages collected into `logged`. */
export function collectingPlatform(logged: string[]): Platform {
  return { ...nodePlatform, log: (_level, message) => void logged.push(message) };
}

/** A new loop on `clock` (virtual by default), made the current loop as asyncio's set_event_loop. */
export function loopForTest(clock: 'virtual' | 'real' = 'virtual'): BaseEventLoop {
  const loop = newEventLoop({ clock });
  setEventLoop(loop);
  return loop;
}

/** Forgets the running and the current loop, so one test's loop never leaks into the next. */
export function resetLoops(): void {
  if (_getRunningLoop() !== null) _setRunningLoop(null);
  setEventLoop(null);
}

/** Runs `main` as the only coroutine of a fresh NodeEventLoop, which is closed afterwards. */
export async function inLoop<T>(main: (loop: NodeEventLoop) => Promise<T>, options: { clock?: 'real' | 'virtual'; platform?: Platform } = {}): Promise<T> {
  const loop = new NodeEventLoop(options.clock ? { clock: options.clock } : {}, options.platform ?? quietPlatform);
  try {
    return await loop.runUntilComplete(() => main(loop));
  } finally {
    loop.close();
  }
}

/** Latin-1 text as bytes, byte for byte (binary-safe round trips in tests). */
export const bytesOf = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Bytes as Latin-1 text, byte for byte. */
export const textOf = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
