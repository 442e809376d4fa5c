import { afterEach, describe, expect, it } from 'vitest';
import { engineEventSchema, type EngineEvent } from '../../../shared/engine/events';
import { loopSnapshotSchema } from '../../../shared/engine/snapshot';
import { newEventLoop, getEventLoop, setEventLoop, getRunningLoop, sleep, createTask, RuntimeError, BaseEventLoop } from '../index';
import { nodePlatform } from '../node/node-platform';
import { _getRunningLoop, _setRunningLoop } from './events';
import type { LogLevel, Platform } from './platform';

afterEach(() => {
  // A failed test must not leave a "running" loop behind for the next one.
  if (_getRunningLoop() !== null) _setRunningLoop(null);
  setEventLoop(null);
});

/** A platform whose monotonic clock the test moves by hand and whose log is captured. */
function fakePlatform(): Platform & { now: number; logs: { level: LogLevel; message: string; details: unknown[] }[] } {
  const p = {
    ...nodePlatform,
    now: 0,
    logs: [] as { level: LogLevel; message: string; details: unknown[] }[],
    monotonic: () => p.now,
    log: (level: LogLevel, message: string, ...details: unknown[]) => {
      p.logs.push({ level, message, details });
    },
  };
  return p;
}

const realTime = () => performance.now() / 1000;

describe('_run_once ordering (base_events.BaseEventLoop._run_once)', () => {
  it('callSoon callbacks run in FIFO order, with their arguments', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log: unknown[] = [];
    loop.callSoon((a: number, b: string) => log.push([a, b]), 1, 'x');
    loop.callSoon(() => log.push('second'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual([[1, 'x'], 'second']);
    loop.close();
  });

  it('callbacks scheduled during an iteration wait for the next iteration', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log: string[] = [];
    loop.callSoon(() => {
      log.push(`a@${loop.iteration}`);
      loop.callSoon(() => {
        log.push(`x@${loop.iteration}`);
        loop.stop();
      });
    });
    loop.callSoon(() => log.push(`b@${loop.iteration}`));
    await loop.runForever();
    expect(log).toEqual(['a@1', 'b@1', 'x@2']);
    loop.close();
  });

  it('stop() lets the current iteration finish (base_events._run_once)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('a');
      loop.stop();
      loop.callSoon(() => log.push('c (next iteration)'));
    });
    loop.callSoon(() => log.push('b'));
    await loop.runForever();
    expect(log).toEqual(['a', 'b']);
    expect(loop.isRunning()).toBe(false);
    // What was scheduled meanwhile stays queued for the next run.
    loop.stop();
    await loop.runForever();
    expect(log).toEqual(['a', 'b', 'c (next iteration)']);
    loop.close();
  });

  it('stop() before runForever() runs exactly one iteration (base_events.run_forever)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('first');
      loop.callSoon(() => log.push('second'));
    });
    loop.stop();
    await loop.runForever();
    expect(log).toEqual(['first']);
    expect(loop.iteration).toBe(1);
    loop.stop();
    await loop.runForever();
    expect(log).toEqual(['first', 'second']);
    loop.close();
  });

  it('callLater(0) between two callSoon runs after both: due timers join the ready queue (base_events._run_once)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log: string[] = [];
    loop.callSoon(() => log.push('soon 1'));
    loop.callLater(0, () => log.push('later 0'));
    loop.callSoon(() => log.push('soon 2'));
    loop.callLater(0, () => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['soon 1', 'soon 2', 'later 0']);
    expect(loop.iteration).toBe(1);
    loop.close();
  });

  it('timers run by deadline; equal deadlines in scheduling order (as uvloop)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log: string[] = [];
    const t0 = loop.time();
    loop.callAt(t0 + 1, () => log.push('a@1'));
    loop.callAt(t0 + 1, () => log.push('b@1'));
    loop.callAt(t0 + 0.5, () => log.push('c@0.5'));
    loop.callLater(1, () => log.push('d@1'));
    loop.callAt(t0 + 2, () => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['c@0.5', 'a@1', 'b@1', 'd@1']);
    loop.close();
  });

  it('a cancelled handle or timer does not run (events.Handle.cancel)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const log: string[] = [];
    const h = loop.callSoon(() => log.push('handle'));
    const t = loop.callLater(1, () => log.push('timer'));
    expect(t.when()).toBe(1);
    h.cancel();
    t.cancel();
    expect(h.cancelled()).toBe(true);
    expect(t.cancelled()).toBe(true);
    loop.callLater(2, () => loop.stop());
    await loop.runForever();
    expect(log).toEqual([]);
    loop.close();
  });

  it('many cancelled timers are dropped from the heap (base_events._run_once compaction)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const timers = Array.from({ length: 500 }, (_, i) => loop.callLater(10 + i, () => undefined));
    for (const t of timers) t.cancel();
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(loop.snapshot().scheduledCount).toBe(0);
    expect(loop._timers.size).toBe(0);
    loop.close();
  });
});

