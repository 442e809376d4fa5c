import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import { RunSession } from './run-session';

const REF = { location: 'workspace', path: 'demo.ts' } as const;
const snapshot = (iteration: number, ready: number[]): LoopSnapshot => ({
  time: iteration,
  iteration,
  clock: 'virtual',
  running: true,
  closed: false,
  ready: ready.map((id) => ({ id, callback: 'cb', args: '' })),
  readyCount: ready.length,
  scheduled: [],
  scheduledCount: 0,
  tasks: [],
  taskCount: 0,
});

describe('RunSession', () => {
  it('applies queued data only at flush, and only the newest snapshot', () => {
    const s = new RunSession(REF, 'demo.ts', 'virtual', { runId: 'r' });
    const before = s.revisions.output;
    s.enqueueOutput({ runId: 'r', chunks: [{ stream: 'stdout', text: 'Hello World\n' }] });
    s.enqueueSnapshot(snapshot(1, [1]));
    s.enqueueSnapshot(snapshot(2, [1, 2]));
    s.enqueueState({ runId: 'r', state: 'paused', reason: 'step', next: { id: 2, callback: 'cb' } });
    expect(s.snapshot.value).toBeNull();
    expect(s.revisions.output).toBe(before);
    expect(s.flush(Infinity)).toBe(false);
    expect(s.snapshot.value?.iteration).toBe(2);
    expect(s.status.value).toEqual({ state: 'paused', reason: 'step', next: { id: 2, callback: 'cb' } });
    expect(s.output.text()).toBe('Hello World');
    expect(s.revisions.output).toBe(before + 1);
  });

  it('derives pending futures from their events', () => {
    const s = new RunSession(REF, 'demo.ts', 'virtual', { runId: 'r' });
    s.enqueueEvents([
      { type: 'future-created', time: 0, id: 3, name: 'sleep' },
      { type: 'future-created', time: 0, id: 4, name: 'Future' },
      { type: 'future-state', time: 1, id: 3, state: 'finished' },
    ]);
    s.flush(Infinity);
    expect([...s.futures.value.values()].map((f) => f.name)).toEqual(['Future']);
  });

  it('leaves the rest of a large batch for the next frame when its time is up', () => {
    const s = new RunSession(REF, 'demo.ts', 'virtual', { runId: 'r' });
    const events: EngineEvent[] = Array.from({ length: 50_000 }, (_, id) => ({ type: 'handle-started', time: 0, id }));
    s.enqueueEvents(events);
    expect(s.flush(performance.now() - 1)).toBe(true);
    expect(s.events.size).toBeLessThan(50_000);
    while (s.flush(Infinity));
    expect(s.events.size).toBe(50_000);
  });

  it('writes the diagnostics of a scenario that does not compile, with the line, and ends as rejected', () => {
    const s = new RunSession(REF, 'demo.ts', 'real');
    s.started({ ok: false, message: 'syntax error', diagnostics: [{ message: 'Expected ";" but found "x"', location: { file: '/ws/demo.ts', line: 3, column: 7, lineText: 'let a x' } }] });
    expect(s.state).toBe('rejected');
    expect(s.output.text(['error'])).toContain('demo.ts:3:7  Expected ";" but found "x"');
    expect(s.output.text(['source'])).toContain('let a x');
  });

  it('says how many events the host dropped', () => {
    const s = new RunSession(REF, 'demo.ts', 'real', { runId: 'r' });
    s.enqueueEvents([], 1234);
    s.flush(Infinity);
    expect(s.events.droppedByHost).toBe(1234);
    expect(s.output.text(['warning'])).toContain('1,234 engine events were dropped');
  });

  it('counts every event a busy run drops, frame after frame, in the one warning where the first went', () => {
    const s = new RunSession(REF, 'demo.ts', 'real', { runId: 'r' });
    for (const dropped of [1000, 2000]) {
      s.enqueueEvents([], dropped);
      s.flush(Infinity);
    }
    s.enqueueOutput({ runId: 'r', chunks: [{ stream: 'stdout', text: 'tick\n' }] });
    s.enqueueEvents([], 507);
    s.flush(Infinity);
    const lines = s.output.text(['stdout', 'warning']).split('\n');
    expect(lines).toEqual([expect.stringContaining('⚠ 3,507 engine events were dropped'), 'tick']);
    expect(s.events.droppedByHost).toBe(3507);
  });

  it("plots the iterations of snapshots once the host has dropped events, not before", () => {
    const s = new RunSession(REF, 'demo.ts', 'virtual', { runId: 'r' });
    s.enqueueSnapshot(snapshot(3, [1]));
    s.flush(Infinity);
    expect(s.timeline.iterations).toEqual([]);
    s.enqueueEvents([{ type: 'iteration-start', time: 4, iteration: 4, ready: 2, scheduled: 0 }], 500);
    s.enqueueSnapshot(snapshot(9, [1, 2, 3]));
    s.flush(Infinity);
    expect(s.timeline.iterations).toEqual([4, 9]);
    expect(s.timeline.ready).toEqual([2, 3]);
  });

  it('writes an error with a link to its line and the stack below', () => {
    const s = new RunSession(REF, 'demo.ts', 'real', { runId: 'r' });
    s.enqueueError({ runId: 'r', fatal: true, name: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at main (/ws/demo.ts:5:9)', location: { file: '/ws/demo.ts', line: 5, column: 9 } });
    s.flush(Infinity);
    const first = s.output.at(1)!;
    expect(first).toMatchObject({ kind: 'error', text: '✖ TypeError: boom  (demo.ts:5:9)', location: { line: 5, column: 9 } });
    expect(s.output.at(2)).toMatchObject({ kind: 'trace', location: { line: 5 } });
  });
});

describe('RunSession highlights', () => {
  it('marks what a step changed against the previous pause, and keeps the marks while paused', () => {
    const s = new RunSession(REF, 'demo.ts', 'virtual', { runId: 'r' });
    const pause = (snap: LoopSnapshot) => {
      s.enqueueState({ runId: 'r', state: 'paused', reason: 'step', next: null });
      s.enqueueSnapshot(snap);
      s.flush(Infinity);
    };
    pause(snapshot(1, [1]));
    s.enqueueState({ runId: 'r', state: 'running' });
    s.enqueueSnapshot(snapshot(1, []));
    s.flush(Infinity);
    pause(snapshot(2, [2, 3]));
    expect([...s.changes.value.ready]).toEqual([2, 3]);
    s.enqueueSnapshot(snapshot(2, [2, 3]));
    s.flush(Infinity);
    expect([...s.changes.value.ready]).toEqual([2, 3]);
  });
});
