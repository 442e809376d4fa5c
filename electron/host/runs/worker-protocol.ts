import type { EncodedEvents } from '../../../shared/engine/event-lines';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { ClockKind } from '../../../shared/scenarios/scenario';
import type { SourceLocation } from '../scenarios/transpile';
import type { RecycledBlocks } from './event-batch';
import type { PauseReason, StepMode } from './stepper';

/** What a scenario worker starts with (its workerData). */
export interface WorkerStart {
  runId: string;
  /** The transpiled scenario module (ESM with an inline source map). */
  moduleFile: string;
  /** The scenario's own path, to find its frames in stack traces. */
  sourceFile: string;
  clock: ClockKind;
  /** The control block's buffer (see control-block.ts). */
  control: SharedArrayBuffer;
  startPaused: boolean;
  breakpoints: string[];
  /** Whether to stream the engine's events (the CLI's plain run does not need them). */
  events: boolean;
  /** With events: the tick their times go by (event-tick.ts; Platform.eventTick). */
  eventTick: SharedArrayBuffer | null;
  /** Milliseconds between two snapshots / batch flushes (one animation frame by default). */
  frameMs: number;
}

/** Messages from the host to a worker. */
export type ToWorker =
  | { type: 'command'; mode: StepMode }
  | { type: 'breakpoints'; names: string[] }
  /** Bytes for a transport of the run (the terminal's input). */
  | { type: 'write'; transportId: number; data: Uint8Array }
  /** The run is being stopped: end the child processes (so they are reaped) and say so. */
  | { type: 'shutdown' }
  /** A batch's blocks, its lines written, for the worker's next batches (EventBatch.recycle). */
  | { type: 'recycle'; blocks: RecycledBlocks };

/** One piece of console output, in the order it was written. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
  /** In a worker's batch: how many of the batch's events were emitted before this text. */
  at?: number;
}

/** An error of the scenario, with where it happened in the scenario's own source. */
export interface ScenarioErrorInfo {
  name: string;
  message: string;
  stack: string;
  location?: SourceLocation;
}

/** Messages from a worker to the host. */
export type FromWorker =
  /**
   * A frame's output and events. The events travel as records in transferred buffers (a few
   * numbers each, traffic as its bytes: event-batch.ts; shared/engine/event-lines.ts), far cheaper
   * for the worker, whose time is the run's time, than a structured clone of as many objects or
   * their text; the host writes them as the recording lines that store them
   * (completeEncodedEvents), so the recorder only fills in their numbers.
   */
  | {
      type: 'batch';
      output: OutputChunk[];
      events: EncodedEvents | null;
      /** The events' bytes as the worker counts them against its credit (batch-credit.ts): the host takes them in with `ControlBlock.took`. */
      size: number;
    }
  | { type: 'snapshot'; snapshot: LoopSnapshot }
  | { type: 'paused'; reason: PauseReason; next: { id: number; callback: string } | null }
  | { type: 'resumed' }
  | { type: 'error'; error: ScenarioErrorInfo; fatal: boolean }
  /** The scenario module finished evaluating: the run is over. */
  | { type: 'finished' }
  | { type: 'child'; pid: number; exited: boolean }
  | { type: 'write-failed'; transportId: number; message: string }
  | { type: 'shutdown-done' };
