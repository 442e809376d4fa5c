import { describe, expect, it } from 'vitest';
import { eventLine, type EncodedEvents } from '../../../shared/engine/event-lines';
import { EVENT_SAMPLES } from '../../../shared/engine/event-samples';
import { engineEventSchema, type EngineEvent } from '../../../shared/engine/events';
import { EventBatch, parseEncodedEvents, sliceEncodedEvents } from './event-batch';

/** The batch's text, after checking that its `ends` mark where each line ends. */
function text(batch: EncodedEvents | null): string | null {
  if (batch === null) return null;
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

describe("the worker's event batch", () => {
  it('writes every kind of event byte for byte as eventLine frames it, one line each', () => {
    for (const event of EVENT_SAMPLES) expect(batchOf([event]), event.type).toBe(eventLine(event));
    const batch = new EventBatch();
    for (const e of EVENT_SAMPLES) batch.add(e);
    const encoded = batch.take()!;
    expect(text(encoded)).toBe(linesOf(EVENT_SAMPLES));
    const parsed = parseEncodedEvents(encoded);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(EVENT_SAMPLES)));
    for (const event of parsed) expect(engineEventSchema.safeParse(event).success).toBe(true);
  });

  it('writes strings that need escaping or are not ASCII, and times of every shape, as eventLine does', () => {
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