describe('clocks', () => {
  it('the virtual clock jumps to the next timer when nothing is ready: sleep(3600) ends at once', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const wall0 = realTime();
    const t0 = loop.time();
    expect(t0).toBe(0);
    await loop.runUntilComplete(() => sleep(3600));
    expect(loop.time() - t0).toBe(3600);
    expect(realTime() - wall0).toBeLessThan(5);
    loop.close();
  });

  it('the real clock waits for real: callLater(0.05) fires after at least 50 ms of loop time', async () => {
    const loop = newEventLoop({ clock: 'real' });
    const t0 = loop.time();
    let fired = 0;
    loop.callLater(0.05, () => {
      fired = loop.time();
      loop.stop();
    });
    await loop.runForever();
    expect(fired - t0).toBeGreaterThanOrEqual(0.049);
    expect(fired - t0).toBeLessThan(5);
    loop.close();
  });

  it('the virtual clock does not jump while I/O is pending (_ioPending hook)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    let timeWhenIoEnded = -1;
    loop.callLater(100, () => loop.stop());
    loop._ioPending(+1);
    setTimeout(() => {
      timeWhenIoEnded = loop.time();
      loop._ioPending(-1);
    }, 20);
    await loop.runForever();
    expect(timeWhenIoEnded).toBe(0);
    expect(loop.time()).toBe(100);
    loop.close();
  });
});

describe('waking and waiting', () => {
  it('callSoon from a Node callback wakes a loop that waits for a far timer (call_soon_threadsafe)', async () => {
    const loop = newEventLoop({ clock: 'real' });
    const far = loop.callLater(30, () => undefined);
    const wall0 = realTime();
    setTimeout(() => loop.callSoon(() => loop.stop()), 20);
    await loop.runForever();
    expect(realTime() - wall0).toBeLessThan(10);
    far.cancel();
    loop.close();
  });

  it('runForever() keeps waiting with nothing scheduled and settles only after stop()', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    let runningMeanwhile = false;
    setTimeout(() => {
      runningMeanwhile = loop.isRunning();
      loop.stop();
    }, 30);
    await loop.runForever();
    expect(runningMeanwhile).toBe(true);
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });

  it('a long run gives Node turns: a setImmediate callback runs while the loop is busy', async () => {
    const loop = newEventLoop({ clock: 'virtual', timeSlice: 0.001 });
    let nodeTurn = false;
    let iterationsAfter = 0;
    setImmediate(() => {
      nodeTurn = true;
    });
    const spin = (): void => {
      if (nodeTurn && ++iterationsAfter > 2) loop.stop();
      else loop.callSoon(spin);
    };
    loop.callSoon(spin);
    await loop.runForever();
    expect(nodeTurn).toBe(true);
    loop.close();
  });
});

