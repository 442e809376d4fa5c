import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EncodedEvents } from '../../../shared/engine/event-lines';
import type { EngineEvent } from '../../../shared/engine/events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { ClockKind } from '../../../shared/scenarios/scenario';
import { runEnded } from '../../../shared/runs/run';
import { transpileScenario } from '../scenarios/transpile';
// Python programs run in the user's interpreter under the instrumentation (electron/host/python).
import { PythonRun, type PythonDetail } from '../python/python-run';
import { KEPT_LINES_BYTES } from './batch-credit';
import { ControlBlock, ControlRequest } from './control-block';
import { SCENARIO_RESOURCE_LIMITS, applyScenarioHeapFlags } from './worker-heap';
import { eventTick } from './event-tick';
import { LineBlocks } from './line-blocks';
import { EventBatch, parseEncodedEvents, sliceEncodedEvents } from './event-batch';
import { LineThread, type WrittenBatch } from './line-thread';
import type { PauseReason, StepMode } from './stepper';
import type { FromWorker, OutputChunk, ScenarioErrorInfo, ToWorker, WorkerStart } from './worker-protocol';

/** How long a stopping worker may take to end its child processes before it is terminated. */
const STOP_GRACE_MS = 150;

/** The blocks runs' event lines are written into when no line writer's thread can run (see line-thread.ts). */
const LINE_BLOCKS = new LineBlocks();

/** Where a run is in its life. */
export type RunState = 'running' | 'paused' | 'finished' | 'failed' | 'stopped';

/** What the owner of a run hears from it; every member is optional. */
export interface RunListener {
  output?(chunks: OutputChunk[]): void;
  /** `dropped`: events before these that this listener was not given (counted, see window-event-rate.ts). */
  events?(events: EngineEvent[], dropped?: number): void;
  /**
   * The same events as the worker encoded them (shared/engine/event-lines.ts). A run that has them
   * so gives them here instead of parsing them for `events`; a Python run has objects only and
   * always calls `events`, so implement both. The batch's text is complete (the worker's numbers
   * written out as recording lines) before any listener sees it.
   */
  eventBatch?(batch: EncodedEvents): void;
  snapshot?(snapshot: LoopSnapshot): void;
  state?(state: RunState, detail: { reason?: PauseReason; next?: { id: number; callback: string } | null }): void;
  error?(error: ScenarioErrorInfo, fatal: boolean): void;
}

/** Options of one run. */
export interface RunOptions {
  /** The scenario's absolute path (errors point here; relative imports resolve from its folder). */
  file: string;
  source: string;
  clock: ClockKind;
  startPaused?: boolean;
  breakpoints?: string[];
  /** Stream the engine's events (default true). */
  events?: boolean;
  /** Milliseconds between snapshots and batch flushes (default 16, one frame). */
  frameMs?: number;
  /** For `.py` files: the interpreter setting and the detail level (see electron/host/python). */
  python?: { interpreter?: string; detail?: PythonDetail };
}

/** How a run ended. */
export interface RunResult {
  state: Extract<RunState, 'finished' | 'failed' | 'stopped'>;
  /** The fatal error, when it failed. */
  error?: ScenarioErrorInfo;
  /** A Python run's exit code (128 + the signal's number when a signal ended it). */
  exitCode?: number;
  /** What the observer of a Python run has to say (partial view under uvloop, events that may be missing). */
  notices?: { kind: string; message: string }[];
}

/** What the host holds of a run, worker or Python process alike. */
export interface ScenarioRun {
  readonly id: string;
  readonly state: RunState;
  /** Settles when the run has ended and released everything it held. */
  readonly done: Promise<RunResult>;
  pause(): void;
  command(mode: Exclude<StepMode, { kind: 'pause' }>): void;
  setBreakpoints(names: string[]): void;
  write(transportId: number, data: Uint8Array): void;
  stop(): Promise<RunResult>;
}

/** One running scenario: a worker thread with its own engine, and the handle the host keeps. */
export class Run implements ScenarioRun {
  readonly id = randomUUID();
  private _state: RunState;
  private readonly control = new ControlBlock();
  private readonly worker: Worker;
  private readonly children = new Set<number>();
  private fatal: ScenarioErrorInfo | undefined;
  private onShutdownDone: (() => void) | undefined;
  private ended = false;
  /** The worker's messages (and its end) still being handled, in order (see `inOrder`). */
  private inbox: Promise<void> = Promise.resolve();
  /** Bytes of lines handed over that listeners keep still, counted as taken in (see KEPT_LINES_BYTES). */
  private keptBytes = 0;
  private resolveDone!: (result: RunResult) => void;
  /** Settles when the run has ended and released its worker, sockets and child processes. */
  readonly done: Promise<RunResult> = new Promise((resolve) => (this.resolveDone = resolve));

