import { describe, expect, it } from 'vitest';
import { EVENT_SEPARATOR, encodeEvent, forEachEventLine, parseEventBatch } from './event-lines';
import { coreEventSchema, engineEventSchema, type EngineEvent } from './events';
import { observerEventSchema } from './observer-events';
import { encodeBytes, transportEventSchema } from './transport-events';

const bytes = encodeBytes(new Uint8Array([0, 1, 2, 250, 255, 10, 13]));

// At least one sample of every kind in the schema, with and without the optional fields.
const samples: EngineEvent[] = [
  { type: 'iteration-start', time: 0, iteration: 1, ready: 2, scheduled: 0 },
  { type: 'iteration-end', time: 12.5, iteration: 1, ran: 2 },
  { type: 'loop-state', time: 0, state: 'running', clock: 'virtual' },
  { type: 'handle-scheduled', time: 1.000001, id: 1, callback: 'helloWorld', args: '<NodeEventLoop>' },
  { type: 'handle-scheduled', time: 1.000001, id: 2, callback: '<anonymous>', args: '"a \\"quoted\\" line\n\tend", 3' },
  { type: 'timer-scheduled', time: 0.30000000000000004, id: 2, callback: 'cb', args: '', when: 1.5 },
  { type: 'timer-due', time: 1.5, id: 2 },
  { type: 'handle-started', time: 1234.567891, id: 1 },
  { type: 'handle-finished', time: 1234.56789, id: 1 },
  { type: 'handle-cancelled', time: 1e-7, id: 3 },
  { type: 'future-created', time: 0, id: 4, name: 'Future' },
  { type: 'future-state', time: 2, id: 4, state: 'finished', detail: '"Future Completed"' },
  { type: 'future-state', time: 2, id: 4, state: 'finished', detail: 'Error: boom', failed: true },
  { type: 'future-state', time: 2, id: 4, state: 'cancelled' },
  { type: 'task-created', time: 0, id: 5, name: 'Task-1', coro: 'main()' },
  { type: 'task-step', time: 0, id: 5 },
  { type: 'task-step', time: 0, id: 5, throws: 'CancelledError: ' },
  { type: 'task-awaiting', time: 0, id: 5, awaiting: 'Future#4', awaitingId: 4 },
  { type: 'task-awaiting', time: 0, id: 5, awaiting: '<promise>' },
  { type: 'task-done', time: 2, id: 5, state: 'cancelled' },
  { type: 'task-done', time: 2, id: 5, state: 'finished', detail: 'Error: x', failed: true },
  { type: 'exception', time: 0, message: 'Exception in callback', exception: 'Error: boom', handleId: 1 },
  { type: 'transport-opened', time: 0, transportId: 7, kind: 'tcp', peer: '127.0.0.1:8888', local: '127.0.0.1:50000', serverId: 6 },
  { type: 'transport-data', time: 3.25, transportId: 7, kind: 'tcp', direction: 'in', data: bytes, size: 7 },
  { type: 'transport-data', time: 3.25, transportId: 8, kind: 'udp', direction: 'out', data: '', size: 0, addr: '[::1]:9999' },
  { type: 'transport-data', time: 3.25, transportId: 9, kind: 'pipe', direction: 'in', data: 'aGk=', size: 2, fd: 1 },
  { type: 'transport-received', time: 3, transportId: 7, size: 1024 },
  { type: 'transport-write-buffer', time: 3, transportId: 7, writeBufferSize: 65536 },
  { type: 'transport-eof', time: 3, transportId: 7, direction: 'out' },
  { type: 'transport-flow', time: 3, transportId: 7, what: 'pause-writing', writeBufferSize: 70000 },
  { type: 'transport-closing', time: 3, transportId: 7, abort: false },
  { type: 'transport-lost', time: 3, transportId: 7, error: { name: 'ConnectionResetError', message: 'reset', errno: -104, code: 'ECONNRESET' } },
  { type: 'transport-error', time: 3, transportId: 8, error: { name: 'Error', message: 'x' } },
  { type: 'process-exited', time: 4, transportId: 10, pid: 4242, returncode: -9 },
  { type: 'server-listening', time: 0, serverId: 6, sockets: ['127.0.0.1:8888'] },
  { type: 'server-closed', time: 5, serverId: 6 },
  { type: 'observer-notice', time: 0, kind: 'partial-view', message: 'uvloop' },
  { type: 'io-wait', time: 0, waited: 0.5, timeout: null, ready: 1 },
  { type: 'transport-traffic', time: 0, transportId: 7, kind: 'tcp', direction: 'in', size: 10 },
];

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

  it('join into batches that parse as one array and split back into one line per event', () => {
    const batch = samples.map(encodeEvent).join(EVENT_SEPARATOR);
    expect(parseEventBatch(batch)).toEqual(samples.map(viaJson));
    const lines: string[] = [];
    forEachEventLine(batch, (line) => lines.push(line));
    expect(lines).toEqual(samples.map(encodeEvent));
    forEachEventLine(encodeEvent(samples[0]), (line) => expect(line).toBe(encodeEvent(samples[0])));
  });
});