describe('running, stopping, closing (base_events)', () => {
  it('runUntilComplete resolves with the result and rejects with the error', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    await expect(loop.runUntilComplete(async () => 42)).resolves.toBe(42);
    const boom = new Error('boom');
    await expect(
      loop.runUntilComplete(async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    loop.close();
  });

  it('runUntilComplete rejects when the loop stops before the future completes', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const fut = loop.createFuture();
    loop.callSoon(() => loop.stop());
    await expect(loop.runUntilComplete(fut)).rejects.toThrow('Event loop stopped before Future completed.');
    loop.close();
  });

  it('a closed loop refuses new callbacks with a clear error', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    loop.close();
    expect(loop.isClosed()).toBe(true);
    expect(() => loop.callSoon(() => undefined)).toThrow(RuntimeError);
    expect(() => loop.callSoon(() => undefined)).toThrow('Event loop is closed');
    expect(() => loop.callLater(1, () => undefined)).toThrow('Event loop is closed');
    await expect(loop.runForever()).rejects.toThrow('Event loop is closed');
    loop.close(); // closing twice is allowed
  });

  it('a running loop cannot be run again, nor closed, nor can a second loop run meanwhile', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const other = newEventLoop({ clock: 'virtual' });
    const errors: string[] = [];
    loop.callSoon(() => {
      loop.runForever().catch((e: Error) => errors.push(e.message));
      other.runForever().catch((e: Error) => errors.push(e.message));
      try {
        loop.close();
      } catch (e) {
        errors.push((e as Error).message);
      }
      loop.stop();
    });
    await loop.runForever();
    await Promise.resolve();
    expect(errors.sort()).toEqual([
      'Cannot close a running event loop',
      'Cannot run the event loop while another loop is running',
      'This event loop is already running',
    ]);
    loop.close();
    other.close();
  });

  it('newEventLoop does not make the loop current; setEventLoop does; getRunningLoop only inside', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    expect(loop).toBeInstanceOf(BaseEventLoop);
    const current = getEventLoop();
    expect(current).not.toBe(loop);
    setEventLoop(loop);
    expect(getEventLoop()).toBe(loop);
    expect(() => getRunningLoop()).toThrow('no running event loop');
    let inside: unknown = null;
    loop.callSoon(() => {
      inside = getRunningLoop();
      loop.stop();
    });
    await loop.runForever();
    expect(inside).toBe(loop);
    loop.close();
    current.close();
  });
});

describe('exception handler (base_events.call_exception_handler)', () => {
  it('an error in a callback goes to the handler with message, exception and handle; the loop goes on', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const contexts: Record<string, unknown>[] = [];
    loop.setExceptionHandler((l, ctx) => {
      expect(l).toBe(loop);
      contexts.push(ctx);
    });
    const boom = new Error('boom');
    const log: string[] = [];
    const h = loop.callSoon(function failing() {
      throw boom;
    });
    loop.callSoon(() => log.push('still running'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(log).toEqual(['still running']);
    expect(contexts).toHaveLength(1);
    expect(contexts[0].exception).toBe(boom);
    expect(contexts[0].handle).toBe(h);
    expect(contexts[0].message).toMatch(/^Exception in callback <Handle failing\(\)>/);
    loop.close();
  });

  it('the default handler logs through the platform', async () => {
    const platform = fakePlatform();
    const loop = new BaseEventLoop({ clock: 'virtual' }, platform);
    loop.callSoon(() => {
      throw new Error('logged');
    });
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(platform.logs).toHaveLength(1);
    expect(platform.logs[0].level).toBe('error');
    expect(platform.logs[0].message).toContain('Exception in callback');
    expect((platform.logs[0].details[0] as Error).message).toBe('logged');
    loop.close();
  });

  it('the default handler renders context values as reprs, as asyncio prints them (no [object Object])', () => {
    const platform = fakePlatform();
    const loop = new BaseEventLoop({ clock: 'virtual' }, platform);
    class EchoProtocol {}
    loop.callExceptionHandler({ message: 'protocol.pauseWriting() failed', protocol: new EchoProtocol(), note: 'plain text' });
    expect(platform.logs[0].message).toBe('protocol.pauseWriting() failed\nnote: plain text\nprotocol: <EchoProtocol>');
    loop.close();
  });

  it('a handler that raises falls back to the default handler; callExceptionHandler can be called directly', async () => {
    const platform = fakePlatform();
    const loop = new BaseEventLoop({ clock: 'virtual' }, platform);
    loop.setExceptionHandler(() => {
      throw new Error('handler broke');
    });
    loop.callExceptionHandler({ message: 'custom' });
    expect(platform.logs[0].message).toContain('Unhandled error in exception handler');
    loop.setExceptionHandler(null);
    expect(loop.getExceptionHandler()).toBe(null);
    loop.callExceptionHandler({ message: 'plain' });
    expect(platform.logs[1].message).toBe('plain');
    loop.close();
  });
});

describe('debug mode', () => {
  it('warns about callbacks slower than slowCallbackDuration', async () => {
    const platform = fakePlatform();
    const loop = new BaseEventLoop({ clock: 'virtual', debug: true, slowCallbackDuration: 0.05 }, platform);
    loop.callSoon(function slow() {
      platform.now += 0.2; // the callback "takes" 200 ms
    });
    loop.callSoon(function quick() {
      platform.now += 0.01;
    });
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    const warnings = platform.logs.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^Executing <Handle slow\(\)> took 0\.200 seconds$/);
    loop.close();
  });

  it('warns about a slow native task step, measured until the task suspends', async () => {
    const platform = fakePlatform();
    const loop = new BaseEventLoop({ clock: 'virtual', debug: true }, platform);
    await loop.runUntilComplete(async () => {
      await sleep(0);
      platform.now += 0.5; // work after an await is part of the step
      await sleep(0);
    });
    expect(platform.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/^Executing <Handle Task\.step\(Task-\d+\)> took 0\.500 seconds$/)]);
    loop.close();
  });

  it('reports task exceptions that were never retrieved when the loop closes', async () => {
    const loop = newEventLoop({ clock: 'virtual', debug: true });
    setEventLoop(loop);
    const contexts: Record<string, unknown>[] = [];
    loop.setExceptionHandler((_l, ctx) => contexts.push(ctx));
    const lost = createTask(async function lost() {
      throw new Error('nobody looks');
    });
    const seen = createTask(async function seen() {
      throw new Error('retrieved');
    });
    await loop.runUntilComplete(() => sleep(1));
    expect(seen.exception()).toBeInstanceOf(Error);
    loop.close();
    expect(contexts).toHaveLength(1);
    expect(contexts[0].message).toBe('Task exception was never retrieved');
    expect(contexts[0].task).toBe(lost);
    expect((contexts[0].exception as Error).message).toBe('nobody looks');
  });
});

