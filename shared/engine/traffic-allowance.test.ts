import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './events';
import { fitConnectionTraffic, fitTraffic } from './traffic-allowance';
import { encodeBytes } from './base64';

const data = (transportId: number, text: string): EngineEvent => ({
  type: 'transport-data',
  time: 1,
  transportId,
  kind: 'tcp',
  direction: 'out',
  data: encodeBytes(new TextEncoder().encode(text)),
  size: text.length,
});
const note: EngineEvent = { type: 'transport-eof', time: 2, transportId: 1, direction: 'out' };

describe('fitTraffic', () => {
  it('passes a batch that fits untouched', () => {
    const events = [data(1, 'hello'), note];
    expect(fitTraffic(events, 100)).toEqual({ events, used: 8 });
    expect(fitTraffic(events, 100).events).toBe(events);
  });

  it('counts the bytes past the allowance without them, in order, from the first that does not fit', () => {
    const events = [data(1, 'aaa'), data(2, 'bbbbbbbbb'), data(1, 'c'), note];
    const { events: fitted, used } = fitTraffic(events, 10);
    expect(used).toBe(4);
    expect(fitted.map((e) => e.type)).toEqual(['transport-data', 'transport-traffic', 'transport-traffic', 'transport-eof']);
    expect(fitted[1]).toEqual({ type: 'transport-traffic', time: 1, transportId: 2, kind: 'tcp', direction: 'out', size: 9 });
    expect(fitted[2]).toMatchObject({ transportId: 1, size: 1 });
    // The batch it was given is left as it was.
    expect(events[1].type).toBe('transport-data');
  });
});

describe('fitConnectionTraffic (a connection the host opened to a run)', () => {
  const event = (kind: string, data?: string) => ({ runId: 'r', connectionId: 1, kind, ...(data !== undefined ? { data, size: 3 } : {}), time: 5 });

  it('lets bytes that fit travel and says how much of the allowance they used', () => {
    const e = event('data', 'YWJj');
    expect(fitConnectionTraffic(e, 4)).toEqual({ payload: e, used: 4 });
  });

  it('sends data past the allowance with its size only', () => {
    const { payload, used } = fitConnectionTraffic(event('data', 'YWJj'), 3);
    expect(used).toBe(0);
    expect(payload).toEqual({ runId: 'r', connectionId: 1, kind: 'data', size: 3, time: 5 });
  });

  it('never holds back the life of the connection', () => {
    for (const kind of ['open', 'eof', 'close', 'error']) expect(fitConnectionTraffic(event(kind), 0)).toEqual({ payload: event(kind), used: 0 });
  });
});
