import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/events';
import type { RecordingLine } from './format';
import { ReplayTimeline } from './replay-timeline';
import { replayView } from './replay-view';

/** Two iterations with two callbacks each, output, traffic, an error and a connection. */
function sample(): RecordingLine[] {
  const lines: RecordingLine[] = [];
  const ev = (event: EngineEvent, wall = lines.length) => lines.push({ seq: lines.length + 1, wall, kind: 'event', event });
  ev({ type: 'transport-opened', time: 0, transportId: 1, kind: 'tcp', peer: '127.0.0.1:9', local: '127.0.0.1:8' });
  ev({ type: 'handle-scheduled', time: 0, id: 2, callback: 'a', args: '' });
  ev({ type: 'handle-scheduled', time: 0, id: 3, callback: 'b', args: '' });
  ev({ type: 'iteration-start', time: 1, iteration: 1, ready: 2, scheduled: 0 }); // 4
  ev({ type: 'handle-started', time: 1, id: 2 }); // 5
  lines.push({ seq: 6, wall: 6, kind: 'output', stream: 'stdout', text: 'one\n' });
  ev({ type: 'transport-data', time: 1, transportId: 1, kind: 'tcp', direction: 'out', data: 'aGVsbG8=', size: 5 }); // 7
  ev({ type: 'handle-finished', time: 1, id: 2 }); // 8
  ev({ type: 'handle-started', time: 1, id: 3 }); // 9
  ev({ type: 'exception', time: 1, message: 'Exception in callback b', exception: 'Error: boom', handleId: 3 }); // 10
  ev({ type: 'handle-scheduled', time: 1, id: 4, callback: 'c', args: '' }); // 11
  ev({ type: 'handle-finished', time: 1, id: 3 }); // 12
  ev({ type: 'iteration-end', time: 1, iteration: 1, ran: 2 }); // 13
  ev({ type: 'iteration-start', time: 2, iteration: 2, ready: 1, scheduled: 0 }); // 14
  ev({ type: 'handle-started', time: 2, id: 4 }); // 15
  lines.push({ seq: 16, wall: 16, kind: 'output', stream: 'stdout', text: 'two\n' });
  ev({ type: 'transport-data', time: 2, transportId: 1, kind: 'tcp', direction: 'in', data: 'd29ybGQ=', size: 5 }); // 17
  ev({ type: 'handle-finished', time: 2, id: 4 }); // 18
  ev({ type: 'iteration-end', time: 2, iteration: 2, ran: 1 }); // 19
  lines.push({ seq: 20, wall: 20, kind: 'state', state: 'finished' });
  return lines;
}

function build(lines: RecordingLine[], every = 4): ReplayTimeline {
  const t = new ReplayTimeline('virtual', { keyframeEvery: every });
  for (const line of lines) t.add(line);
  return t;
}

const reader = (lines: RecordingLine[]) => ({
  range: (from: number, to: number) => lines.slice(from - 1, to),
  pick: (seqs: readonly number[]) => seqs.map((s) => lines[s - 1]),
});

