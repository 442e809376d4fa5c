import type { EngineEvent } from './events';

/**
 * Fits a batch of events into an allowance of traffic bytes (base64 characters, what travels):
 * `transport-data` events are kept in order while they fit; from the first one that does not, every
 * later one in the batch travels as the `transport-traffic` event that counts the same bytes without
 * them, so the counters stay exact and the terminal can say what it was not sent. Other events pass
 * as they are. Returns the same array when nothing was cut.
 */
export function fitTraffic(events: EngineEvent[], allowance: number): { events: EngineEvent[]; used: number } {
  let used = 0;
  let cut: EngineEvent[] | null = null;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.type !== 'transport-data') {
      cut?.push(event);
      continue;
    }
    if (cut === null && used + event.data.length <= allowance) {
      used += event.data.length;
      continue;
    }
    cut ??= events.slice(0, i);
    const { data: _bytes, ...counted } = event;
    cut.push({ ...counted, type: 'transport-traffic' });
  }
  return { events: cut ?? events, used };
}

/** What fitConnectionTraffic needs of a host connection's event (shared/runs/run.ts). */
interface ConnectionTraffic {
  kind: string;
  data?: string;
}

/**
 * The same allowance for a connection the host opened to a run (Connect), one event at a time: its
 * bytes travel while they fit, else the event goes without them (its `size` still counts them).
 */
export function fitConnectionTraffic<E extends ConnectionTraffic>(event: E, allowance: number): { payload: E; used: number } {
  if (event.kind !== 'data' || event.data === undefined) return { payload: event, used: 0 };
  if (event.data.length <= allowance) return { payload: event, used: event.data.length };
  const { data: _bytes, ...counted } = event;
  return { payload: counted as E, used: 0 };
}
