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
