import { describe, expect, it } from 'vitest';
import { encodeEvent, eventLine } from './event-lines';
import { coreEventSchema, engineEventSchema, type EngineEvent } from './events';
import { EVENT_SAMPLES as samples } from './event-samples';
import { observerEventSchema } from './observer-events';
import { transportEventSchema } from './transport-events';

/** What the object form of an event is once written as JSON (undefined fields vanish). */
const viaJson = (e: EngineEvent): unknown => JSON.parse(JSON.stringify(e));

describe('event encoders (the JSON text a worker sends and a recording stores)', () => {
  it('have a sample for every kind of event in the schema', () => {
    const kinds = [...coreEventSchema.options, ...transportEventSchema.options, ...observerEventSchema.options].map((o) => o.shape.type.value);
    expect(new Set(samples.map((e) => e.type))).toEqual(new Set(kinds));
  });

  it('parse back to the event they encode, which the schema accepts', () => {
    for (const event of samples) {
      const text = encodeEvent(event);
      const parsed: unknown = JSON.parse(text);
      expect(parsed, text).toEqual(viaJson(event));
      expect(engineEventSchema.safeParse(parsed).success, text).toBe(true);
      expect(text).not.toContain('\n');
    }
  });

  it('leave out optional fields that are undefined, as JSON.stringify does', () => {
    const text = encodeEvent({ type: 'task-step', time: 0, id: 5, throws: undefined });
    expect(JSON.parse(text)).toStrictEqual({ type: 'task-step', time: 0, id: 5 });
  });

  it('escape what JSON must escape: quotes, backslashes, control characters, lone surrogates', () => {
    for (const s of ['"', '\\', '\u0000\u001f', 'line\nbreak', 'lone \ud800 surrogate', 'pair 😀', 'é ü ß', '\u2028']) {
      const event: EngineEvent = { type: 'handle-scheduled', time: 0, id: 1, callback: s, args: s };
      expect(JSON.parse(encodeEvent(event))).toEqual(event);
    }
  });

  it('render times exactly: microsecond times from integers, any other double as JSON does', () => {
    const times = [0, 1, 0.1, 0.000001, 0.000009, 1.5e-7, 0.30000000000000004, 123456.000001, 98765.4321, 2 ** 40 + 0.5, 1e21, -0.25, Math.PI];
    for (let i = 0; i < 2000; i++) times.push(Math.round(Math.random() * 1e11) / 1e6, Math.random() * 1e5);
    for (const t of times) {
      const event: EngineEvent = { type: 'handle-started', time: t, id: 1 };
      expect(JSON.parse(encodeEvent(event)).time, String(t)).toBe(t);
    }
    // Seconds with at most six decimals stay short.
    expect(encodeEvent({ type: 'handle-started', time: 1234.56789, id: 1 })).toContain('"time":1234.567890');
  });

  it('frame as recording lines, one per event, that parse back to the events', () => {
    for (const event of samples) {
      const line = eventLine(event);
      expect(line.indexOf('\n')).toBe(line.length - 1);
      expect(JSON.parse(line)).toEqual({ seq: 0, wall: 0, kind: 'event', event: viaJson(event) });
    }
  });
});
