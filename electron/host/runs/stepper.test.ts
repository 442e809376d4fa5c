import { describe, expect, it } from 'vitest';
import { Stepper, type NextCallback } from './stepper';

const cb = (id: number, iteration: number, extra: Partial<NextCallback> = {}): NextCallback => ({ id, name: `cb${id}`, iteration, fromTimer: false, ...extra });

/** Drives a stepper over a sequence of callbacks as the loop would, and returns what ran until a pause. */
function drive(stepper: Stepper, queue: NextCallback[]): { ran: number[]; pausedBefore?: number; reason?: string } {
  const ran: number[] = [];
  while (queue.length > 0) {
    const next = queue[0];
    const reason = stepper.decide(next);
    if (reason) {
      stepper.paused();
      return { ran, pausedBefore: next.id, reason };
    }
    queue.shift();
    ran.push(next.id);
    stepper.ran();
  }
  return { ran };
}

describe('Stepper', () => {
  it('runs everything when running, and pauses before the first callback when started paused', () => {
    expect(drive(new Stepper(), [cb(1, 1), cb(2, 1)])).toEqual({ ran: [1, 2] });
    expect(drive(new Stepper(true), [cb(1, 1)])).toEqual({ ran: [], pausedBefore: 1, reason: 'pause' });
  });

  it('step one callback runs exactly one callback per step', () => {
    const s = new Stepper(true);
    const q = [cb(1, 1), cb(2, 1), cb(3, 2)];
    expect(drive(s, q).pausedBefore).toBe(1);
    for (const expected of [1, 2, 3]) {
      s.command({ kind: 'callback', count: 1 });
      expect(drive(s, q).ran).toEqual([expected]);
    }
  });

  it('step one iteration runs the rest of the current iteration', () => {
    const s = new Stepper(true);
    const q = [cb(1, 1), cb(2, 1), cb(3, 2), cb(4, 2), cb(5, 3)];
    drive(s, q);
    s.command({ kind: 'iteration', iteration: null });
    expect(drive(s, q)).toEqual({ ran: [1, 2], pausedBefore: 3, reason: 'step' });
    s.command({ kind: 'iteration', iteration: null });
    expect(drive(s, q)).toEqual({ ran: [3, 4], pausedBefore: 5, reason: 'step' });
  });

  it('run to the next timer pauses before a timer callback, and the next command runs it', () => {
    const s = new Stepper(true);
    const q = [cb(1, 1), cb(2, 2, { fromTimer: true }), cb(3, 2), cb(4, 3, { fromTimer: true })];
    drive(s, q);
    s.command({ kind: 'timer' });
    expect(drive(s, q)).toEqual({ ran: [1], pausedBefore: 2, reason: 'step' });
    s.command({ kind: 'timer' });
    expect(drive(s, q)).toEqual({ ran: [2, 3], pausedBefore: 4, reason: 'step' });
  });

  it('pauses at a breakpoint on a callback or task name, and resumes past it', () => {
    const s = new Stepper();
    s.setBreakpoints(['cb2', 'worker']);
    const q = [cb(1, 1), cb(2, 1), cb(3, 1, { name: 'Task-1.step', task: 'worker' }), cb(4, 1)];
    expect(drive(s, q)).toEqual({ ran: [1], pausedBefore: 2, reason: 'breakpoint' });
    s.command({ kind: 'run' });
    expect(drive(s, q)).toEqual({ ran: [2], pausedBefore: 3, reason: 'breakpoint' });
    s.command({ kind: 'run' });
    expect(drive(s, q)).toEqual({ ran: [3, 4] });
  });

  it('a pause request mid-batch stops before the next callback', () => {
    const s = new Stepper();
    const q = [cb(1, 1), cb(2, 1), cb(3, 1)];
    expect(s.decide(q[0])).toBeUndefined();
    s.ran();
    s.command({ kind: 'pause' });
    expect(s.decide(q[1])).toBe('pause');
  });
});

describe('Stepper.watching (whether the loop must ask it about every callback)', () => {
  it('is off only while it runs freely without breakpoints', () => {
    const s = new Stepper();
    expect(s.watching).toBe(false);
    s.setBreakpoints(['tick']);
    expect(s.watching).toBe(true);
    s.setBreakpoints([]);
    expect(s.watching).toBe(false);
    for (const mode of [{ kind: 'pause' }, { kind: 'callback', count: 2 }, { kind: 'iteration', iteration: null }, { kind: 'timer' }] as const) {
      s.command(mode);
      expect(s.watching).toBe(true);
    }
    s.command({ kind: 'run' });
    expect(s.watching).toBe(false);
    expect(new Stepper(true).watching).toBe(true);
  });
});
