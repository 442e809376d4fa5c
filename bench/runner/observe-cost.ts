// What observing costs, stage by stage, measured in this process in CPU time (other work on a shared
// machine stretches wall time, much less CPU time): the callSoon and TCP echo workloads with no
// sink, with the engine building its events for a sink that only counts them (traffic given as
// bytes, as to a worker's sink), and with each event recorded into a worker's batch
// (electron/host/runs/event-batch.ts) as a scenario worker does, each full batch's memory leaving
// this thread as a worker's transfer takes it and coming back as the host gives it back (writing the
// lines is the host's work, on its own thread: timed apart, as host_ns_per_unit). The loops time
// their events by the event tick, as a worker's do. What a run in a worker adds beyond that (the
// message, and the host's share of the machine) is what the runner benchmark measures.
import { newEventLoop, nodePlatform, setEventLoop } from '../../electron/engine/index';
import { EventBatch, batchSink, completeEncodedEvents } from '../../electron/host/runs/event-batch';
import { eventTick } from '../../electron/host/runs/event-tick';
import { LineBlocks } from '../../electron/host/runs/line-blocks';
import type { RecordingSink } from '../../shared/engine/callback-recorder';
import type { EncodedEvents } from '../../shared/engine/event-lines';
import { Client, Echo } from './echo-protocols';
import { threadCpuNs } from './thread-cpu';

type Sink = RecordingSink | null;

/** `sink`, with `onEvent` called for each event it takes (traffic given as bytes, and callbacks' events as calls, too). */
function counting(sink: RecordingSink, onEvent: (n?: number) => void): RecordingSink {
  const counted: RecordingSink = (e) => {
    onEvent();
    sink(e);
  };
  const traffic = sink.traffic;
  if (traffic !== undefined) {
    counted.traffic = (time, transportId, kind, direction, data, fd, addr) => {
      onEvent();
      traffic(time, transportId, kind, direction, data, fd, addr);
    };
  }
  const callbacks = sink.callbacks;
  if (callbacks !== undefined) {
    // Counted as the events they stand for (the loop gives runs of callbacks as one call).
    counted.callbacks = {
      handlesScheduled: (time, first, count, callback, args) => {
        onEvent(count);
        callbacks.handlesScheduled(time, first, count, callback, args);
      },
      handleStarted: (time, id) => {
        onEvent();
        callbacks.handleStarted(time, id);
      },
      handleFinished: (time, id) => {
        onEvent();
        callbacks.handleFinished(time, id);
      },
      handlesRan: (time, first, count) => {
        onEvent(2 * count);
        callbacks.handlesRan(time, first, count);
      },
      hold: (release) => callbacks.hold(release),
    };
  }
  return counted;
}

/** The stages, each a sink factory. */
const STAGES: Record<string, () => Sink> = {
  'no sink': () => null,
  'events built (a counting sink)': () => {
    let n = 0;
    const sink: RecordingSink = () => void n++;
    sink.traffic = () => void n++;
    // What the loop holds it gives at its next other event (at the latest, as it stops).
    sink.callbacks = {
      handlesScheduled: (_t, _f, count) => void (n += count),
      handleStarted: () => void n++,
      handleFinished: () => void n++,
      handlesRan: (_t, _f, count) => void (n += 2 * count),
      hold: () => {},
    };
    return sink;
  },
  // The scenario worker's own sink.
  'events encoded into a batch': () => {
    const batch = new EventBatch();
    return batchSink(batch, () => {
      const blocks = EventBatch.blocksOf(batch.take()!.records)!;
      // Moved out as postMessage moves them, and given back as the host gives them once it has
      // written the lines (RunManager): at once here, as when the host keeps up with the run.
      batch.recycle(structuredClone(blocks, { transfer: EventBatch.blocksTransferList(blocks) }));
    });
  },
};

/**
 * The host's share, apart: a workload's batches, moved out as a worker's are and kept, then written
 * as the lines the host writes (completeEncodedEvents), in CPU time per unit. On its own thread in a
 * run; after the workload here, so that neither pays for the other's use of the caches.
 */
async function hostShare(workload: (sink: Sink) => Promise<{ units: number }>): Promise<number> {
  const batch = new EventBatch();
  const kept: EncodedEvents[] = [];
  const keep = () => {
    const taken = batch.take();
    if (taken !== null) kept.push(structuredClone(taken, { transfer: EventBatch.blocksTransferList(EventBatch.blocksOf(taken.records)!) }));
  };
  const { units } = await workload(batchSink(batch, keep));
  keep();
  // Into blocks used again, each back once its batch is handed over, as the run manager does.
  const blocks = new LineBlocks();
  const c0 = cpuMicros();
  for (const taken of kept) completeEncodedEvents(taken, blocks)?.();
  return ((cpuMicros() - c0) * 1000) / units;
}

