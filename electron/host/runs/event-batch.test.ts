import { describe, expect, it } from 'vitest';
import { eventLine, type EncodedEvents } from '../../../shared/engine/event-lines';
import { EVENT_SAMPLES } from '../../../shared/engine/event-samples';
import { engineEventSchema, type EngineEvent } from '../../../shared/engine/events';
import type { TransportDataEvent } from '../../../shared/engine/transport-events';
import { encodeBytes } from '../../../shared/engine/base64';
import { MAX_HELD_RUN } from '../../engine/core/callback-events';
import { newEventLoop } from '../../engine/index';
import { EventBatch, batchSink, completeEncodedEvents, parseEncodedEvents, sliceEncodedEvents } from './event-batch';

/** The batch's text as the host writes it, after checking that its `ends` mark where each line ends. */
function text(batch: EncodedEvents | null): string | null {
  if (batch === null) return null;
  completeEncodedEvents(batch);
  expect(batch.records).toBeUndefined();
  const all = Buffer.from(batch.bytes).toString('utf8');
  const lines = all.split('\n');
  expect(lines.pop()).toBe('');
  expect(batch.ends).toHaveLength(batch.count);
  expect(lines).toHaveLength(batch.count);
  let start = 0;
  for (let i = 0; i < batch.count; i++) {
    const own = Buffer.from(batch.bytes.subarray(start, batch.ends[i])).toString('utf8');
    expect(own).toBe(`${lines[i]}\n`);
    start = batch.ends[i];
  }
  return all;
}

const linesOf = (events: EngineEvent[]) => events.map(eventLine).join('');

function batchOf(events: EngineEvent[]): string | null {
  const batch = new EventBatch();
  for (const e of events) batch.add(e);
  expect(batch.count).toBe(events.length);
  return text(batch.take());
}

describe("the worker's event batch, as the host writes it", () => {
  it('is every kind of event byte for byte as eventLine frames it, one line each', () => {
    for (const event of EVENT_SAMPLES) expect(batchOf([event]), event.type).toBe(eventLine(event));
    const batch = new EventBatch();
    for (const e of EVENT_SAMPLES) batch.add(e);
    const encoded = batch.take()!;
    expect(text(encoded)).toBe(linesOf(EVENT_SAMPLES));
    const parsed = parseEncodedEvents(encoded);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(EVENT_SAMPLES)));
    for (const event of parsed) expect(engineEventSchema.safeParse(event).success).toBe(true);
  });

  it('holds strings that need escaping or are not ASCII, and times of every shape, as eventLine writes them', () => {
    const events: EngineEvent[] = [];
    for (const s of ['', '"', '\\', '\u0000\u001f', 'tab\there', 'lone \ud800', 'pair 😀', 'é ü ß', '\u2028', 'x'.repeat(5000)]) {
      events.push({ type: 'handle-scheduled', time: 1, id: 1, callback: s, args: s }, { type: 'task-awaiting', time: 1, id: 2, awaiting: s, awaitingId: 3 });
    }
    for (const t of [0, -0, 1e-7, 0.30000000000000004, 1234.5, 98765.000001, 2 ** 40 + 0.5, 1e21, -0.25, Math.PI, Number.MAX_SAFE_INTEGER / 1e6]) {
      events.push({ type: 'handle-started', time: t, id: 2 ** 40 });
    }
    for (let i = 0; i < 1000; i++) events.push({ type: 'handle-finished', time: Math.round(Math.random() * 1e11) / 1e6, id: i });
    expect(batchOf(events)).toBe(linesOf(events));
  });

  it('holds the values that records have no usual place for as eventLine writes them', () => {
    const odd = [
      { type: 'future-state', time: -0, id: 2 ** 53, state: 'finished', failed: false },
      { type: 'timer-scheduled', time: 1, id: 1, callback: 'cb', args: 'x', when: Infinity },
      { type: 'timer-scheduled', time: NaN, id: 1, callback: 'cb', args: 'x', when: -1 },
      { type: 'task-awaiting', time: 1, id: 1, awaiting: 'x', awaitingId: 1.5 },
      { type: 'task-awaiting', time: 1, id: 1, awaiting: 'x', awaitingId: -1 },
      { type: 'iteration-start', time: 1e21, iteration: -3, ready: 0.5, scheduled: 1e300 },
    ] as EngineEvent[];
    expect(batchOf(odd)).toBe(linesOf(odd));
    const batch = new EventBatch();
    batch.traffic(1, 2, 'pipe', 'out', bytesOf(5, 1), -2, undefined);
    expect(text(batch.take())).toBe(eventLine(dataEvent(1, 2, 'pipe', 'out', bytesOf(5, 1), -2)));
  });

  it('starts each batch with its own strings', () => {
    const batch = new EventBatch();
    const first: EngineEvent = { type: 'handle-scheduled', time: 1, id: 1, callback: 'cb', args: 'TcpTransport#7' };
    const second: EngineEvent = { type: 'handle-scheduled', time: 1, id: 2, callback: 'other', args: 'cb' };
    batch.add(first);
    batch.add(first);
    const a = batch.take()!;
    batch.add(second);
    batch.add(first);
    const b = batch.take()!;
    expect(text(a)).toBe(linesOf([first, first]));
    expect(text(b)).toBe(linesOf([second, first]));
  });

  it('grows for a batch larger than its block and loses nothing; an empty batch is null', () => {
    const data = Buffer.alloc(700_000, 7).toString('base64');
    const events: EngineEvent[] = [];
    for (let i = 0; i < 4; i++) events.push({ type: 'transport-data', time: i, transportId: 1, kind: 'tcp', direction: 'out', data, size: 700_000 });
    for (let i = 0; i < 10_000; i++) events.push({ type: 'handle-scheduled', time: i / 1000, id: i, callback: 'noop', args: '' });
    const batch = new EventBatch();
    for (const e of events) batch.add(e);
    const bytes = batch.take()!;
    expect(text(bytes)).toBe(linesOf(events));
    expect(batch.count).toBe(0);
    expect(batch.take()).toBeNull();
    batch.add(events[4]);
    expect(text(batch.take())).toBe(eventLine(events[4]));
  });
});

