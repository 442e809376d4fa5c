// The callbacks' events a loop holds back for a recorder (callback-events.ts): the recorder is given
// exactly the events a plain sink gets, in the same order (every scheduling, start and end of a
// handle is an event, as in the loop's contract), only grouped into fewer calls.
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, EventSink } from '../../../shared/engine/events';
import { createMemoryTransportPair, newEventLoop, Protocol, setEventLoop, sleep, type BaseEventLoop, type Transport } from '../index';
import { expandingSink } from '../testing/expanding-sink';
import { resetLoops } from '../testing/test-loops';
import { MAX_HELD_RUN } from './callback-events';

afterEach(resetLoops);

function noop(): void {}

/** A protocol that echoes what it receives. */
class Echo extends Protocol {
  private transport: Transport | null = null;
  override connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  override dataReceived(data: Uint8Array): void {
    this.transport?.write(data);
  }
}

/** A protocol that sends three messages, one per echo, then closes. */
class Talker extends Protocol {
  private transport: Transport | null = null;
  private left = 3;
  override connectionMade(transport: Transport): void {
    this.transport = transport;
    transport.write(new TextEncoder().encode('ping'));
  }
  override dataReceived(): void {
    if (--this.left > 0) this.transport?.write(new TextEncoder().encode(`ping ${this.left}`));
    else this.transport?.close();
  }
}

/**
 * A scenario with every way a callback's events can meet: runs of callbacks scheduled before the loop
 * runs and from a callback, a run longer than a held run may be, callbacks with arguments among them,
 * a cancelled handle, a callback that raises, a timer, a task that sleeps, traffic between two
 * transports, output-free callbacks after all of it; the loop stops from a callback.
 */
async function busy(sink: EventSink): Promise<EngineEvent[]> {
  const loop: BaseEventLoop = newEventLoop({ clock: 'virtual' });
  setEventLoop(loop);
  loop.setExceptionHandler(() => {});
  loop.setEventSink(sink);
  for (let i = 0; i < 3; i++) loop.callSoon(noop);
  loop.callSoon(noop);
  loop.callSoon((n: number) => n, 7);
  loop.callSoon(function burst() {
    for (let i = 0; i < MAX_HELD_RUN + 10; i++) loop.callSoon(noop);
    loop.callSoon(noop).cancel();
    loop.callSoon(noop);
    loop.createFuture(); // takes an id: the next noop does not follow on
    loop.callSoon(noop);
    loop.callSoon(function raises() {
      throw new Error('boom');
    });
    loop.callSoon(noop);
    loop.callLater(0.5, function late() {
      for (let i = 0; i < 20; i++) loop.callSoon(noop);
      loop.callSoon(() => loop.stop());
    });
  });
  // A generator coroutine: its steps are the loop's callbacks alone (a native await is also a microtask).
  loop.createTask(
    (function* sleeper() {
      yield sleep(0.1);
      const [a] = createMemoryTransportPair(loop, new Talker(), new Echo());
      yield sleep(0.1);
      a.close();
    })(),
    { name: 'sleeper' },
  );
  await loop.runForever();
  loop.close();
  return [];
}

describe('callbacks held back for a recorder', () => {
  it('reach it as exactly the events a plain sink gets, in the same order', async () => {
    const plain: EngineEvent[] = [];
    await busy((e) => plain.push(e));
    const recorded: EngineEvent[] = [];
    const sink = expandingSink(recorded);
    await busy(sink);
    expect(plain.filter((e) => e.type === 'transport-data').length).toBeGreaterThanOrEqual(6);
    expect(plain.some((e) => e.type === 'handle-cancelled')).toBe(true);
    expect(recorded).toEqual(plain);
    // Grouped: far fewer calls than events.
    const callbackEvents = plain.filter((e) => e.type === 'handle-scheduled' || e.type === 'handle-started' || e.type === 'handle-finished').length;
    const calls = sink.calls.handlesScheduled + sink.calls.handleStarted + sink.calls.handleFinished + sink.calls.handlesRan;
    expect(callbackEvents).toBeGreaterThan(3 * MAX_HELD_RUN);
    expect(calls).toBeLessThan(callbackEvents / 50);
  });

  it('hold no run longer than MAX_HELD_RUN handles', async () => {
    const recorded: EngineEvent[] = [];
    const sink = expandingSink(recorded);
    const counts: number[] = [];
    const callbacks = sink.callbacks!;
    sink.callbacks = {
      ...callbacks,
      handlesScheduled: (time, first, count, callback, args) => (counts.push(count), callbacks.handlesScheduled(time, first, count, callback, args)),
      handlesRan: (time, first, count) => (counts.push(count), callbacks.handlesRan(time, first, count)),
    };
    await busy(sink);
    expect(Math.max(...counts)).toBe(MAX_HELD_RUN);
  });

  it('are given when the recorder asks (before it counts or sends its events), and at the next other event', () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const recorded: EngineEvent[] = [];
    const sink = expandingSink(recorded);
    loop.setEventSink(sink);
    loop.callSoon(noop);
    loop.callSoon(noop);
    expect(recorded).toEqual([]);
    expect(sink.calls.hold).toBe(1);
    sink.release();
    expect(recorded.map((e) => [e.type, 'id' in e ? e.id : null])).toEqual([
      ['handle-scheduled', 1],
      ['handle-scheduled', 2],
    ]);
    loop.callSoon(noop);
    loop.callLater(1, noop);
    expect(recorded.map((e) => e.type).slice(2)).toEqual(['handle-scheduled', 'timer-scheduled']);
    // Detaching the sink gives it what was held for it.
    loop.callSoon(noop);
    loop.setEventSink(null);
    expect(recorded.at(-1)).toMatchObject({ type: 'handle-scheduled', id: 5 });
    loop.close();
  });
});
