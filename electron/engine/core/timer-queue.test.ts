import { describe, expect, it } from 'vitest';
import { newEventLoop, type TimerHandle } from '../index';
import { TimerQueue } from './timer-queue';

describe('TimerQueue (base_events._scheduled heap)', () => {
  it('pops by (deadline, scheduling order) with cancellations, against a reference sort', () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const q = new TimerQueue();
    let x = 7;
    const rnd = (): number => {
      x = (Math.imul(1664525, x) + 1013904223) >>> 0;
      return x / 4294967296;
    };
    const all: TimerHandle[] = [];
    const batches: TimerHandle[][] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) {
        // Few distinct deadlines, so that ties are frequent.
        const t = loop.callAt(Math.floor(rnd() * 50) + round * 10, () => undefined);
        all.push(t);
        q.push(t);
        if (rnd() < 0.2) {
          t._cancelled = true;
          q.cancelledCount++;
        }
      }
      const batch: TimerHandle[] = [];
      q.collectDue(round * 12, (t) => batch.push(t));
      batches.push(batch);
    }
    const last: TimerHandle[] = [];
    q.collectDue(Infinity, (t) => last.push(t));
    batches.push(last);
    for (const batch of batches) {
      for (let i = 1; i < batch.length; i++) {
        const a = batch[i - 1];
        const b = batch[i];
        expect(a._when < b._when || (a._when === b._when && a._seq < b._seq)).toBe(true);
      }
    }
    const popped = batches.flat();
    const live = all.filter((t) => !t._cancelled);
    expect(popped.length).toBe(live.length);
    expect(new Set(popped.map((t) => t._seq))).toEqual(new Set(live.map((t) => t._seq)));
    expect(q.size).toBe(0);
    expect(q.liveCount()).toBe(0);
    loop.close();
  });

  it('one collection returns timers sorted, equal deadlines in scheduling order', () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const q = new TimerQueue();
    const handles = [3, 1, 2, 1, 3, 0.5, 1].map((w) => loop.callAt(w, () => undefined));
    for (const h of handles) q.push(h);
    expect(q.nextDeadline()).toBe(0.5);
    const out: TimerHandle[] = [];
    expect(q.collectDue(2, (t) => out.push(t))).toBe(5);
    expect(out.map((t) => handles.indexOf(t))).toEqual([5, 1, 3, 6, 2]);
    expect(q.sorted(10).map((t) => handles.indexOf(t))).toEqual([0, 4]);
    loop.close();
  });
});