describe('a slice of an encoded batch', () => {
  it('holds exactly the events from..to of the batch, for every split', () => {
    const batch = new EventBatch();
    const events = EVENT_SAMPLES.slice(0, 6);
    events.forEach((e) => batch.add(e));
    const whole = batch.take()!;
    for (let from = 0; from <= events.length; from++) {
      for (let to = from; to <= events.length; to++) {
        const slice = sliceEncodedEvents(whole, from, to);
        expect(slice.count).toBe(to - from);
        expect(slice.count === 0 ? [] : parseEncodedEvents(slice)).toEqual(events.slice(from, to));
      }
    }
  });
});


/** The event that a `traffic` call stands for (see TrafficSink). */
function dataEvent(time: number, transportId: number, kind: TransportDataEvent['kind'], direction: 'in' | 'out', bytes: Uint8Array, fd?: number, addr?: string): TransportDataEvent {
  const event: TransportDataEvent = { type: 'transport-data', time, transportId, kind, direction, data: encodeBytes(bytes), size: bytes.length };
  if (fd !== undefined) event.fd = fd;
  if (addr !== undefined) event.addr = addr;
  return event;
}

/** Bytes of every value, `size` of them, different for each seed. */
const bytesOf = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + seed * 13) & 0xff);

describe('traffic given as bytes (base64 left to the host)', () => {
  it('is byte for byte the lines of the events it stands for, among other events', () => {
    const batch = new EventBatch();
    const events: EngineEvent[] = [];
    let seed = 0;
    for (const size of [0, 1, 2, 3, 4, 5, 6, 7, 1023, 1024, 1025, 65_536, 700_001]) {
      for (const [kind, fd, addr] of [['tcp'], ['pipe', 2], ['udp', undefined, '127.0.0.1:9999'], ['udp', undefined, 'é "quoted"']] as const) {
        const bytes = bytesOf(size, seed++);
        const time = seed / 7;
        batch.traffic(time, seed, kind, seed % 2 ? 'in' : 'out', bytes, fd, addr);
        events.push(dataEvent(time, seed, kind, seed % 2 ? 'in' : 'out', bytes, fd, addr));
        const other = EVENT_SAMPLES[seed % EVENT_SAMPLES.length];
        batch.add(other);
        events.push(other);
      }
    }
    const encoded = batch.take()!;
    // Every byte, each chunk at a multiple of 3 (two bytes of padding at most before it).
    const sizes = 4 * [0, 1, 2, 3, 4, 5, 6, 7, 1023, 1024, 1025, 65_536, 700_001].reduce((a, b) => a + b);
    expect(encoded.records?.payloads.length).toBeGreaterThanOrEqual(sizes);
    expect(encoded.records?.payloads.length).toBeLessThanOrEqual(sizes + 2 * 4 * 13);
    expect(text(encoded)).toBe(linesOf(events));
    // Writing it twice changes nothing.
    completeEncodedEvents(encoded);
    expect(text(encoded)).toBe(linesOf(events));
  });

  it("carries the bytes of a chunk that repeats the last one (an echo) once, and writes every line as the event's", () => {
    const batch = new EventBatch();
    const events: EngineEvent[] = [];
    const ping = bytesOf(1024, 1);
    const add = (transportId: number, direction: 'in' | 'out', bytes: Uint8Array) => {
      batch.traffic(1, transportId, 'tcp', direction, bytes, undefined, undefined);
      events.push(dataEvent(1, transportId, 'tcp', direction, bytes, undefined, undefined));
    };
    // Out of the client, into the server, back out, into the client: one message, four chunks.
    const message = new Uint8Array(ping);
    add(1, 'out', message);
    add(2, 'in', message);
    // The transport's buffer changes after the call: what the batch holds does not.
    message.fill(0);
    add(2, 'out', ping);
    add(1, 'in', ping);
    add(1, 'out', bytesOf(1024, 2)); // other bytes of the same size
    add(1, 'out', bytesOf(1023, 2)); // another size
    batch.add(EVENT_SAMPLES[0]);
    events.push(EVENT_SAMPLES[0]);
    add(2, 'in', bytesOf(1023, 2)); // the last chunk's bytes, after another event
    add(3, 'out', new Uint8Array(0));
    add(3, 'out', new Uint8Array(0));
    const encoded = batch.take()!;
    // ping, the other 1024 bytes and the 1023: each once.
    expect(encoded.records!.payloads.length).toBeLessThanOrEqual(1024 + 1024 + 1023 + 6);
    expect(text(encoded)).toBe(linesOf(events));
  });

  it('is written by whatever reads the batch first: parsing, or slicing', () => {
    const make = () => {
      const batch = new EventBatch();
      batch.add(EVENT_SAMPLES[0]);
      batch.traffic(1.5, 7, 'tcp', 'out', bytesOf(1000, 1), undefined, undefined);
      batch.traffic(1.5, 7, 'tcp', 'in', bytesOf(10, 2), undefined, undefined);
      return batch.take()!;
    };
    const events = [EVENT_SAMPLES[0], dataEvent(1.5, 7, 'tcp', 'out', bytesOf(1000, 1)), dataEvent(1.5, 7, 'tcp', 'in', bytesOf(10, 2))];
    expect(parseEncodedEvents(make())).toEqual(JSON.parse(JSON.stringify(events)));
    const whole = make();
    expect(parseEncodedEvents(sliceEncodedEvents(whole, 1, 3))).toEqual(events.slice(1));
    expect(parseEncodedEvents(sliceEncodedEvents(whole, 0, 1))).toEqual(JSON.parse(JSON.stringify(events.slice(0, 1))));
  });

  it('copies the bytes when given (a protocol may reuse its buffer), and a batch without traffic carries none', () => {
    const batch = new EventBatch();
    const reused = bytesOf(300, 3);
    const first = Uint8Array.from(reused);
    batch.traffic(2, 1, 'tcp', 'out', reused, undefined, undefined);
    reused.fill(0);
    batch.traffic(2, 1, 'tcp', 'out', reused, undefined, undefined);
    const encoded = batch.take()!;
    expect(new Set(EventBatch.transferList(encoded)).size).toBe(4);
    expect(parseEncodedEvents(encoded)).toEqual([dataEvent(2, 1, 'tcp', 'out', first), dataEvent(2, 1, 'tcp', 'out', reused)]);
    batch.add(EVENT_SAMPLES[0]);
    const plain = batch.take()!;
    expect(plain.records?.payloads).toHaveLength(0);
  });

  it("counts toward the batch's traffic bound as its base64 would, and the sink sends a full batch", () => {
    const batch = new EventBatch();
    let sent = 0;
    const sink = batchSink(batch, () => {
      sent += batch.take()!.count;
    });
    const chunk = bytesOf(3 * 1024, 4);
    // 4 KiB of base64 per call: the bound (1 MiB of base64) is reached at the 256th.
    for (let i = 0; i < 255; i++) sink.traffic!(0, 1, 'tcp', 'in', chunk, undefined, undefined);
    expect(sent).toBe(0);
    sink.traffic!(0, 1, 'tcp', 'in', chunk, undefined, undefined);
    expect(sent).toBe(256);
    sink(EVENT_SAMPLES[0]);
    expect(batch.count).toBe(1);
  });
});