  /** @internal Use RunManager.start. */
  constructor(
    workerFile: string,
    start: Omit<WorkerStart, 'runId' | 'control' | 'eventTick'>,
    private readonly listener: RunListener,
    private readonly cleanup: () => Promise<void>,
    private readonly lines: LineThread,
    private readonly keptBudget: number,
  ) {
    this._state = start.startPaused ? 'paused' : 'running';
    if (start.startPaused) this.control.request(ControlRequest.Pause);
    applyScenarioHeapFlags();
    this.worker = new Worker(workerFile, {
      workerData: { ...start, runId: this.id, control: this.control.buffer, eventTick: start.events ? eventTick() : null } satisfies WorkerStart,
      resourceLimits: SCENARIO_RESOURCE_LIMITS,
      // The worker's own stdout/stderr are captured inside it; don't let stray writes reach ours.
      stdout: true,
      stderr: true,
    });
    // In the order they came: a batch waits for its lines, and what follows it waits for the batch.
    this.worker.on('message', (message: FromWorker) => this.inOrder(() => this.receive(message)));
    this.worker.on('error', (error) =>
      this.inOrder(() => {
        this.fatal ??= { name: error.name, message: error.message, stack: error.stack ?? String(error) };
        listener.error?.(this.fatal, true);
      }),
    );
    this.worker.on('exit', () => this.inOrder(() => this.end(this.fatal ? 'failed' : this._state === 'stopped' ? 'stopped' : 'finished')));
  }

  get state(): RunState {
    return this._state;
  }

  /** Pause before the next callback, even in the middle of a long batch. */
  pause(): void {
    if (this.isOver()) return;
    this.control.request(ControlRequest.Pause);
    this.send({ type: 'command', mode: { kind: 'pause' } });
  }

  /** Resume, or step: one callback, one iteration, or to the next timer. */
  command(mode: Exclude<StepMode, { kind: 'pause' }>): void {
    if (this.isOver()) return;
    this.control.request(ControlRequest.Run);
    this.send({ type: 'command', mode });
  }

  setBreakpoints(names: string[]): void {
    this.send({ type: 'breakpoints', names });
  }

  /** Sends bytes to a transport of the run (a connection, a subprocess's stdin). */
  write(transportId: number, data: Uint8Array): void {
    this.send({ type: 'write', transportId, data });
  }

  /**
   * Stops the run now. The stop flag halts the loop at the next callback boundary, so a responsive
   * worker kills and reaps its child processes first; a runaway one (`while (true) {}`) is
   * terminated after a short grace and its children are killed from here.
   */
  async stop(): Promise<RunResult> {
    if (!this.isOver()) {
      this._state = 'stopped';
      await this.release();
    }
    return this.done;
  }

  /** Ends the worker: children first (so this thread reaps them), then the thread itself. */
  private async release(): Promise<void> {
    this.control.request(ControlRequest.Stop);
    if (this.children.size > 0) {
      const done = new Promise<void>((resolve) => (this.onShutdownDone = resolve));
      this.worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
    }
    await this.worker.terminate();
  }

  private isOver(): boolean {
    return runEnded(this._state);
  }

  private send(message: ToWorker, transfer?: ArrayBuffer[]): void {
    if (!this.isOver()) this.worker.postMessage(message, transfer);
  }

  /** Runs `step` after every step before it (each a message of the worker, or its end). */
  private inOrder(step: () => void | Promise<void>): void {
    this.inbox = this.inbox.then(step).catch((error: unknown) => {
      // A listener that throws must not stop the run's later messages (nor its end) from coming.
      const e = error instanceof Error ? error : new Error(String(error));
      this.listener.error?.({ name: e.name, message: `the host failed to handle a message of the run: ${e.message}`, stack: e.stack ?? e.message }, false);
    });
  }

  private async receive(message: FromWorker): Promise<void> {
    const l = this.listener;
    switch (message.type) {
      case 'batch': {
        let written: WrittenBatch | null = null;
        let kept: { size: number; counted: boolean; released: boolean } | null = null;
        if (message.events !== null) {
          // The worker sends its events as numbers: every listener gets them as recording lines
          // (written on the line writer's thread, in a block lent to whoever keeps them), and the
          // worker gets the numbers' blocks back for its next batches. It may send as much more
          // once the lines are written and handed over, or, past what listeners may keep, once
          // every listener that kept them has let go (the recorder, once they are on disk). A host
          // that falls behind on any of these holds the run back (batch-credit.ts): memory and the
          // windows' lag stay bounded.
          const size = message.size;
          kept = { size, counted: false, released: false };
          const batch = kept;
          written = await this.lines.write(message.events, () => {
            batch.released = true;
            if (batch.counted) this.keptBytes -= size;
            else this.control.took(size);
          });
          if (written.records !== null) this.send({ type: 'recycle', blocks: written.records }, EventBatch.blocksTransferList(written.records));
          if (written.lost !== undefined) {
            const text = `${written.lost} events of this run were lost: the thread that writes their lines failed`;
            l.error?.({ name: 'Error', message: text, stack: text }, false);
          }
        } else if (message.size > 0) this.control.took(message.size);
        try {
          deliverInOrder(l, message.output, message.events);
        } finally {
          written?.release();
        }
        if (kept !== null && !kept.released && this.keptBytes + kept.size <= this.keptBudget) {
          // Handed over and kept by a listener: taken in now, while what listeners keep stays within the budget.
          kept.counted = true;
          this.keptBytes += kept.size;
          this.control.took(kept.size);
        }
        break;
      }
      case 'snapshot':
        l.snapshot?.(message.snapshot);
        break;
      case 'paused':
        this._state = 'paused';
        l.state?.('paused', { reason: message.reason, next: message.next });
        break;
      case 'resumed':
        this._state = 'running';
        l.state?.('running', {});
        break;
      case 'error':
        if (message.fatal) this.fatal ??= message.error;
        l.error?.(message.error, message.fatal);
        break;
      case 'child':
        if (message.exited) this.children.delete(message.pid);
        else this.children.add(message.pid);
        break;
      case 'write-failed':
        l.error?.({ name: 'Error', message: message.message, stack: message.message }, false);
        break;
      case 'shutdown-done':
        this.onShutdownDone?.();
        break;
      case 'finished':
        // The scenario's module has run to its end: release everything it still holds.
        if (!this.isOver()) void this.release();
        break;
    }
  }

