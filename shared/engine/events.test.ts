import { describe, expect, it } from 'vitest';
import { coreEventSchema, engineEventSchema, type CoreEvent } from './events';
import { loopSnapshotSchema, type LoopSnapshot } from './snapshot';

describe('engine event schema', () => {
  const samples: CoreEvent[] = [
    { type: 'iteration-start', time: 0, iteration: 1, ready: 2, scheduled: 0 },
    { type: 'iteration-end', time: 0, iteration: 1, ran: 2 },
    { type: 'loop-state', time: 0, state: 'running', clock: 'virtual' },
    { type: 'handle-scheduled', time: 0, id: 1, callback: 'helloWorld', args: '<BaseEventLoop>' },
    { type: 'timer-scheduled', time: 0, id: 2, callback: 'cb', args: '', when: 1.5 },
    { type: 'timer-due', time: 1.5, id: 2 },
    { type: 'handle-started', time: 0, id: 1 },
    { type: 'handle-finished', time: 0, id: 1 },
    { type: 'handle-cancelled', time: 0, id: 3 },
    { type: 'future-created', time: 0, id: 4, name: 'Future' },
    { type: 'future-state', time: 2, id: 4, state: 'finished', detail: '"Future Completed"' },
    { type: 'task-created', time: 0, id: 5, name: 'Task-1', coro: 'main()' },
    { type: 'task-step', time: 0, id: 5 },
    { type: 'task-step', time: 0, id: 5, throws: 'CancelledError: ' },
    { type: 'task-awaiting', time: 0, id: 5, awaiting: 'Future#4', awaitingId: 4 },
    { type: 'task-done', time: 2, id: 5, state: 'cancelled' },
    { type: 'exception', time: 0, message: 'Exception in callback', exception: 'Error: boom', handleId: 1 },
  ];

  it('accepts every kind of core event', () => {
    for (const e of samples) {
      expect(coreEventSchema.parse(e)).toEqual(e);
      expect(engineEventSchema.safeParse(e).success).toBe(true);
    }
    expect(new Set(samples.map((e) => e.type)).size).toBe(coreEventSchema.options.length);
  });

  it('rejects unknown types and malformed fields', () => {
    expect(engineEventSchema.safeParse({ type: 'nope', time: 0 }).success).toBe(false);
    expect(coreEventSchema.safeParse({ type: 'handle-started', time: 0, id: -1 }).success).toBe(false);
    expect(coreEventSchema.safeParse({ type: 'handle-started', time: '0', id: 1 }).success).toBe(false);
    expect(coreEventSchema.safeParse({ type: 'task-done', time: 0, id: 1, state: 'pending' }).success).toBe(false);
  });
});

describe('loop snapshot schema', () => {
  it('accepts a snapshot and rejects a broken one', () => {
    const snap: LoopSnapshot = {
      time: 1,
      iteration: 3,
      clock: 'real',
      running: true,
      closed: false,
      ready: [{ id: 1, callback: 'cb', args: '1, 2' }],
      readyCount: 1,
      scheduled: [{ id: 2, when: 4, callback: 'later' }],
      scheduledCount: 1,
      tasks: [{ id: 3, name: 'Task-1', state: 'pending', awaiting: 'sleep(1)' }],
      taskCount: 1,
    };
    expect(loopSnapshotSchema.parse(snap)).toEqual(snap);
    expect(loopSnapshotSchema.safeParse({ ...snap, clock: 'sundial' }).success).toBe(false);
  });
});