describe('observability', () => {
  it('emits schema-valid events for iterations, handles, timers, futures and tasks', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    setEventLoop(loop);
    const events: EngineEvent[] = [];
    loop.setEventSink((e) => events.push(e));
    const h = loop.callSoon(function greet(name: string) {
      return name;
    }, 'world');
    loop.callSoon(() => undefined).cancel();
    const fut = loop.createFuture<number>();
    loop.callLater(1, () => fut.setResult(7));
    await loop.runUntilComplete(async function main() {
      await fut;
      await sleep(0);
    });
    for (const e of events) expect(engineEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      'loop-state',
      'iteration-start',
      'iteration-end',
      'handle-scheduled',
      'handle-started',
      'handle-finished',
      'handle-cancelled',
      'timer-scheduled',
      'timer-due',
      'future-created',
      'future-state',
      'task-created',
      'task-step',
      'task-awaiting',
      'task-done',
    ]) {
      expect(types.has(t as EngineEvent['type']), t).toBe(true);
    }
    expect(events).toContainEqual(expect.objectContaining({ type: 'handle-scheduled', id: h.id, callback: 'greet', args: '"world"' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'task-awaiting', awaiting: `Future#${fut.id}`, awaitingId: fut.id }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'task-awaiting', awaiting: 'sleep(0)' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'future-state', id: fut.id, state: 'finished', detail: '7' }));
    const count = events.length;
    loop.setEventSink(null);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(events.length).toBe(count);
    loop.close();
  });

  it('exception handler calls are events too', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const events: EngineEvent[] = [];
    loop.setEventSink((e) => events.push(e));
    loop.setExceptionHandler(() => undefined);
    const h = loop.callSoon(() => {
      throw new TypeError('bad');
    });
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(events).toContainEqual(expect.objectContaining({ type: 'exception', handleId: h.id, exception: 'TypeError: bad' }));
    loop.close();
  });

  it('snapshot() shows the ready queue, the timers by deadline and the tasks with what they await', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    setEventLoop(loop);
    let snap: ReturnType<typeof loop.snapshot> | null = null;
    const fut = loop.createFuture();
    const waiter = createTask(async function waiter() {
      await fut;
    }, { name: 'the-waiter' });
    loop.callLater(5, function late() {});
    loop.callLater(2, function early() {});
    loop.callSoon(() => {
      loop.callSoon(function queued(n: number) {
        return n;
      }, 42);
      snap = loop.snapshot();
      fut.setResult(undefined);
    });
    await loop.runUntilComplete(waiter);
    const s = loopSnapshotSchema.parse(snap);
    expect(s.clock).toBe('virtual');
    expect(s.running).toBe(true);
    expect(s.ready.map((r) => r.callback)).toContain('queued');
    expect(s.ready.find((r) => r.callback === 'queued')?.args).toBe('42');
    expect(s.scheduled.map((t) => t.callback)).toEqual(['early', 'late']);
    expect(s.tasks).toEqual([{ id: waiter.id, name: 'the-waiter', state: 'pending', awaiting: `Future#${fut.id}`, awaitingId: fut.id }]);
    loop.close();
  });
});