describe("the callbacks' events given as calls (CallbackRecorder)", () => {
  /** Replays `events` into a batch: the three callback kinds as calls, the rest as objects. */
  function recorded(batch: EventBatch, events: EngineEvent[]): void {
    for (const e of events) {
      if (e.type === 'handle-scheduled') batch.handleScheduled(e.time, e.id, e.callback, e.args);
      else if (e.type === 'handle-started') batch.handleStarted(e.time, e.id);
      else if (e.type === 'handle-finished') batch.handleFinished(e.time, e.id);
      else batch.add(e);
    }
  }

  const ran = (time: number, id: number): EngineEvent[] => [
    { type: 'handle-started', time, id },
    { type: 'handle-finished', time, id },
  ];

  it('are the lines of the events they stand for, whatever comes between a start and its end', () => {
    const events: EngineEvent[] = [
      { type: 'iteration-start', time: 1, iteration: 1, ready: 4, scheduled: 0 },
      // A callback that schedules others: its start is written before what it emits.
      { type: 'handle-started', time: 1, id: 1 },
      { type: 'handle-scheduled', time: 1, id: 5, callback: 'noop', args: '' },
      { type: 'handle-scheduled', time: 1, id: 6, callback: 'noop', args: '' },
      { type: 'handle-scheduled', time: 1, id: 7, callback: 'other', args: '42' },
      { type: 'handle-finished', time: 1.25, id: 1 },
      // Callbacks that emit nothing, at one time and across a new reading.
      ...ran(1.25, 2),
      ...ran(1.25, 3),
      { type: 'handle-started', time: 1.25, id: 4 },
      { type: 'handle-finished', time: 2.5, id: 4 },
      // A start whose end is another handle's (the loop never does this; the batch still keeps both).
      { type: 'handle-started', time: 3, id: 8 },
      { type: 'handle-finished', time: 3, id: 9 },
      { type: 'iteration-end', time: 3, iteration: 1, ran: 4 },
      EVENT_SAMPLES[EVENT_SAMPLES.length - 1],
      ...ran(4, 10),
      // What a callback emits as text (an exception) comes after its start too.
      { type: 'handle-started', time: 5, id: 11 },
      { type: 'exception', time: 5, message: 'Exception in callback', exception: 'Error: boom', handleId: 11 },
      { type: 'handle-finished', time: 5, id: 11 },
    ];
    const batch = new EventBatch();
    recorded(batch, events);
    expect(batch.count).toBe(events.length);
    expect(text(batch.take())).toBe(linesOf(events));
  });

  it('cost a count, not a record, for each callback of a run scheduled or run one after the other', () => {
    const batch = new EventBatch();
    for (let id = 1; id <= 1000; id++) batch.handleScheduled(7, id, 'noop', '');
    for (let id = 1; id <= 1000; id++) {
      batch.handleStarted(7, id);
      batch.handleFinished(7, id);
    }
    const encoded = batch.take()!;
    expect(encoded.count).toBe(3000);
    // A Time record (2 numbers), a ScheduledRun (5) and a RanRun (3).
    expect(encoded.records?.numbers).toHaveLength(2 + 5 + 3);
    const lines = parseEncodedEvents(encoded);
    expect(lines.slice(0, 2)).toEqual([
      { type: 'handle-scheduled', time: 7, id: 1, callback: 'noop', args: '' },
      { type: 'handle-scheduled', time: 7, id: 2, callback: 'noop', args: '' },
    ]);
    expect(lines.slice(1000, 1004)).toEqual([...ran(7, 1), ...ran(7, 2)]);
    expect(lines.at(-1)).toEqual({ type: 'handle-finished', time: 7, id: 1000 });
  });

  it('are written by the host as the lines of every event of the run, ids of every length', () => {
    const events: EngineEvent[] = [];
    // Across 9 to 10, 99 to 100, 999 to 1000, and 99999 to 100000 (the copied lines' ids grow a digit).
    for (const [from, to] of [
      [1, 1200],
      [99_990, 100_010],
    ]) {
      for (let id = from; id <= to; id++) events.push({ type: 'handle-scheduled', time: 1.5, id, callback: 'noop', args: '"x", 2' });
      for (let id = from; id <= to; id++) events.push(...ran(1.5, id));
    }
    const batch = new EventBatch();
    recorded(batch, events);
    expect(batch.take()!.records?.numbers.length).toBeLessThan(40);
    const again = new EventBatch();
    recorded(again, events);
    expect(text(again.take())).toBe(linesOf(events));
  });

  it('end a run at whatever the next event does not share with it, and lose none of them', () => {
    const events: EngineEvent[] = [
      { type: 'handle-scheduled', time: 1, id: 1, callback: 'a', args: '' },
      { type: 'handle-scheduled', time: 1, id: 2, callback: 'a', args: '' },
      // Another callback, other args, an id further on, a new time, an event between.
      { type: 'handle-scheduled', time: 1, id: 3, callback: 'b', args: '' },
      { type: 'handle-scheduled', time: 1, id: 4, callback: 'b', args: '1' },
      { type: 'handle-scheduled', time: 1, id: 6, callback: 'b', args: '1' },
      { type: 'handle-scheduled', time: 2, id: 7, callback: 'b', args: '1' },
      { type: 'iteration-start', time: 2, iteration: 1, ready: 7, scheduled: 0 },
      { type: 'handle-scheduled', time: 2, id: 8, callback: 'b', args: '1' },
      ...ran(2, 1),
      ...ran(2, 2),
      // A callback that emits something ends the run of those that did not; so do a gap and a time.
      { type: 'handle-started', time: 2, id: 3 },
      { type: 'handle-scheduled', time: 2, id: 9, callback: 'b', args: '1' },
      { type: 'handle-finished', time: 2, id: 3 },
      ...ran(2, 4),
      ...ran(2, 6),
      ...ran(3, 7),
      ...ran(3, 8),
    ];
    const batch = new EventBatch();
    recorded(batch, events);
    expect(batch.count).toBe(events.length);
    expect(text(batch.take())).toBe(linesOf(events));
  });

  it('given with a count (a run the loop held back) are the lines of every event they stand for', () => {
    const batch = new EventBatch();
    batch.handlesScheduled(1, 95, 10, 'noop', '');
    // Runs of one kind that follow on are one record, however they were given.
    batch.handleScheduled(1, 105, 'noop', '');
    batch.handlesScheduled(1, 106, 3, 'noop', '');
    batch.handleStarted(1, 95);
    batch.handleFinished(1, 95);
    batch.handlesRan(1, 96, 12);
    batch.handlesRan(2, 108, 1);
    expect(batch.count).toBe(14 + 2 * 14);
    const events: EngineEvent[] = [];
    for (let id = 95; id < 109; id++) events.push({ type: 'handle-scheduled', time: 1, id, callback: 'noop', args: '' });
    for (let id = 95; id < 108; id++) events.push(...ran(1, id));
    events.push(...ran(2, 108));
    const taken = batch.take()!;
    expect(taken.records!.numbers.length).toBeLessThan(20);
    expect(text(taken)).toBe(linesOf(events));
  });

  it("take in what a loop holds back before they are counted or taken, and a loop's run is the lines a plain sink's events make", async () => {
    const plain: EngineEvent[] = [];
    const texts: string[] = [];
    const batch = new EventBatch();
    for (const batched of [false, true]) {
      const loop = newEventLoop({ clock: 'virtual' });
      loop.setEventSink(batched ? batchSink(batch, () => texts.push(text(batch.take())!)) : (e) => void plain.push(e));
      const noop = () => {};
      for (let i = 0; i < 3; i++) loop.callSoon(noop);
      if (batched) {
        // Held by the loop: the batch asks for them when counted.
        expect(batch.count).toBe(0);
        batch.settle();
        expect(batch.count).toBe(3);
      }
      loop.callSoon(() => {
        for (let i = 0; i < 30_000; i++) loop.callSoon(noop);
        loop.callSoon((n: number) => n, 1);
        loop.callSoon(() => loop.stop());
      });
      await loop.runForever();
      loop.close();
    }
    texts.push(text(batch.take()) ?? '');
    // Sent when full: each batch at its bound (20,000 events), or past it by a held run at most.
    const counts = texts.map((t) => t.split('\n').length - 1);
    expect(counts.length).toBeGreaterThan(3);
    for (const count of counts.slice(0, -1)) {
      expect(count).toBeGreaterThanOrEqual(20_000);
      expect(count).toBeLessThanOrEqual(20_000 + 2 * MAX_HELD_RUN);
    }
    expect(texts.join('')).toBe(linesOf(plain));
  });

  it('writes a start taken with the batch in it before its end, which comes in the next batch', () => {
    const batch = new EventBatch();
    batch.handleStarted(1, 1);
    // Output written by the callback comes after its start: the start is counted already.
    expect(batch.count).toBe(1);
    expect(text(batch.take())).toBe(linesOf([{ type: 'handle-started', time: 1, id: 1 }]));
    batch.handleFinished(1, 1);
    expect(text(batch.take())).toBe(linesOf([{ type: 'handle-finished', time: 1, id: 1 }]));
  });

  it('send a full batch from the sink, as events given as objects do', () => {
    const batch = new EventBatch();
    let sent = 0;
    const sink = batchSink(batch, () => (sent += batch.take()!.count));
    expect(sink.callbacks).toBe(batch);
    for (let id = 0; id < 10_000; id++) {
      sink.callbacks!.handleStarted(1, id);
      sink.callbacks!.handleFinished(1, id);
    }
    expect(sent).toBe(20_000);
    expect(batch.count).toBe(0);
  });
});

