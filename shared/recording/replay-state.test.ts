import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/events';
import type { RecordingLine } from './format';
import { applyLine, cloneReplayState, initialReplayState, toLoopSnapshot, type ReplayState } from './replay-state';

/** Folds events (as numbered event lines) into a fresh state. */
function fold(events: EngineEvent[], state: ReplayState = initialReplayState('virtual')): ReplayState {
  for (const event of events) applyLine(state, { seq: state.seq + 1, wall: 0, kind: 'event', event } as RecordingLine);
  return state;
}

const scheduled = (id: number, callback = `cb${id}`): EngineEvent => ({ type: 'handle-scheduled', time: 0, id, callback, args: '' });

describe('the replay fold', () => {
  it('keeps the ready queue in FIFO order with callback and arguments', () => {
    const s = fold([{ type: 'loop-state', time: 0, state: 'running', clock: 'virtual' }, scheduled(1, 'a'), { type: 'handle-scheduled', time: 0, id: 2, callback: 'b', args: '1, "x"' }]);
    expect(toLoopSnapshot(s).ready).toEqual([
      { id: 1, callback: 'a', args: '' },
      { id: 2, callback: 'b', args: '1, "x"' },
    ]);
    expect(toLoopSnapshot(s)).toMatchObject({ running: true, readyCount: 2 });
  });

  it('counts a cancelled handle in the queue until the loop drops it, as asyncio\'s deque does (readyCount includes it)', () => {
    const s = fold([scheduled(1), scheduled(2), scheduled(3), { type: 'handle-cancelled', time: 0, id: 2 }]);
    expect(toLoopSnapshot(s)).toMatchObject({ readyCount: 3, ready: [{ id: 1 }, { id: 3 }] });
    // Running handle 3 means the loop took 1 and the cancelled 2 before it.
    fold([{ type: 'iteration-start', time: 0, iteration: 1, ready: 3, scheduled: 0 }, { type: 'handle-started', time: 0, id: 1 }, { type: 'handle-finished', time: 0, id: 1 }, { type: 'handle-started', time: 0, id: 3 }], s);
    expect(toLoopSnapshot(s)).toMatchObject({ readyCount: 0, ready: [] });
    expect(s.current).toMatchObject({ id: 3, callback: 'cb3' });
  });

  it('drops the cancelled handles an iteration did not start when it ends, and keeps what was scheduled during it', () => {
    const s = fold([scheduled(1), scheduled(2), { type: 'handle-cancelled', time: 0, id: 2 }, { type: 'iteration-start', time: 0, iteration: 1, ready: 2, scheduled: 0 }, { type: 'handle-started', time: 0, id: 1 }, scheduled(3), { type: 'handle-finished', time: 0, id: 1 }, { type: 'iteration-end', time: 0, iteration: 1, ran: 2 }]);
    expect(toLoopSnapshot(s)).toMatchObject({ readyCount: 1, ready: [{ id: 3 }], iteration: 1 });
  });

  it('orders timers by deadline, then by scheduling order, and moves due ones to the queue in that order', () => {
    const s = fold([
      { type: 'timer-scheduled', time: 0, id: 1, callback: 'late', args: '', when: 3 },
      { type: 'timer-scheduled', time: 0, id: 2, callback: 'early', args: '', when: 1 },
      { type: 'timer-scheduled', time: 0, id: 3, callback: 'early2', args: '', when: 1 },
      { type: 'timer-scheduled', time: 0, id: 4, callback: 'gone', args: '', when: 2 },
      { type: 'handle-cancelled', time: 0, id: 4 },
    ]);
    expect(toLoopSnapshot(s)).toMatchObject({ scheduledCount: 3, scheduled: [{ id: 2, when: 1 }, { id: 3, when: 1 }, { id: 1, when: 3 }] });
    fold([{ type: 'iteration-start', time: 1, iteration: 1, ready: 0, scheduled: 3 }, { type: 'timer-due', time: 1, id: 2 }, { type: 'timer-due', time: 1, id: 3 }], s);
    expect(toLoopSnapshot(s)).toMatchObject({ time: 1, scheduledCount: 1, readyCount: 2, ready: [{ id: 2, callback: 'early' }, { id: 3, callback: 'early2' }] });
  });

  it('shows a task running from its step to its await, with what it awaits', () => {
    const s = fold([{ type: 'task-created', time: 0, id: 5, name: 'Task-1', coro: 'main()' }, { type: 'task-step', time: 0, id: 5 }]);
    expect(toLoopSnapshot(s).tasks).toEqual([{ id: 5, name: 'Task-1', state: 'running', awaiting: null }]);
    fold([{ type: 'task-awaiting', time: 0, id: 5, awaiting: 'Future#7', awaitingId: 7 }], s);
    expect(toLoopSnapshot(s).tasks).toEqual([{ id: 5, name: 'Task-1', state: 'pending', awaiting: 'Future#7', awaitingId: 7 }]);
    fold([{ type: 'task-done', time: 0, id: 5, state: 'finished' }], s);
    expect(toLoopSnapshot(s)).toMatchObject({ tasks: [], taskCount: 0 });
  });

  it('follows a transport: bytes on arrival and on write, buffer, flow, EOF, closing, and removal after connectionLost returns', () => {
    const s = fold([
      { type: 'transport-opened', time: 0, transportId: 9, kind: 'tcp', peer: '127.0.0.1:1', local: '127.0.0.1:2' },
      { type: 'transport-received', time: 0, transportId: 9, size: 5 },
      { type: 'transport-data', time: 0, transportId: 9, kind: 'tcp', direction: 'in', data: 'aGVsbG8=', size: 5 },
      { type: 'transport-data', time: 0, transportId: 9, kind: 'tcp', direction: 'out', data: 'aGk=', size: 2 },
      { type: 'transport-write-buffer', time: 0, transportId: 9, writeBufferSize: 2 },
      { type: 'transport-flow', time: 0, transportId: 9, what: 'pause-reading', writeBufferSize: 2 },
      { type: 'transport-eof', time: 0, transportId: 9, direction: 'in' },
    ]);
    expect(toLoopSnapshot(s).transports).toEqual([{ id: 9, kind: 'tcp', state: 'read-closed', peer: '127.0.0.1:1', bytesIn: 5, bytesOut: 2, writeBufferSize: 2, paused: { reading: true, writing: false } }]);
    fold([{ type: 'transport-closing', time: 0, transportId: 9, abort: false }, scheduled(20, '_callConnectionLost'), { type: 'handle-started', time: 0, id: 20 }, { type: 'transport-lost', time: 0, transportId: 9, error: null }], s);
    expect(toLoopSnapshot(s).transports).toMatchObject([{ id: 9, state: 'closed', writeBufferSize: 0 }]);
    fold([{ type: 'handle-finished', time: 0, id: 20 }], s);
    expect(toLoopSnapshot(s).transports).toEqual([]);
  });

  it('adds a child\'s pipe traffic to the subprocess, and its exit code', () => {
    const s = fold([
      { type: 'transport-opened', time: 0, transportId: 1, kind: 'subprocess', peer: '/bin/cat', local: null, pid: 42, program: '/bin/cat' },
      { type: 'transport-opened', time: 0, transportId: 2, kind: 'pipe', peer: null, local: null, fd: 0, parentId: 1 },
      { type: 'transport-opened', time: 0, transportId: 3, kind: 'pipe', peer: null, local: null, fd: 1, parentId: 1 },
      { type: 'transport-data', time: 0, transportId: 2, kind: 'pipe', direction: 'out', data: 'aGk=', size: 2, fd: 0 },
      { type: 'transport-received', time: 0, transportId: 3, size: 2 },
      { type: 'process-exited', time: 0, transportId: 1, pid: 42, returncode: 0 },
    ]);
    expect(toLoopSnapshot(s).transports?.[0]).toEqual({ id: 1, kind: 'subprocess', state: 'closing', peer: '/bin/cat', bytesIn: 2, bytesOut: 2, writeBufferSize: 0, paused: { reading: false, writing: false }, pid: 42, returncode: 0 });
  });

  it('clears the queues when the loop closes', () => {
    const s = fold([scheduled(1), { type: 'timer-scheduled', time: 0, id: 2, callback: 't', args: '', when: 5 }, { type: 'loop-state', time: 0, state: 'closed', clock: 'virtual' }]);
    expect(toLoopSnapshot(s)).toMatchObject({ closed: true, running: false, readyCount: 0, scheduledCount: 0 });
  });

  it('copies are independent of the state they were taken from (keyframes)', () => {
    const s = fold([scheduled(1), { type: 'task-created', time: 0, id: 2, name: 'T', coro: 'c()' }, { type: 'transport-opened', time: 0, transportId: 3, kind: 'tcp', peer: null, local: null }]);
    const copy = cloneReplayState(s);
    fold([{ type: 'handle-started', time: 0, id: 1 }, { type: 'task-step', time: 0, id: 2 }, { type: 'transport-received', time: 0, transportId: 3, size: 9 }], s);
    expect(toLoopSnapshot(copy)).toMatchObject({ readyCount: 1, tasks: [{ state: 'pending' }], transports: [{ bytesIn: 0 }] });
  });

  it('lists at most `limit` entries, as snapshot({ limit }) does, with the totals intact', () => {
    const s = fold(Array.from({ length: 10 }, (_, i) => scheduled(i + 1)));
    expect(toLoopSnapshot(s, 3)).toMatchObject({ readyCount: 10, ready: [{ id: 1 }, { id: 2 }, { id: 3 }] });
  });
});