describe('the replay timeline', () => {
  it('counts lines, events, callbacks, iterations, errors and output', () => {
    expect(build(sample()).counts).toEqual({ lines: 20, events: 17, callbacks: 3, iterations: 2, errors: 1, output: 2, tasks: 0, transports: 1 });
  });

  it('steps by callback, iteration, event, line and error, and stays put at the ends', () => {
    const t = build(sample());
    expect(t.step(0, 'callback', 'forward')).toBe(5);
    expect(t.step(7, 'callback', 'forward')).toBe(9);
    expect(t.step(9, 'callback', 'back')).toBe(5);
    expect(t.step(11, 'callback', 'back')).toBe(9); // inside a callback: back to its start
    expect(t.step(15, 'callback', 'forward')).toBe(15);
    expect(t.step(5, 'iteration', 'forward')).toBe(14);
    expect(t.step(14, 'iteration', 'back')).toBe(4);
    expect(t.step(4, 'iteration', 'back')).toBe(4);
    expect(t.step(5, 'event', 'forward')).toBe(7); // line 6 is output
    expect(t.step(7, 'event', 'back')).toBe(5);
    expect(t.step(5, 'line', 'forward')).toBe(6);
    expect(t.step(0, 'line', 'back')).toBe(0);
    expect(t.step(20, 'line', 'forward')).toBe(20);
    expect(t.step(0, 'error', 'forward')).toBe(10);
    expect(t.step(0, 'marker', 'forward')).toBe(1);
  });

  it('finds the line at a wall time or a loop time (for playing)', () => {
    const t = build(sample());
    expect(t.locate({ time: 1.5 })).toBe(13);
    expect(t.locate({ time: 2 })).toBe(20);
    expect(t.locate({ time: -1 })).toBe(0);
    expect(t.locate({ wall: 6.5 })).toBe(7);
  });

  it('marks errors and connections, and ticks iterations', () => {
    const t = build(sample());
    expect(t.markers().markers.map((m) => [m.seq, m.kind])).toEqual([
      [1, 'connection'],
      [10, 'error'],
    ]);
    expect(t.iterationTicks(10)).toEqual({ count: 2, seqs: [4, 14] });
  });

  it('views a line: the snapshot, the running callback, output and traffic up to it, and the errors so far', () => {
    const lines = sample();
    const t = build(lines);
    const v = replayView(t, 11, reader(lines));
    expect(v.current).toMatchObject({ id: 3, callback: 'b' });
    expect(v.snapshot).toMatchObject({ iteration: 1, readyCount: 1, ready: [{ id: 4, callback: 'c' }] });
    expect(v.output.chunks.map((c) => c.text)).toEqual(['one\n']);
    expect(v.traffic).toEqual([{ transportId: 1, omittedBytes: 0, chunks: [expect.objectContaining({ seq: 7, direction: 'out', data: 'aGVsbG8=' })] }]);
    expect(v.errors.items).toEqual([expect.objectContaining({ seq: 10, source: 'loop', name: 'Error', message: 'Exception in callback b: boom' })]);
    const end = replayView(t, 20, reader(lines), { trafficBytes: 5 });
    expect(end.runState).toBe('finished');
    expect(end.traffic[0]).toMatchObject({ omittedBytes: 5, chunks: [{ seq: 17 }] });
    expect(replayView(t, 0, reader(lines))).toMatchObject({ seq: 0, line: null, output: { chunks: [] } });
  });

  it('gives the same state at every line whatever the keyframe spacing', () => {
    const lines = sample();
    const dense = build(lines, 1);
    const sparse = build(lines, 1000);
    for (let seq = 0; seq <= lines.length; seq++) {
      expect(replayView(dense, seq, reader(lines)), `line ${seq}`).toEqual(replayView(sparse, seq, reader(lines)));
    }
  });
});

describe("the replay timeline's plot figures", () => {
  it('gives each iteration its number, line, time, ready queue and timers at its start, and the events it produced (as the live plot counts them)', () => {
    expect(build(sample()).iterationSeries(2000)).toEqual({
      iteration: [1, 2],
      seq: [4, 14],
      time: [1, 2],
      ready: [2, 1],
      timers: [0, 0],
      // Iteration 1: its start and lines 5, 7-13 (the output line 6 is no event); iteration 2: 14, 15, 17-19.
      events: [9, 5],
    });
  });

  it('folds runs of iterations into at most `max` points, each with the highest figures of its run', () => {
    expect(build(sample()).iterationSeries(1)).toEqual({ iteration: [1], seq: [4], time: [1], ready: [2], timers: [0], events: [9] });
    expect(build([]).iterationSeries(10)).toEqual({ iteration: [], seq: [], time: [], ready: [], timers: [], events: [] });
  });
});

describe('pending futures in the replayed state', () => {
  it('lists a future from its creation until it is done, in the view and across keyframes', () => {
    const lines: RecordingLine[] = [];
    const ev = (event: EngineEvent) => lines.push({ seq: lines.length + 1, wall: lines.length, kind: 'event', event });
    ev({ type: 'future-created', time: 0, id: 7, name: 'Future#7' }); // 1
    ev({ type: 'future-created', time: 0.5, id: 8, name: 'Future#8' }); // 2
    ev({ type: 'iteration-start', time: 1, iteration: 1, ready: 0, scheduled: 0 }); // 3
    ev({ type: 'future-state', time: 1, id: 7, state: 'finished', detail: '42' }); // 4
    ev({ type: 'future-state', time: 1, id: 8, state: 'cancelled' }); // 5
    const t = build(lines, 2);
    const at = (seq: number) => replayView(t, seq, reader(lines), {}).futures;
    expect(at(0)).toEqual([]);
    expect(at(2)).toEqual([
      { id: 7, name: 'Future#7', created: 0 },
      { id: 8, name: 'Future#8', created: 0.5 },
    ]);
    expect(at(4)).toEqual([{ id: 8, name: 'Future#8', created: 0.5 }]);
    expect(at(5)).toEqual([]);
  });
});