describe("a batch's blocks, given back by the host", () => {
  it('are what the next batches fill, and a block too small for the next batch is left alone', () => {
    const batch = new EventBatch();
    for (let id = 0; id < 3000; id++) batch.handleScheduled(1, id, 'noop', '');
    batch.traffic(1, 1, 'tcp', 'out', bytesOf(20_000, 1), undefined, undefined);
    const first = batch.take()!;
    const blocks = EventBatch.blocksOf(first.records)!;
    expect(blocks.payloads).not.toBeNull();
    completeEncodedEvents(first);
    // The host has written the lines; the blocks go back (as a transfer would move them).
    batch.recycle(blocks);
    for (let id = 0; id < 3000; id++) batch.handleScheduled(1, id, 'noop', '');
    batch.traffic(1, 1, 'tcp', 'out', bytesOf(20_000, 2), undefined, undefined);
    // The blocks made after `first` was taken are filled now; those given back serve the batch after.
    const second = batch.take()!;
    batch.handleScheduled(2, 1, 'noop', '');
    batch.traffic(2, 1, 'tcp', 'out', bytesOf(100, 3), undefined, undefined);
    const third = batch.take()!;
    expect(third.records?.numbers.buffer).toBe(blocks.numbers);
    expect(third.records?.payloads.buffer).toBe(blocks.payloads);
    expect(parseEncodedEvents(third)).toEqual([
      { type: 'handle-scheduled', time: 2, id: 1, callback: 'noop', args: '' },
      JSON.parse(JSON.stringify(dataEvent(2, 1, 'tcp', 'out', bytesOf(100, 3)))),
    ]);
    expect(parseEncodedEvents(second)).toHaveLength(3001);
    // A batch without records (its lines written) gives nothing back.
    expect(EventBatch.blocksOf(third.records)).toBeNull();
    const tiny = new ArrayBuffer(8);
    batch.recycle({ numbers: tiny, payloads: null });
    batch.handleScheduled(3, 1, 'noop', '');
    batch.take();
    batch.handleScheduled(4, 1, 'noop', '');
    const fourth = batch.take()!;
    expect(fourth.records?.numbers.buffer).not.toBe(tiny);
    expect(parseEncodedEvents(fourth)).toEqual([{ type: 'handle-scheduled', time: 4, id: 1, callback: 'noop', args: '' }]);
  });
});