/**
 * CPU time of this thread where Linux tells it (the loop's own, as a worker's loop has its thread),
 * else of the process, in microseconds.
 */
function cpuMicros(): number {
  const ns = threadCpuNs();
  if (ns !== null) return ns / 1000;
  const { user, system } = process.cpuUsage();
  return user + system;
}
const THREAD_CPU = threadCpuNs() !== null;

/** Workload A: 1,000,000 no-op callbacks in batches of 1,000 (three events each when observed). */
async function callSoon(sink: Sink): Promise<{ cpuUs: number; units: number; events: number }> {
  const N = 1_000_000;
  const loop = newEventLoop();
  let events = 0;
  if (sink) loop.setEventSink(counting(sink, (n = 1) => (events += n)));
  let scheduled = 0;
  const noop = (): void => {};
  const batch = (): void => {
    if (scheduled >= N) return loop.stop();
    for (let i = 0; i < 1000; i++) loop.callSoon(noop);
    scheduled += 1000;
    loop.callSoon(batch);
  };
  const c0 = cpuMicros();
  loop.callSoon(batch);
  await loop.runForever();
  const cpuUs = cpuMicros() - c0;
  loop.close();
  return { cpuUs, units: N, events };
}

/** Workload D: 10 clients each exchanging 2,000 messages of 1 KiB with an echo server in the same loop. */
async function tcpEcho(sink: Sink): Promise<{ cpuUs: number; units: number; events: number }> {
  const [C, M] = [10, 2_000];
  const loop = newEventLoop();
  setEventLoop(loop);
  let events = 0;
  if (sink) loop.setEventSink(counting(sink, (n = 1) => (events += n)));
  const cpuUs = await loop.runUntilComplete(async () => {
    const server = await loop.createServer(() => new Echo(), '127.0.0.1', 0);
    const [, port] = server.sockets[0].getsockname();
    let finished = 0;
    const all = loop.createFuture<void>();
    const c0 = cpuMicros();
    for (let i = 0; i < C; i++) await loop.createConnection(() => new Client(M, () => ++finished === C && all.setResult()), '127.0.0.1', port);
    await all;
    const used = cpuMicros() - c0;
    server.close();
    return used;
  });
  loop.close();
  setEventLoop(null);
  return { cpuUs, units: C * M, events };
}

/** Best-of-`rounds` CPU time per callback (A) and per message (D) at each stage, stages alternating. */
export async function observeCostInProcess(rounds: number): Promise<Record<string, unknown>[]> {
  const results: Record<string, unknown>[] = [];
  // Loops made from here on time their events by the tick, as a scenario worker's do.
  const tick = eventTick();
  nodePlatform.eventTick = tick === null ? null : new Int32Array(tick);
  for (const [name, workload, unit] of [
    ['call-soon', callSoon, 'ns_per_callback'],
    ['tcp-echo', tcpEcho, 'ns_per_message'],
  ] as const) {
    const best: Record<string, number> = {};
    let hostBest = Infinity;
    let eventsPerUnit = 0;
    for (let r = 0; r < rounds; r++) {
      for (const [stage, sink] of Object.entries(STAGES)) {
        // A pause for the collector to clear the last stage's garbage, which this one would pay for.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const { cpuUs, units, events } = await workload(sink());
        best[stage] = Math.min(best[stage] ?? Infinity, (cpuUs * 1000) / units);
        if (events > 0) eventsPerUnit = events / units;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      hostBest = Math.min(hostBest, await hostShare(workload));
    }
    const [none, built, encoded] = Object.values(best);
    results.push({
      in_process: name,
      unit,
      cpu: THREAD_CPU ? 'thread' : 'process',
      best_cpu: Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Math.round(v)])),
      events_per_unit: +eventsPerUnit.toFixed(2),
      ns_per_event_building: Math.round((built - none) / eventsPerUnit),
      ns_per_event_encoding: Math.round((encoded - built) / eventsPerUnit),
      overhead_pct: +((encoded / none - 1) * 100).toFixed(1),
      // What the host's thread spends writing the lines (not in the figures above).
      host_ns_per_unit: Math.round(hostBest),
      host_ns_per_event: Math.round(hostBest / eventsPerUnit),
    });
  }
  nodePlatform.eventTick = null;
  return results;
}
