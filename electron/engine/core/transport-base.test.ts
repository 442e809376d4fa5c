// A sink with `traffic` (shared/engine/traffic-sink.ts) takes each chunk of traffic as bytes instead
// of a transport-data event: it must hear the same stream, in the same order, as a plain sink does.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import type { TrafficSink } from '../../../shared/engine/traffic-sink';
import type { TransportDataEvent } from '../../../shared/engine/transport-events';
import { encodeBytes } from '../../../shared/engine/base64';
import { createMemoryTransportPair, newEventLoop, Protocol, setEventLoop, sleep, type BaseEventLoop } from '../index';

afterEach(() => {
  setEventLoop(null);
  vi.restoreAllMocks();
});

/** One transport of a memory pair writing to the other, a reused buffer among its writes. */
async function exchange(loop: BaseEventLoop): Promise<void> {
  const [ta, tb] = createMemoryTransportPair(loop, new Protocol(), new Protocol());
  await loop.runUntilComplete(sleep(0));
  const reused = new TextEncoder().encode('first');
  ta.write(reused);
  reused.set(new TextEncoder().encode('AGAIN'));
  ta.write(reused);
  ta.write(Uint8Array.from({ length: 300 }, (_, i) => i & 0xff));
  await loop.runUntilComplete(sleep(0));
  ta.close();
  tb.close();
  await loop.runUntilComplete(sleep(0));
  loop.close();
}

describe('traffic given to a sink as bytes', () => {
  it('is the same stream as transport-data events, with each chunk as it was when written', async () => {
    const plain: EngineEvent[] = [];
    const loopA = newEventLoop({ clock: 'virtual' });
    loopA.setEventSink((e) => plain.push(e));
    await exchange(loopA);

    const heard: EngineEvent[] = [];
    const sink: TrafficSink = (e) => heard.push(e);
    sink.traffic = (time, transportId, kind, direction, bytes, fd, addr) => {
      const event: TransportDataEvent = { type: 'transport-data', time, transportId, kind, direction, data: encodeBytes(bytes), size: bytes.length };
      if (fd !== undefined) event.fd = fd;
      if (addr !== undefined) event.addr = addr;
      heard.push(event);
    };
    const loopB = newEventLoop({ clock: 'virtual' });
    loopB.setEventSink(sink);
    await exchange(loopB);

    expect(plain.filter((e) => e.type === 'transport-data')).toHaveLength(6);
    // Task names count across loops (Task-3, Task-6): the rest must be equal.
    const unnamed = (events: EngineEvent[]) => JSON.parse(JSON.stringify(events).replace(/Task-\d+/g, 'Task')) as unknown;
    expect(unnamed(heard)).toEqual(unnamed(plain));
  });

  it('detaches a sink whose traffic raises, as one whose events raise', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log = vi.spyOn(loop._platform, 'log').mockImplementation(() => {});
    const sink: TrafficSink = () => {};
    sink.traffic = () => {
      throw new Error('broken sink');
    };
    loop.setEventSink(sink);
    await exchange(loop);
    expect(loop.getEventSink()).toBeNull();
    expect(log.mock.calls.map((call) => call[1])).toEqual(['The event sink raised and was detached']);
  });
});