  private async end(state: RunResult['state']): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this._state = state;
    for (const pid of this.children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.children.clear();
    await this.cleanup().catch(() => {});
    this.listener.state?.(state, {});
    this.resolveDone(this.fatal && state !== 'stopped' ? { state, error: this.fatal } : { state });
  }
}

/** Starts and keeps the runs of one host; several runs at once are kept apart. */
export class RunManager {
  private readonly runs = new Map<string, ScenarioRun>();

  /** Writes the lines of every run's events (one thread for all the runs). */
  private readonly lines: LineThread;

  /**
   * `engineDir` holds the built loopwright.mjs, scenario-worker.mjs and line-writer.mjs (out/engine);
   * `keptLinesBytes` is what listeners may keep of a run's lines while it goes on (KEPT_LINES_BYTES).
   */
  constructor(
    private readonly engineDir: string,
    private readonly keptLinesBytes = KEPT_LINES_BYTES,
  ) {
    this.lines = new LineThread(path.join(engineDir, 'line-writer.mjs'), LINE_BLOCKS);
  }

  /**
   * Transpiles and starts a scenario. A syntax error rejects with ScenarioSyntaxError before any
   * worker exists: nothing runs.
   */
  async start(options: RunOptions, listener: RunListener = {}): Promise<ScenarioRun> {
    if (options.file.endsWith('.py')) {
      // A Python program: rejects with PythonUnavailableError when no usable interpreter exists.
      const python = await PythonRun.start(
        { file: options.file, source: options.source, startPaused: options.startPaused, breakpoints: options.breakpoints, events: options.events, frameMs: options.frameMs, ...options.python },
        listener,
      );
      this.runs.set(python.id, python);
      void python.done.then(() => this.runs.delete(python.id));
      return python;
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'loopwright-run-'));
    const moduleFile = path.join(dir, 'scenario.mjs');
    try {
      const code = await transpileScenario({
        source: options.source,
        file: options.file,
        engineModule: path.join(this.engineDir, 'loopwright.mjs'),
        outFile: moduleFile,
      });
      await writeFile(moduleFile, code);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    let run: Run | undefined = undefined;
    const cleanup = async () => {
      if (run) this.runs.delete(run.id);
      await rm(dir, { recursive: true, force: true });
    };
    run = new Run(
      path.join(this.engineDir, 'scenario-worker.mjs'),
      {
        moduleFile,
        sourceFile: options.file,
        clock: options.clock,
        startPaused: options.startPaused ?? false,
        breakpoints: options.breakpoints ?? [],
        events: options.events ?? true,
        frameMs: options.frameMs ?? 16,
      },
      listener,
      cleanup,
      this.lines,
      this.keptLinesBytes,
    );
    this.runs.set(run.id, run);
    return run;
  }

  get(id: string): ScenarioRun | undefined {
    return this.runs.get(id);
  }

  /** The runs still going. */
  list(): ScenarioRun[] {
    return [...this.runs.values()];
  }

  /** Stops every run (the app is closing). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => run.stop()));
    await this.lines.close();
  }
}

/**
 * Hands a worker's batch to the listener in the order things happened: each output chunk after the
 * events emitted before it (a recording must not show a print ahead of the callback that made it).
 */
function deliverInOrder(l: RunListener, output: OutputChunk[], events: EncodedEvents | null): void {
  const sendEvents = (batch: EncodedEvents) => (l.eventBatch ? l.eventBatch(batch) : l.events?.(parseEncodedEvents(batch)));
  const total = events?.count ?? 0;
  let sent = 0;
  let pending: OutputChunk[] = [];
  const sendOutput = () => {
    if (pending.length > 0) l.output?.(pending);
    pending = [];
  };
  for (const chunk of output) {
    const at = Math.min(chunk.at ?? 0, total);
    if (at > sent) {
      sendOutput();
      sendEvents(sent === 0 && at === total ? events! : sliceEncodedEvents(events!, sent, at));
      sent = at;
    }
    pending.push({ stream: chunk.stream, text: chunk.text });
  }
  sendOutput();
  if (sent < total) sendEvents(sent === 0 ? events! : sliceEncodedEvents(events!, sent, total));
}
