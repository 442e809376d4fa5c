import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { IterationSeries } from './iteration-series';

const start = (iteration: number, ready: number): EngineEvent => ({ type: 'iteration-start', time: iteration / 10, iteration, ready, scheduled: 0 });
const ran = (id: number): EngineEvent => ({ type: 'handle-started', time: 0, id });

describe("the timeline's per-iteration series", () => {
  it('has a point per iteration start, counting the events of each', () => {
    const s = new IterationSeries();
    for (const e of [start(1, 3), ran(1), ran(2), start(2, 1), ran(3)]) s.observe(e);
    expect(s.iterations).toEqual([1, 2]);
    expect(s.ready).toEqual([3, 1]);
    expect(s.events).toEqual([3, 2]);
  });

  it('keeps every start as a point without snapshots (a second loop starts again at 1)', () => {
    const s = new IterationSeries();
    for (const e of [start(1, 1), start(2, 1), start(1, 5)]) s.observe(e);
    expect(s.iterations).toEqual([1, 2, 1]);
  });

  it('takes the iterations whose starts were dropped from snapshots, their event count unknown, and counts later events of older ones into the last point', () => {
    const s = new IterationSeries();
    s.observe(start(1, 2));
    s.observe(ran(1));
    expect(s.observeSnapshot(40, 1000, 0, 4)).toBe(true);
    expect(s.observeSnapshot(40, 999, 0, 4)).toBe(false);
    expect(s.observeSnapshot(12, 5, 0, 1.2)).toBe(false);
    // The start of iteration 39 arrives after the snapshot of 40: not a point of its own.
    s.observe(start(39, 7));
    s.observe(start(41, 3));
    s.observe(ran(2));
    expect(s.iterations).toEqual([1, 40, 41]);
    expect(s.ready).toEqual([2, 1000, 3]);
    expect(s.events).toEqual([2, null, 2]);
  });
});
