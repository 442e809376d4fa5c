import type { TrafficSink } from './traffic-sink';

/**
 * The loop's three most frequent events as calls with their fields, for a sink that records them
 * without building an object each: a busy loop emits three per callback (scheduled, started,
 * finished), and a scenario worker's batch (electron/host/runs/event-batch.ts) writes them as a few
 * numbers. Each call stands for the event of the same name in events.ts, with the same fields.
 */
export interface CallbackRecorder {
  handleScheduled(time: number, id: number, callback: string, args: string): void;
  handleStarted(time: number, id: number): void;
  handleFinished(time: number, id: number): void;
}

/**
 * An event sink that may take the callbacks' events as calls (see CallbackRecorder) and traffic as
 * bytes (see TrafficSink); every other event goes to the sink as an object.
 */
export type RecordingSink = TrafficSink & { callbacks?: CallbackRecorder };
