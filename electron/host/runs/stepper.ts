/**
 * The debugger's decision between two callbacks: run the next one, or pause before it. Pure logic,
 * so that the worker, the tests and (later) the Python shim agree on what "step" means.
 */

/** What the user last asked for. */
export type StepMode =
  | { kind: 'run' }
  | { kind: 'pause' }
  /** Run `count` more callbacks, then pause. */
  | { kind: 'callback'; count: number }
  /** Run to the end of the current iteration (or the whole next one, when paused between two), then pause. */
  | { kind: 'iteration'; iteration: number | null }
  /** Run until a timer's callback is about to run, then pause before it. */
  | { kind: 'timer' };

/** The callback the loop is about to run. */
export interface NextCallback {
  /** The handle's id (stable for the run). */
  id: number;
  /** The callback's name as the event stream shows it (e.g. `helloWorld`, `Task-3.step`). */
  name: string;
  /** The task's name when the callback is a task step. */
  task?: string;
  /** The loop iteration it belongs to. */
  iteration: number;
  /** Whether it was a timer (callLater/callAt) that came due. */
  fromTimer: boolean;
}

/** Why the stepper paused. */
export type PauseReason = 'pause' | 'step' | 'breakpoint';

/** The stepper's state machine: `decide` before each callback, `ran` after it. */
export class Stepper {
  private mode: StepMode;
  private breakpoints = new Set<string>();
  /** The callback the loop paused before: the next command runs it without re-checking it. */
  private pausedBefore: number | undefined;

  constructor(startPaused = false) {
    this.mode = startPaused ? { kind: 'pause' } : { kind: 'run' };
  }

  /** Sets the command: run, pause, or one of the steps. */
  command(mode: StepMode): void {
    this.mode = mode;
  }

  /** The current command. */
  get current(): StepMode {
    return this.mode;
  }

  /** Whether `decide` must see every callback: a step, a pause or breakpoints (a free run without any needs none). */
  get watching(): boolean {
    return this.mode.kind !== 'run' || this.breakpoints.size > 0;
  }

  /** Breakpoints are callback or task names; a hit pauses before the callback runs. */
  setBreakpoints(names: readonly string[]): void {
    this.breakpoints = new Set(names);
  }

  /**
   * Before a callback: whether to pause before it, and why. Returns undefined to run it.
   * A breakpoint does not stop the callback that a step was asked to run.
   */
  decide(next: NextCallback): PauseReason | undefined {
    const reason = this.reasonToPause(next);
    this.pausedBefore = reason === undefined ? undefined : next.id;
    return reason;
  }

  private reasonToPause(next: NextCallback): PauseReason | undefined {
    const m = this.mode;
    if (m.kind === 'pause') return 'pause';
    if (m.kind === 'callback' && m.count <= 0) return 'step';
    if (m.kind === 'iteration') {
      if (m.iteration === null) this.mode = { kind: 'iteration', iteration: next.iteration };
      else if (next.iteration !== m.iteration) return 'step';
    }
    // The callback we stopped in front of runs now: that is what the user asked for.
    if (next.id === this.pausedBefore) return undefined;
    if (m.kind === 'timer' && next.fromTimer) return 'step';
    if (this.breakpoints.has(next.name) || (next.task !== undefined && this.breakpoints.has(next.task))) return 'breakpoint';
    return undefined;
  }

  /** After a callback ran: counts it against a callback step. */
  ran(): void {
    if (this.mode.kind === 'callback') this.mode = { kind: 'callback', count: this.mode.count - 1 };
  }

  /** The loop paused (for any reason): further callbacks wait for a command. */
  paused(): void {
    this.mode = { kind: 'pause' };
  }
}
