import type { EngineEvent } from '../../../shared/engine/events';

/**
 * Per-iteration figures for the timeline plot: at each iteration's start, the ready queue's length
 * and the number of timers; and how many events the iteration produced. The newest `capacity`
 * iterations are kept.
 */
export class IterationSeries {
  readonly iterations: number[] = [];
  readonly ready: number[] = [];
  readonly timers: number[] = [];
  readonly events: number[] = [];
  readonly times: number[] = [];

  constructor(readonly capacity = 10_000) {}

  get size(): number {
    return this.iterations.length;
  }

  /** Counts an event into the current iteration; an iteration's start opens a new point. */
  observe(event: EngineEvent): void {
    if (event.type === 'iteration-start') {
      this.iterations.push(event.iteration);
      this.ready.push(event.ready);
      this.timers.push(event.scheduled);
      this.events.push(1);
      this.times.push(event.time);
      if (this.iterations.length > this.capacity + 1000) {
        for (const series of [this.iterations, this.ready, this.timers, this.events, this.times]) series.splice(0, 1000);
      }
      return;
    }
    const last = this.events.length - 1;
    if (last >= 0) this.events[last]++;
  }
}
