import type { EngineEvent } from '../../../shared/engine/events';

/**
 * Per-iteration figures for the timeline plot: at each iteration's start, the ready queue's length
 * and the number of timers; and how many events the iteration produced. The newest `capacity`
 * iterations are kept. Where the host dropped events, snapshots fill in iterations whose start did
 * not arrive (`observeSnapshot`): their event count is unknown (null, a gap in the plot).
 */
export class IterationSeries {
  readonly iterations: number[] = [];
  readonly ready: number[] = [];
  readonly timers: number[] = [];
  readonly events: (number | null)[] = [];
  readonly times: number[] = [];
  /** The last iteration a snapshot filled in (see `observeSnapshot`). */
  private filled = -Infinity;

  constructor(readonly capacity = 10_000) {}

  get size(): number {
    return this.iterations.length;
  }

  /** Counts an event into the current iteration; an iteration's start opens a new point. */
  observe(event: EngineEvent): void {
    // An iteration that a snapshot filled in already, or an older one: its events count toward the
    // last point. (Without such points, every start is a point: a second loop starts again at 1.)
    if (event.type === 'iteration-start' && !(event.iteration <= this.filled)) {
      this.add(event.iteration, event.ready, event.scheduled, 1, event.time);
      return;
    }
    const last = this.events.length - 1;
    if (last >= 0 && this.events[last] !== null) this.events[last]!++;
  }

  /** A snapshot's iteration, where its start may never arrive (the host dropped it): a point if it is new. */
  observeSnapshot(iteration: number, ready: number, timers: number, time: number): boolean {
    if (iteration <= this.lastIteration) return false;
    this.add(iteration, ready, timers, null, time);
    this.filled = iteration;
    return true;
  }

  private get lastIteration(): number {
    return this.iterations.length === 0 ? -Infinity : this.iterations[this.iterations.length - 1];
  }

  private add(iteration: number, ready: number, timers: number, events: number | null, time: number): void {
    this.iterations.push(iteration);
    this.ready.push(ready);
    this.timers.push(timers);
    this.events.push(events);
    this.times.push(time);
    if (this.iterations.length > this.capacity + 1000) {
      for (const series of [this.iterations, this.ready, this.timers, this.events, this.times]) series.splice(0, 1000);
    }
  }
}
