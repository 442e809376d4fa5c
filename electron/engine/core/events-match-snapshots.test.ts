// Replay rebuilds the loop's state from events alone, so every change that a snapshot shows must be
// announced by an event, and a snapshot taken while an event is emitted must already show it.
import { afterEach, describe, expect, it } from 'vitest';
import { engineEventSchema, type EngineEvent } from '../../../shared/engine/events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import { createMemoryTransportPair, newEventLoop, Protocol, setEventLoop, sleep, type BaseEventLoop, type Transport } from '../index';

afterEach(() => setEventLoop(null));

/** Attaches a sink that keeps each event with the snapshot taken while it was emitted. */
function observe(loop: BaseEventLoop): { event: EngineEvent; snapshot: LoopSnapshot }[] {
  const seen: { event: EngineEvent; snapshot: LoopSnapshot }[] = [];
  loop.setEventSink((event) => seen.push({ event, snapshot: loop.snapshot() }));
  return seen;
}

const taskState = (s: LoopSnapshot, id: number) => s.tasks.find((t) => t.id === id)?.state;

describe('task steps are visible in the snapshot at their events', () => {
  it('a native task is running at its task-step event and pending at its task-awaiting event', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const seen = observe(loop);
    const task = loop.createTask(async () => {
      await sleep(1);
    });
    await loop.runUntilComplete(task);
    loop.close();
    const step = seen.find((s) => s.event.type === 'task-step' && s.event.id === task.id)!;
    const awaiting = seen.find((s) => s.event.type === 'task-awaiting' && s.event.id === task.id)!;
    expect(taskState(step.snapshot, task.id)).toBe('running');
    expect(taskState(awaiting.snapshot, task.id)).toBe('pending');
    expect(awaiting.snapshot.tasks[0]).toMatchObject({ awaiting: expect.stringMatching(/^sleep\(1\)|^Future#/) });
  });

  it('a generator task is running at its task-step event and pending at its task-awaiting event', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const seen = observe(loop);
    const task = loop.createTask(
      (function* () {
        yield* sleep(1);
      })(),
    );
    await loop.runUntilComplete(task);
    loop.close();
    const step = seen.find((s) => s.event.type === 'task-step' && s.event.id === task.id)!;
    const awaiting = seen.find((s) => s.event.type === 'task-awaiting' && s.event.id === task.id)!;
    expect(taskState(step.snapshot, task.id)).toBe('running');
    expect(taskState(awaiting.snapshot, task.id)).toBe('pending');
  });

  it('a generator task that yields sleep(0) reports it with task-awaiting, as a native one does', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const seen = observe(loop);
    const gen = loop.createTask(
      (function* () {
        yield* sleep(0);
      })(),
    );
    const native = loop.createTask(async () => {
      await sleep(0);
    });
    await loop.runUntilComplete(gen);
    await loop.runUntilComplete(native);
    loop.close();
    for (const task of [gen, native]) {
      const awaiting = seen.find((s) => s.event.type === 'task-awaiting' && s.event.id === task.id);
      expect(awaiting?.event).toMatchObject({ awaiting: 'sleep(0)' });
      expect(awaiting?.snapshot.tasks.find((t) => t.id === task.id)).toMatchObject({ state: 'pending', awaiting: 'sleep(0)' });
    }
  });

  it('a task cancelled before its first step is current at that step and gone at its task-done', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const seen = observe(loop);
    const task = loop.createTask(async () => {});
    task.cancel();
    await loop.runUntilComplete(sleep(0));
    loop.close();
    expect(task.cancelled()).toBe(true);
    const step = seen.find((s) => s.event.type === 'task-step' && s.event.id === task.id)!;
    expect(step.event).toMatchObject({ throws: expect.stringContaining('CancelledError') });
    expect(taskState(step.snapshot, task.id)).toBe('running');
    const done = seen.find((s) => s.event.type === 'task-done' && s.event.id === task.id)!;
    expect(done.snapshot.tasks.find((t) => t.id === task.id)).toBeUndefined();
    // Nothing is left running once the step is over.
    expect(seen.at(-1)?.snapshot.tasks.every((t) => t.state === 'pending')).toBe(true);
  });
});

class Sink extends Protocol {
  transport!: Transport;
  override connectionMade(t: Transport): void {
    this.transport = t;
  }
}

describe('traffic counters and buffers are announced by events', () => {
  it('transport-received counts bytes when they arrive, before transport-data delivers them', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const seen = observe(loop);
    const a = new Sink();
    const b = new Sink();
    const [ta, tb] = createMemoryTransportPair(loop, a, b);
    await loop.runUntilComplete(sleep(0));
    ta.write(new TextEncoder().encode('hello'));
    await loop.runUntilComplete(sleep(0));
    const received = seen.findIndex((s) => s.event.type === 'transport-received' && s.event.transportId === tb.id);
    const delivered = seen.findIndex((s) => s.event.type === 'transport-data' && s.event.direction === 'in' && s.event.transportId === tb.id);
    expect(seen[received]?.event).toMatchObject({ size: 5 });
    expect(received).toBeLessThan(delivered);
    // Counted on arrival: the snapshot at the received event already has the bytes.
    expect(seen[received].snapshot.transports?.find((t) => t.id === tb.id)?.bytesIn).toBe(5);
    ta.close();
    tb.close();
    await loop.runUntilComplete(sleep(0));
    loop.close();
    for (const s of seen) expect(engineEventSchema.safeParse(s.event).success).toBe(true);
  });

  it('transport-write-buffer reports each change of the write buffer, and only changes', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const seen = observe(loop);
    const [ta, tb] = createMemoryTransportPair(loop, new Sink(), new Sink());
    await loop.runUntilComplete(sleep(0));
    ta.write(new Uint8Array(10));
    ta.write(new Uint8Array(5));
    await loop.runUntilComplete(sleep(0));
    const sizes = seen.flatMap((s) => (s.event.type === 'transport-write-buffer' && s.event.transportId === ta.id ? [s.event.writeBufferSize] : []));
    expect(sizes).toEqual([10, 15, 0]);
    for (const { event, snapshot } of seen) {
      if (event.type !== 'transport-write-buffer') continue;
      expect(snapshot.transports?.find((t) => t.id === event.transportId)?.writeBufferSize).toBe(event.writeBufferSize);
    }
    ta.close();
    tb.close();
    await loop.runUntilComplete(sleep(0));
    loop.close();
  });

  it('at its pause-writing event the transport already shows writing paused (before pauseWriting() runs)', async () => {
    const loop = newEventLoop({ clock: 'virtual' });
    const seen = observe(loop);
    const calls: string[] = [];
    class Writer extends Sink {
      override pauseWriting(): void {
        calls.push('pauseWriting');
      }
    }
    const [ta, tb] = createMemoryTransportPair(loop, new Writer(), new Sink());
    await loop.runUntilComplete(sleep(0));
    tb.pauseReading();
    ta.setWriteBufferLimits(8, 0);
    ta.write(new Uint8Array(16));
    const flow = seen.find((s) => s.event.type === 'transport-flow' && s.event.what === 'pause-writing');
    expect(flow?.snapshot.transports?.find((t) => t.id === ta.id)?.paused.writing).toBe(true);
    expect(calls).toEqual(['pauseWriting']);
    ta.abort();
    tb.abort();
    await loop.runUntilComplete(sleep(0));
    loop.close();
  });
});
