import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { ShimDecoder } from './shim-records';

function decode(lines: unknown[]) {
  const events: EngineEvent[] = [];
  const paused: unknown[] = [];
  const notices: string[] = [];
  let exited = false;
  const d = new ShimDecoder({
    events: (e) => events.push(...e),
    paused: (reason, next) => paused.push({ reason, next }),
    notice: (n) => notices.push(n.kind),
    exit: () => (exited = true),
  });
  for (const l of lines) d.line(typeof l === 'string' ? l : JSON.stringify(l));
  d.flush(true);
  return { events, paused, notices, exited: exited && d.exitedNormally, decoder: d };
}

const HELLO = [0, { format: 1, shim: '1.0', python: '3.11.7', implementation: 'cpython', pid: 1, detail: 'full', executable: 'python3', t0: 1_000_000 }];

describe('ShimDecoder (the instrumentation records onto the engine event schema)', () => {
  it('turns names, handles, iterations and times (µs since t0) into events', () => {
    const { events } = decode([HELLO, [1, 1, 'hello_world'], [1, 2, '<loop>'], [2, 5, 1, 2], [11, 10, 1, 0, 1], [9, 20, 1, 1, 1, 0, 3, 0, 0], [5, 5, 30], [10, 40, 1, 1, 1], [8, 99]]);
    expect(events).toEqual([
      { type: 'handle-scheduled', time: 1, id: 5, callback: 'hello_world', args: '<loop>' },
      { type: 'loop-state', time: 1.00001, state: 'running', clock: 'real' },
      { type: 'iteration-start', time: 1.00002, iteration: 1, ready: 1, scheduled: 0 },
      { type: 'handle-started', time: 1.00003, id: 5 },
      // RAN: the handle ended when the next timed record began.
      { type: 'handle-finished', time: 1.00004, id: 5 },
      { type: 'iteration-end', time: 1.00004, iteration: 1, ran: 1 },
      { type: 'handle-cancelled', time: 1.00004, id: 99 },
    ]);
  });

  it('expands a task step handle (STEP_RAN) into started, step, finished and awaiting', () => {
    const { events } = decode([HELLO, [1, 1, 'sleep(1)'], [19, 7, 3, 50, 1, 9], [7, 8, 60]]);
    expect(events.map((e) => e.type)).toEqual(['handle-started', 'task-step', 'handle-finished', 'task-awaiting', 'handle-finished']);
    expect(events[3]).toEqual({ type: 'task-awaiting', time: 1.00006, id: 3, awaiting: 'sleep(1)', awaitingId: 9 });
  });

  it('reads the tasks level: a bare integer is a step, a bare yield unless what it awaits or its end follows', () => {
    // Steps name the task by its address (id() in Python), from its TASK_NEW.
    const { events } = decode([HELLO, [12, 1, 3, 'Task-1', 0, 140001], [9, 5, 1, 1, 1, 0, 0, 0, 0], 140001, 140001, [1, 1, 'None'], [15, 9, 3, 0, 1, 0], [10, 10, 1, 1, -1]]);
    expect(events.filter((e) => e.type.startsWith('task-')).map((e) => `${e.type}${'awaiting' in e ? ` ${e.awaiting}` : ''}`)).toEqual([
      'task-created',
      'task-step',
      'task-awaiting sleep(0)',
      'task-step',
      'task-done',
    ]);
    expect(events.filter((e) => e.type === 'task-step').map((e) => (e as { id: number }).id)).toEqual([3, 3]);
    expect(events.find((e) => e.type === 'iteration-end')).toMatchObject({ ran: 2 });
  });

  it('reports pauses, notices, payload-less traffic and the normal exit', () => {
    const r = decode([HELLO, [31, 'step', 4, 'hello'], [33, 'partial-view', 'uvloop'], [20, 1, 6, 'tcp', '1.2.3.4:5', null, {}], [21, 2, 6, 'tcp', 1, null, 12, -1, null], [34, 'exit']]);
    expect(r.paused).toEqual([{ reason: 'step', next: { id: 4, callback: 'hello' } }]);
    expect(r.notices).toEqual(['partial-view']);
    expect(r.events).toContainEqual({ type: 'transport-traffic', time: 1.000002, transportId: 6, kind: 'tcp', direction: 'out', size: 12 });
    expect(r.exited).toBe(true);
  });

  it('survives garbage: a notice, and the stream goes on', () => {
    const r = decode([HELLO, '{not json', [99], [1, 1, 'x'], [2, 1, 1]]);
    expect(r.notices).toEqual(['shim-error', 'shim-error']);
    expect(r.events[r.events.length - 1]).toMatchObject({ type: 'handle-scheduled', callback: 'x' });
  });
});
