// The recorder: a RunListener that writes everything a run reports (engine events, console output,
// errors, state changes) to a recording as it arrives, and finalises the file when the run ends.
// It sits in the host, beside whoever watches the run, so a run is recorded whether or not a
// window is looking at it.
import type { EncodedEvents } from '../../../shared/engine/event-lines';
import type { EngineEvent } from '../../../shared/engine/events';
import type { RecordingHeader } from '../../../shared/recording/format';
import { runEnded } from '../../../shared/runs/run';
import { parseEncodedEvents } from '../runs/event-batch';
import type { RunListener, RunState } from '../runs/run-manager';
import type { OutputChunk, ScenarioErrorInfo } from '../runs/worker-protocol';
import { RecordingWriter } from './recording-writer';

/** What a finished recording holds. */
export interface RecordingTotals {
  /** The final path (after the rename), or the `.partial` path when finishing failed. */
  file: string;
  lines: number;
  events: number;
  /** The `wall` of the last line. */
  durationMs: number;
  runState: 'finished' | 'failed' | 'stopped' | null;
  /** Why the recording could not be completed (a full disk), when it could not. */
  failure?: string;
}


/** Records one run into one file. */
export class RunRecorder {
  private events = 0;
  private runState: RecordingTotals['runState'] = null;
  private ending: Promise<RecordingTotals> | null = null;
  private resolveDone!: (totals: RecordingTotals) => void;
  /** Settles once the run ended and the file was finalised (or finishing failed). */
  readonly done: Promise<RecordingTotals> = new Promise((resolve) => (this.resolveDone = resolve));

  private constructor(private readonly writer: RecordingWriter) {}

  /** Creates `<file>.partial` with its header; the run's listener is `recorder.listener`. */
  static async create(file: string, header: RecordingHeader): Promise<RunRecorder> {
    return new RunRecorder(await RecordingWriter.create(file, header));
  }

  /** The final path of the recording. */
  get file(): string {
    return this.writer.file;
  }

  /** Lines and events so far, and the wall time since the start. */
  progress(): { lines: number; events: number; durationMs: number; sizeBytes: number } {
    return { lines: this.writer.count, events: this.events, durationMs: this.writer.elapsedMs, sizeBytes: this.writer.bytes };
  }

  /** The listener to attach to the run (beside the one that publishes to windows). */
  readonly listener: RunListener = {
    output: (chunks: OutputChunk[]) => this.write(() => this.writer.append(chunks.map((c) => ({ kind: 'output' as const, stream: c.stream, text: c.text })))),
    events: (events: EngineEvent[]) => {
      this.events += events.length;
      this.write(() => this.writer.appendEvents(events));
    },
    // A worker's events as it encoded them: stored as they came, never parsed here.
    eventBatch: (batch: EncodedEvents) => {
      this.events += batch.count;
      this.write(() => this.writer.appendEncodedEvents(batch));
    },
    error: (error: ScenarioErrorInfo, fatal: boolean) =>
      this.write(() =>
        this.writer.append([
          {
            kind: 'error',
            fatal,
            name: error.name,
            message: error.message,
            stack: error.stack,
            ...(error.location ? { line: error.location.line, column: error.location.column } : {}),
          },
        ]),
      ),
    state: (state: RunState) => {
      this.write(() => this.writer.append([{ kind: 'state', state }]));
      if (runEnded(state)) {
        this.runState = state;
        void this.finish();
      }
    },
  };

  /** Finalises the recording now (the run ended, or the host is closing). */
  finish(): Promise<RecordingTotals> {
    this.ending ??= (async () => {
      const totals: RecordingTotals = { file: this.writer.file, lines: this.writer.count, events: this.events, durationMs: this.writer.lastWallMs, runState: this.runState };
      try {
        totals.file = await this.writer.finish();
      } catch (error) {
        totals.file = `${this.writer.file}.partial`;
        totals.failure = error instanceof Error ? error.message : String(error);
      }
      this.resolveDone(totals);
      return totals;
    })();
    return this.ending;
  }

  /** Drops the recording (its run could not start): the `.partial` file is deleted. */
  async discard(): Promise<void> {
    if (this.ending !== null) return;
    this.ending = this.writer.discard().then(() => ({ file: this.writer.file, lines: 0, events: 0, durationMs: 0, runState: null, failure: 'discarded' }));
    this.resolveDone(await this.ending);
  }

  private write(append: () => void): void {
    // After finish, late messages (none are expected) are dropped rather than thrown at the run.
    if (this.ending !== null) return;
    append();
  }
}

/**
 * A listener that passes every call to each of `listeners` in turn. An event batch goes as text to
 * the listeners that take it so, and parsed (once for all of them) to the others.
 */
export function combineListeners(...listeners: RunListener[]): RunListener {
  const combined: RunListener = {
    output: (chunks) => listeners.forEach((l) => l.output?.(chunks)),
    events: (events) => listeners.forEach((l) => l.events?.(events)),
    snapshot: (snapshot) => listeners.forEach((l) => l.snapshot?.(snapshot)),
    state: (state, detail) => listeners.forEach((l) => l.state?.(state, detail)),
    error: (error, fatal) => listeners.forEach((l) => l.error?.(error, fatal)),
  };
  if (listeners.some((l) => l.eventBatch)) {
    combined.eventBatch = (batch) => {
      let parsed: EngineEvent[] | undefined;
      for (const l of listeners) {
        if (l.eventBatch) l.eventBatch(batch);
        else l.events?.((parsed ??= parseEncodedEvents(batch)));
      }
    };
  }
  return combined;
}
