// The loop's three most frequent events (handle-scheduled, handle-started, handle-finished) for a
// sink with a CallbackRecorder, held back while they repeat: a no-argument callback scheduled again
// and again (ids one after the other, the same time), and callbacks that run one after the other with
// nothing between their start and end. Such a run goes to the recorder as one call with a count when
// anything else happens, so a busy loop pays a comparison and a count per callback instead of three
// calls (at 50 ns a callback, those calls were most of what observing a run cost its thread).
//
// The events and their order are exactly those of the loop without holding (callback-events.test.ts
// checks it): everything held is given to the recorder before any other event (`flush`, which the
// loop calls before each one), and whatever reads the recorder's events gives it a chance first
// (CallbackRecorder.hold).
import type { CallbackRecorder } from '../../../shared/engine/callback-recorder';
import { argsRepr, callbackName } from './format';

/** Handles one held run covers at most: the recorder's batches keep their size (a run is flushed when full). */
export const MAX_HELD_RUN = 4096;

export class CallbackEvents {
  /** Whether anything is held (the loop checks it before every other event). */
  pending = false;
  /** Whether the recorder holds `release` (it calls it before reading its events). */
  private held = false;
  /** Handles that ran one after the other with nothing between, at one time: ids ranFirst.. */
  private ranFirst = 0;
  private ranCount = 0;
  /** The id that would extend the run (ranFirst + ranCount). */
  private ranNext = -1;
  private ranTime = 0;
  /** The running callback whose handle-started is held (-1: none): nothing happened since it began. */
  private startId = -1;
  private startTime = 0;
  /** Handles scheduled one after the other, one callback, no arguments, at one time: ids schedFirst.. */
  private schedCallback: unknown = null;
  private schedFirst = 0;
  private schedCount = 0;
  /** The id that would extend the run (schedFirst + schedCount). */
  private schedNext = -1;
  private schedTime = 0;
  private readonly release = (): void => {
    this.held = false;
    this.flush();
  };

  /** `failed` is told when the recorder raises (the loop detaches the sink). */
  constructor(
    private readonly recorder: CallbackRecorder,
    private readonly failed: (exc: unknown) => void,
  ) {}

  /** handle-scheduled of handle `id` (`args` undefined: none). */
  scheduled(time: number, id: number, callback: unknown, args: unknown[] | undefined): void {
    if (args === undefined) {
      if (id === this.schedNext && callback === this.schedCallback && time === this.schedTime && this.schedCount < MAX_HELD_RUN) {
        this.schedCount++;
        this.schedNext = id + 1;
        return;
      }
      if (this.pending) this.flush();
      this.schedCallback = callback;
      this.schedFirst = id;
      this.schedCount = 1;
      this.schedNext = id + 1;
      this.schedTime = time;
      this.hold();
      return;
    }
    if (this.pending) this.flush();
    try {
      this.recorder.handlesScheduled(time, id, 1, callbackName(callback), argsRepr(args));
    } catch (exc) {
      this.failed(exc);
    }
  }

  /** handle-started of handle `id`. */
  started(time: number, id: number): void {
    // Scheduled outside a callback (a scenario's top level): before this start.
    if (this.schedCount > 0) this.flush();
    this.startId = id;
    this.startTime = time;
    // Called whether or not it holds already (hold() looks): a branch that only runs after a batch
    // was sent would be missing from the optimized code, and undo it the first time it runs.
    this.hold();
  }

  /** handle-finished of handle `id`, which `started` began. */
  finished(time: number, id: number): void {
    if (this.startId === id && this.schedCount === 0 && time === this.startTime) {
      // Nothing happened while it ran: it joins the run of such callbacks if it follows on at its time.
      this.startId = -1;
      if (id === this.ranNext && time === this.ranTime && this.ranCount < MAX_HELD_RUN) {
        this.ranCount++;
        this.ranNext = id + 1;
        return;
      }
      if (this.ranCount > 0) this.flush();
      this.ranFirst = id;
      this.ranCount = 1;
      this.ranNext = id + 1;
      this.ranTime = time;
      this.hold();
      return;
    }
    // Something happened while it ran, or it ended at another time than it began: whatever is held
    // (its start among it) is written before its end.
    if (this.pending) this.flush();
    try {
      this.recorder.handleFinished(time, id);
    } catch (exc) {
      this.failed(exc);
    }
  }

  /** Gives the recorder everything held, in the order it happened. */
  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    const r = this.recorder;
    // Each part is taken before its call: a recorder that sends a full batch from the call asks
    // for the rest (release) and gets it, in order, in its next batch.
    try {
      if (this.ranCount > 0) {
        const n = this.ranCount;
        this.ranCount = 0;
        this.ranNext = -1;
        r.handlesRan(this.ranTime, this.ranFirst, n);
      }
      if (this.startId >= 0) {
        const id = this.startId;
        this.startId = -1;
        r.handleStarted(this.startTime, id);
      }
      if (this.schedCount > 0) {
        const n = this.schedCount;
        this.schedCount = 0;
        this.schedNext = -1;
        const callback = this.schedCallback;
        this.schedCallback = null;
        r.handlesScheduled(this.schedTime, this.schedFirst, n, callbackName(callback), argsRepr(undefined));
      }
    } catch (exc) {
      this.failed(exc);
    }
  }

  private hold(): void {
    this.pending = true;
    if (this.held) return;
    this.held = true;
    try {
      this.recorder.hold(this.release);
    } catch (exc) {
      this.failed(exc);
    }
  }
}
