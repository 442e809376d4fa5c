import type { TrafficSink } from './traffic-sink';

/**
 * The loop's three most frequent events as calls with their fields, for a sink that records them
 * without building an object each: a busy loop emits three per callback (scheduled, started,
 * finished), and a scenario worker's batch (electron/host/runs/event-batch.ts) writes them as a few
 * numbers. Each call stands for the events of the same name in events.ts, with the same fields.
 *
 * The loop holds back runs of them (electron/engine/core/callback-events.ts) and gives them as one
 * call with a count; before anything else reaches the sink, everything held has been given.
 */
export interface CallbackRecorder {
  /** handle-scheduled of `count` handles with ids `first`, `first + 1`, ..., each with this callback and args. */
  handlesScheduled(time: number, first: number, count: number, callback: string, args: string): void;
  handleStarted(time: number, id: number): void;
  handleFinished(time: number, id: number): void;
  /** handle-started then handle-finished of each of `count` handles with ids `first`, `first + 1`, ..., nothing between. */
  handlesRan(time: number, first: number, count: number): void;
  /**
   * The loop holds events back: the recorder calls `release` (once) before it counts or hands over
   * its events, and the loop gives them then.
   */
  hold(release: () => void): void;
}

/**
 * An event sink that may take the callbacks' events as calls (see CallbackRecorder) and traffic as
 * bytes (see TrafficSink); every other event goes to the sink as an object.
 */
export type RecordingSink = TrafficSink & { callbacks?: CallbackRecorder };
