import { describe, expect, it } from 'vitest';
import { encodeEvent, eventLine } from '../../../shared/engine/event-lines';
import { EVENT_SAMPLES } from '../../../shared/engine/event-samples';
import { EventLineWriter } from './event-line-writer';

const textOf = (writer: EventLineWriter) => Buffer.from(writer.take().bytes).toString('utf8');

describe('the event line writer', () => {
  it('writes each event as eventLine frames it, and ends each line where it says', () => {
    // Room for one short line at first: it grows as needed.
    const writer = new EventLineWriter(1, 16);
    for (const e of EVENT_SAMPLES) writer.add(e);
    const { bytes, ends, count } = writer.take();
    expect(count).toBe(EVENT_SAMPLES.length);
    let start = 0;
    for (const [i, e] of EVENT_SAMPLES.entries()) {
      expect(Buffer.from(bytes.subarray(start, ends[i])).toString('utf8')).toBe(eventLine(e));
      start = ends[i];
    }
  });

  it('writes traffic from a stretch of a buffer, its base64 made here, and an event given as its text', () => {
    const writer = new EventLineWriter();
    const payloads = Buffer.from('..hello, world..', 'latin1');
    writer.traffic(3.25, 7, 'udp', 'out', payloads, 2, 14, undefined, '127.0.0.1:9');
    writer.traffic(3.25, 8, 'pipe', 'in', payloads, 0, 0, 1, undefined);
    const other = EVENT_SAMPLES.find((e) => e.type === 'loop-state')!;
    writer.addText(encodeEvent(other));
    expect(textOf(writer)).toBe(
      eventLine({ type: 'transport-data', time: 3.25, transportId: 7, kind: 'udp', direction: 'out', data: Buffer.from('hello, world').toString('base64'), size: 12, addr: '127.0.0.1:9' }) +
        eventLine({ type: 'transport-data', time: 3.25, transportId: 8, kind: 'pipe', direction: 'in', data: '', size: 0, fd: 1 }) +
        eventLine(other),
    );
  });
});
