// When the loop reads the clock for its events (Platform.eventTick), and the callback events given to
// a recorder as calls (CallbackRecorder): the same events, in the same order, as a plain sink gets.
import { describe, expect, it } from 'vitest';
import type { RecordingSink } from '../../../shared/engine/callback-recorder';
import type { EngineEvent } from '../../../shared/engine/events';
import { expandingSink } from '../testing/expanding-sink';
import { quietPlatform } from '../testing/test-loops';
import { NodeEventLoop } from '../node/node-events';
import { TICK_COUNT, TICK_RESTING, TICK_WANTED, TICK_WORDS } from './event-tick';
import type { Platform } from './platform';

/** A real-clock platform whose clock only moves when a test says so, with an optional tick. */
function fakeClock(tick: Int32Array | null) {
  const clock = { now: 100, reads: 0 };
  const platform: Platform = {
    ...quietPlatform,
    monotonic: () => {
      clock.reads++;
      return clock.now;
    },
    eventTick: tick,
  };
  return { clock, platform };
}

/** Three callbacks that each take 5 ms of the fake clock; the second one's end sees the tick move. */
async function threeCallbacks(tick: Int32Array | null, sink: (loop: NodeEventLoop) => void): Promise<NodeEventLoop> {
  const { clock, platform } = fakeClock(tick);
  // One slice for the whole run: a new slice reads the clock anew, which is not what is tested here.
  const loop = new NodeEventLoop({ clock: 'real', timeSlice: 1e6 }, platform);
  sink(loop);
  loop.callSoon(function first() {
    clock.now += 0.005;
  });
  loop.callSoon(function second() {
    clock.now += 0.005;
    if (tick !== null) tick[TICK_COUNT]++;
  });
  loop.callSoon(function third() {
    clock.now += 0.005;
    loop.stop();
  });
  await loop.runForever();
  return loop;
}

const finishedTimes = (events: EngineEvent[]) => events.filter((e) => e.type === 'handle-finished').map((e) => e.time);

