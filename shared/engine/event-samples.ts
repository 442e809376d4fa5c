// Test fixture: events of every kind, for the tests of the event encoders (shared/engine/event-lines.ts
// and the worker's byte writer, electron/host/runs/event-batch.ts).
import type { EngineEvent } from './events';
import { encodeBytes } from './base64';

const bytes = encodeBytes(new Uint8Array([0, 1, 2, 250, 255, 10, 13]));

/** At least one event of every kind in the schema, with and without the optional fields. */
export const EVENT_SAMPLES: EngineEvent[] = [
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
