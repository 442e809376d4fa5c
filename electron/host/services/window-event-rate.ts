// What a window is sent of a run's events: at most WINDOW_EVENTS_PER_SECOND (a second's worth may
// come at once). A busy run emits millions a second; parsing them all for a window that shows a few
// dozen rows, and the window taking them in, took the machine's cores from the run itself (a
// million callbacks, recorded and watched: 2.85 s from Run to Finished with every event sent, 1.9 s
// at this rate, 2.1 s at twice it). Past the rate, each batch's newest events go (the end of a run,
// the moment it paused) and the older ones are counted as dropped, which the window says. The
// recording keeps every event.
import type { EngineEvent } from '../../../shared/engine/events';
import { parseEncodedEvents, sliceEncodedEvents } from '../runs/event-batch';
import { runEnded } from '../../../shared/runs/run';
import type { RunListener } from '../runs/run-manager';

/** Events a window is sent per run and second at most. */
export const WINDOW_EVENTS_PER_SECOND = 50_000;

/** `listener`, whose events come at most `perSecond` a second; `now` is a clock in milliseconds. */
export function eventRateLimited(listener: RunListener, perSecond = WINDOW_EVENTS_PER_SECOND, now: () => number = () => performance.now()): RunListener {
  const events = listener.events;
  if (!events) return listener;
  let allowance = perSecond;
  let at = now();
  let dropped = 0;
  /** How many of `count` events may go now (the newest); the others are counted. */
  const allow = (count: number): number => {
    const t = now();
    allowance = Math.min(perSecond, allowance + ((t - at) / 1000) * perSecond);
    at = t;
    const n = Math.min(count, Math.floor(allowance));
    allowance -= n;
    dropped += count - n;
    return n;
  };
  const send = (kept: EngineEvent[]): void => {
    const before = dropped;
    dropped = 0;
    events(kept, before);
  };
  return {
    ...listener,
    events: (batch) => {
      const n = allow(batch.length);
      if (n > 0) send(n === batch.length ? batch : batch.slice(batch.length - n));
    },
    // Only what goes is parsed.
    eventBatch: (batch) => {
      const n = allow(batch.count);
      if (n > 0) send(parseEncodedEvents(n === batch.count ? batch : sliceEncodedEvents(batch, batch.count - n, batch.count)));
    },
    state: (state, detail) => {
      // The last drops are said before the end.
      if (dropped > 0 && runEnded(state)) send([]);
      listener.state?.(state, detail);
    },
  };
}