describe('event times on the real clock', () => {
  it('without a tick, the end of every callback is read from the clock', async () => {
    const events: EngineEvent[] = [];
    const loop = await threeCallbacks(null, (l) => l.setEventSink((e) => events.push(e)));
    expect(finishedTimes(events)).toEqual([100.005, 100.01, 100.015]);
    loop.close();
  });

  it('with a tick, a callback ends at the last reading until the tick moves, then at a fresh one', async () => {
    const tick = new Int32Array(TICK_WORDS);
    const events: EngineEvent[] = [];
    const loop = await threeCallbacks(tick, (l) => l.setEventSink((e) => events.push(e)));
    // first: no tick since the iteration began (its reading, 100); second: the tick moved during it,
    // so the clock is read (100.01); third: no tick again, so it keeps that reading.
    expect(finishedTimes(events)).toEqual([100, 100.01, 100.01]);
    // Never earlier than an event before it.
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    loop.close();
  });

  it('reads the clock for every callback while the ticking thread rests, and asks it for ticks', async () => {
    const tick = new Int32Array(TICK_WORDS);
    tick[TICK_RESTING] = 1;
    const events: EngineEvent[] = [];
    const loop = await threeCallbacks(tick, (l) => l.setEventSink((e) => events.push(e)));
    expect(finishedTimes(events)).toEqual([100.005, 100.01, 100.015]);
    expect(tick[TICK_WANTED]).toBe(1);
    loop.close();
  });

  it('asks for ticks as each drain begins, and not without a sink', async () => {
    const tick = new Int32Array(TICK_WORDS);
    const quiet = await threeCallbacks(tick, () => {});
    expect(tick[TICK_WANTED]).toBe(0);
    quiet.close();
    const loop = await threeCallbacks(tick, (l) => l.setEventSink(() => {}));
    expect(tick[TICK_WANTED]).toBe(1);
    loop.close();
  });

  it('outside a callback, an event takes the last reading until the tick moves, then a fresh one', async () => {
    const tick = new Int32Array(TICK_WORDS);
    const { clock, platform } = fakeClock(tick);
    const loop = new NodeEventLoop({ clock: 'real', timeSlice: 1e6 }, platform);
    const events: EngineEvent[] = [];
    loop.setEventSink((e) => events.push(e));
    const scheduledTimes = () => events.filter((e) => e.type === 'handle-scheduled').map((e) => e.time);
    // A scenario's top level schedules three callbacks, 1 ms of the fake clock apart; the tick moves before the third.
    loop.callSoon(() => {});
    clock.now += 0.001;
    loop.callSoon(() => {});
    clock.now += 0.001;
    tick[TICK_COUNT]++;
    loop.callSoon(() => loop.stop());
    expect(scheduledTimes()).toEqual([100, 100, 100.002]);
    // The drain reads anew; what follows it outside a callback goes on from its last reading, never earlier.
    clock.now += 0.001;
    await loop.runForever();
    loop.callSoon(() => {});
    const times = events.map((e) => e.time);
    expect(times.at(-1)).toBe(100.003);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // While the ticking thread rests, the count says nothing of the time: every event reads the clock.
    tick[TICK_RESTING] = 1;
    clock.now += 0.001;
    loop.callSoon(() => {});
    expect(scheduledTimes().at(-1)).toBe(100.004);
    loop.close();
  });

  it('reads the clock at the start of every drain, tick or not', async () => {
    const tick = new Int32Array(TICK_WORDS);
    const { clock, platform } = fakeClock(tick);
    // Waiting for a timer passes its delay on the fake clock, without a tick.
    platform.setTimer = (delay, callback) => {
      clock.now += delay;
      const timer = setImmediate(callback);
      return () => clearImmediate(timer);
    };
    const loop = new NodeEventLoop({ clock: 'real' }, platform);
    const events: EngineEvent[] = [];
    loop.setEventSink((e) => events.push(e));
    loop.callLater(2, function later() {
      loop.stop();
    });
    await loop.runForever();
    const due = events.find((e) => e.type === 'timer-due');
    expect(due?.time).toBe(102);
    expect(events.find((e) => e.type === 'handle-finished')?.time).toBe(102);
    loop.close();
  });
});

describe('the callbacks events given as calls', () => {
  it('are the handle-scheduled, handle-started and handle-finished events a plain sink gets, in the same order', async () => {
    const plain: EngineEvent[] = [];
    const plainLoop = await threeCallbacks(new Int32Array(TICK_WORDS), (l) => l.setEventSink((e) => plain.push(e)));
    plainLoop.close();

    const recorded: EngineEvent[] = [];
    const sink = expandingSink(recorded);
    const loop = await threeCallbacks(new Int32Array(TICK_WORDS), (l) => l.setEventSink(sink));
    loop.close();
    // Ids differ by nothing: both loops number from 1.
    expect(recorded).toEqual(plain);
    expect(recorded.filter((e) => e.type === 'handle-started')).toHaveLength(3);
  });

  it('detaches a recorder that raises, as it does a sink that raises', async () => {
    const logged: string[] = [];
    const platform: Platform = { ...quietPlatform, log: (_level, message) => void logged.push(message) };
    const loop = new NodeEventLoop({ clock: 'virtual' }, platform);
    const sink: RecordingSink = () => {};
    const full = () => {
      throw new Error('full');
    };
    sink.callbacks = { handlesScheduled: full, handleStarted: full, handleFinished: full, handlesRan: full, hold: () => {} };
    loop.setEventSink(sink);
    let ran = false;
    loop.callSoon(() => {
      ran = true;
      loop.stop();
    });
    await loop.runForever();
    expect(ran).toBe(true);
    expect(loop.getEventSink()).toBeNull();
    expect(logged).toEqual(['The event sink raised and was detached']);
    loop.close();
  });
});
