import type { EventSink } from './events';
import type { TransportKind } from './transport-events';

/**
 * Takes one chunk of traffic as its bytes: the `transport-data` event `{ type: 'transport-data',
 * time, transportId, kind, direction, data: <base64 of bytes>, size: bytes.length, fd?, addr? }`.
 * `bytes` is the transport's own and may change after the call: copy what is kept.
 */
export type TrafficReceiver = (
  time: number,
  transportId: number,
  kind: TransportKind,
  direction: 'in' | 'out',
  bytes: Uint8Array,
  fd: number | undefined,
  addr: string | undefined,
) => void;

/**
 * An event sink that may also take traffic as bytes: a transport then calls `traffic` instead of
 * building the `transport-data` event, so neither the object nor the base64 of each chunk is made
 * on the loop's thread (a scenario worker leaves the base64 to the host, see event-lines.ts).
 * Every other event, and the traffic of a sink without `traffic`, goes to the sink as before.
 */
export type TrafficSink = EventSink & { traffic?: TrafficReceiver };