describe('step gate (the debugger hook)', () => {
  it('pauses in front of a callback until resumeFromGate(), then asks again about the same callback', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    setEventLoop(loop);
    const log: string[] = [];
    const asked: string[] = [];
    let hold = true;
    loop.setStepGate((next) => {
      asked.push(`${next.callback}${next.task ? `[${next.task}]` : ''}@${next.iteration}${next.timer ? ' timer' : ''}`);
      if (next.callback === 'second' && hold) {
        hold = false;
        setTimeout(() => {
          expect(loop.isPaused()).toBe(true);
          expect(log).toEqual(['first']);
          loop.resumeFromGate();
        }, 10);
        return true;
      }
      return false;
    });
    loop.callSoon(function first() {
      log.push('first');
    });
    loop.callSoon(function second() {
      log.push('second');
    });
    loop.callLater(1, function third() {
      log.push('third');
    });
    await loop.runUntilComplete(createTask(async () => sleep(2), { name: 'sleeper' }));
    expect(log).toEqual(['first', 'second', 'third']);
    expect(asked.slice(0, 4)).toEqual(['first@1', 'second@1', 'second@1', 'Task.step[sleeper]@1']);
    expect(asked.slice(4)).toEqual(['third@2 timer', 'setResultUnlessCancelled@3 timer', 'taskWakeup[sleeper]@4', 'runUntilCompleteCb@5']);
    loop.close();
  });

  it('with an attention word, asks the gate only about the callbacks that run while the word is set', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const attention = new Int32Array(new SharedArrayBuffer(4));
    const asked: string[] = [];
    const ran: string[] = [];
    loop.setStepGate((next) => {
      asked.push(next.callback);
      return false;
    }, attention);
    const step = (name: string, then?: () => void) =>
      Object.defineProperty(
        () => {
          ran.push(name);
          then?.();
        },
        'name',
        { value: name },
      );
    loop.callSoon(step('a'));
    // Set from inside a callback: the next callback is the first the gate sees (as a pause request).
    loop.callSoon(step('b', () => Atomics.store(attention, 0, 1)));
    loop.callSoon(step('c'));
    loop.callSoon(step('d', () => Atomics.store(attention, 0, 0)));
    loop.callSoon(step('e'));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(asked).toEqual(['c', 'd']);
    loop.close();
  });
});

describe('snapshot cost', () => {
  it('stays cheap with 10,000 pending handles and 10,000 timers (generous bound)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    for (let i = 0; i < 10_000; i++) loop.callSoon(function pending(n: number) {
      return n;
    }, i);
    for (let i = 0; i < 10_000; i++) loop.callLater(10_000 - i, function timer() {});
    const t0 = performance.now();
    let snap = loop.snapshot();
    for (let i = 0; i < 9; i++) snap = loop.snapshot();
    const perSnapshotMs = (performance.now() - t0) / 10;
    expect(snap.readyCount).toBe(10_000);
    expect(snap.ready).toHaveLength(1000);
    expect(snap.scheduledCount).toBe(10_000);
    expect(snap.scheduled[0].when).toBe(1);
    expect(loop.snapshot({ limit: Infinity }).ready).toHaveLength(10_000);
    // A frame is 16 ms; this bound only catches a blow-up, not normal machine noise.
    expect(perSnapshotMs).toBeLessThan(200);
    loop.close();
  });
});
