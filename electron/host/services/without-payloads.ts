import type { EngineEvent } from '../../../shared/engine/events';
import type { RunListener } from '../runs/run-manager';

/**
 * A listener that hears a run's events with the traffic's bytes left out: each `transport-data`
 * becomes the `transport-traffic` event that counts the same bytes. This is the `callbacks` detail
 * level for a TypeScript scenario (a Python run's shim leaves the bytes out itself), so neither the
 * windows nor a recording ever hold what the program sent or received.
 */
export function withoutPayloads(listener: RunListener): RunListener {
  // Without `eventBatch`, a worker's run parses its events and they pass through here.
  const { events, eventBatch: _text, ...rest } = listener;
  if (!events) return rest;
  return { ...rest, events: (batch, dropped) => events(batch.map(dropPayload), dropped) };
}

function dropPayload(event: EngineEvent): EngineEvent {
  if (event.type !== 'transport-data') return event;
  const { data: _data, ...counted } = event;
  return { ...counted, type: 'transport-traffic' };
}
