// One Python program run in the user's interpreter under the instrumentation (python/): the same
// surface as a worker Run (state, pause, command, setBreakpoints, write, stop, done), its records
// decoded onto the shared event schema, its stdout and stderr streamed as they are written.
//
// The program is started with python/site on PYTHONPATH and the shim's variables set; descriptor 3
// carries the records to us, descriptor 4 our commands to it. It runs in its own process group, so
// stopping the run ends whatever it started as well.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { constants as osConstants } from 'node:os';
import type { ObserverNoticeEvent } from '../../../shared/engine/observer-events';
import { runEnded } from '../../../shared/runs/run';
import type { RunListener, RunResult, RunState, ScenarioRun } from '../runs/run-manager';
import type { StepMode } from '../runs/stepper';
import type { OutputChunk, ScenarioErrorInfo } from '../runs/worker-protocol';
import { interpreterSetting, resolvePython, type PythonInterpreter } from './interpreter';
import { ShimDecoder, type ShimHello } from './shim-records';
import { parsePythonError } from './traceback';

/** How much of a Python run is recorded: every handle and byte, callbacks without payloads, or tasks only. */
export type PythonDetail = 'full' | 'callbacks' | 'tasks';

/** Options of a Python run besides those of every run. */
export interface PythonRunOptions {
  /** The program's absolute path. */
  file: string;
  /** The editor's text, when it differs from the file (run from a temporary copy). */
  source?: string;
  /** Arguments after the program (sys.argv[1:]). */
  args?: string[];
  startPaused?: boolean;
  breakpoints?: string[];
  /** Stream events (default true). */
  events?: boolean;
  /** Milliseconds between batches of events and output (default 16). */
  frameMs?: number;
  /** Milliseconds between snapshot requests while running, when the listener takes snapshots (default 100). */
  snapshotMs?: number;
  /** The interpreter setting (default LOOPWRIGHT_PYTHON, else python3). */
  interpreter?: string;
  /** Default LOOPWRIGHT_PYTHON_DETAIL, else full. */
  detail?: PythonDetail;
  /** The folder holding site/ and loopwright_shim/ (default LOOPWRIGHT_SHIM_DIR, else the app's python/). */
  shimDir?: string;
}

const STDIN_TRANSPORT = 0;
/** How long stdout/stderr may stay open after the program exited (a child holding them) before we stop waiting. */
const CLOSE_GRACE_MS = 500;
/** The tail of stderr kept to read the fatal traceback from. */
const STDERR_TAIL = 64 * 1024;

/** The detail level a run gets when none is asked for. */
export function defaultDetail(env: NodeJS.ProcessEnv = process.env): PythonDetail {
  const d = env.LOOPWRIGHT_PYTHON_DETAIL;
  return d === 'callbacks' || d === 'tasks' ? d : 'full';
}

/**
 * The environment that makes the shim activate in a program (exported for tests that start Python
 * themselves). PYTHONUNBUFFERED makes output stream as it is written (the bytes are the same); the
 * shim removes it again, with its own variables, unless the user had set it.
 */
export function shimEnvironment(
  base: NodeJS.ProcessEnv,
  shimDir: string,
  options: { detail: PythonDetail; startPaused?: boolean; breakpoints?: string[]; eventsFd?: number; commandsFd?: number; extraPath?: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  const userPath = base.PYTHONPATH;
  const site = path.join(shimDir, 'site');
  env.PYTHONPATH = [site, options.extraPath, userPath].filter((p) => p !== undefined && p !== '').join(path.delimiter);
  if (userPath !== undefined || options.extraPath !== undefined) env.LOOPWRIGHT_SHIM_PYTHONPATH = [options.extraPath, userPath].filter((p) => p !== undefined && p !== '').join(path.delimiter);
  else delete env.LOOPWRIGHT_SHIM_PYTHONPATH;
  env.LOOPWRIGHT_SHIM_EVENTS_FD = String(options.eventsFd ?? 3);
  env.LOOPWRIGHT_SHIM_COMMANDS_FD = String(options.commandsFd ?? 4);
  env.LOOPWRIGHT_SHIM_DETAIL = options.detail;
  env.LOOPWRIGHT_SHIM_PAUSED = options.startPaused ? '1' : '0';
  env.LOOPWRIGHT_SHIM_BREAKPOINTS = JSON.stringify(options.breakpoints ?? []);
  if (base.PYTHONUNBUFFERED === undefined) {
    env.PYTHONUNBUFFERED = '1';
    env.LOOPWRIGHT_SHIM_UNBUFFERED = '1';
  }
  return env;
}

/**
 * The app's python/ folder: LOOPWRIGHT_SHIM_DIR, else the nearest python/ holding site/ above this
 * module (the source tree's, or the built app's beside out/).
 */
export function defaultShimDir(env: NodeJS.ProcessEnv = process.env, from: string = __dirname): string {
  if (env.LOOPWRIGHT_SHIM_DIR) return path.resolve(env.LOOPWRIGHT_SHIM_DIR);
  // The packaged app keeps it in its resources (outside app.asar: Python reads it from disk).
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && existsSync(path.join(resources, 'python', 'site', 'sitecustomize.py'))) return path.join(resources, 'python');
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'python');
    if (existsSync(path.join(candidate, 'site', 'sitecustomize.py'))) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..', 'python');
  }
}

/** A Python program running under the instrumentation. Start one with {@link PythonRun.start}. */
export class PythonRun implements ScenarioRun {
  readonly id = randomUUID();
  readonly language = 'python' as const;
  private _state: RunState;
  private readonly decoder: ShimDecoder;
  private readonly child: ChildProcess;
  private readonly commands: Writable | null;
  private output: OutputChunk[] = [];
  private stderrTail = '';
  private readonly notices: ObserverNoticeEvent[] = [];
  private frameTimer: ReturnType<typeof setInterval> | null = null;
  private snapshotTimer: ReturnType<typeof setInterval> | null = null;
  private ended = false;
  private resolveDone!: (result: RunResult) => void;
  /** Settles when the program has exited and its output and records are all delivered. */
  readonly done: Promise<RunResult> = new Promise((resolve) => (this.resolveDone = resolve));
  /** The interpreter's own account of itself (the shim's HELLO), once it arrived. */
  hello: ShimHello | null = null;

  /** Resolves the interpreter (rejecting with PythonUnavailableError) and starts the program. */
  static async start(options: PythonRunOptions, listener: RunListener = {}): Promise<PythonRun> {
    const python = await resolvePython(options.interpreter ?? interpreterSetting());
    let program = options.file;
    let tempDir: string | undefined;
    if (options.source !== undefined && options.source !== (await readFile(options.file, 'utf8').catch(() => undefined))) {
      // The editor's unsaved text runs from a copy; the file's folder stays importable.
      tempDir = await mkdtemp(path.join(tmpdir(), 'loopwright-py-'));
      program = path.join(tempDir, path.basename(options.file));
      await writeFile(program, options.source);
    }
    return new PythonRun(python, program, options, listener, tempDir);
  }

  private constructor(
    python: PythonInterpreter,
    program: string,
    private readonly options: PythonRunOptions,
    private readonly listener: RunListener,
    private readonly tempDir: string | undefined,
  ) {
    this._state = options.startPaused ? 'paused' : 'running';
    const wantEvents = options.events ?? true;
    this.decoder = new ShimDecoder({
      events: (events) => {
        if (wantEvents) listener.events?.(events);
      },
      snapshot: (snapshot) => listener.snapshot?.(snapshot),
      paused: (reason, next) => {
        if (this.isOver()) return;
        this.flushOutput();
        this._state = 'paused';
        listener.state?.('paused', { reason, next });
      },
      resumed: () => {
        if (this.isOver()) return;
        this._state = 'running';
        listener.state?.('running', {});
      },
      hello: (hello) => (this.hello = hello),
      notice: (notice) => this.notices.push(notice),
    });
    const shimDir = options.shimDir ?? defaultShimDir();
    const env = shimEnvironment(process.env, shimDir, {
      detail: options.detail ?? defaultDetail(),
      startPaused: options.startPaused,
      breakpoints: options.breakpoints,
      ...(this.tempDir ? { extraPath: path.dirname(options.file) } : {}),
    });
    const argv = [...python.args, ...(python.needsRunner ? [path.join(shimDir, 'loopwright_run.py')] : []), program, ...(options.args ?? [])];
    this.child = spawn(python.command, argv, {
      cwd: path.dirname(options.file),
      env,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const [stdin, stdout, stderr, records, commands] = this.child.stdio as [Writable, Readable, Readable, Readable, Writable];
    this.commands = commands ?? null;
    this.commands?.on('error', () => {}); // the program may exit before reading a command
    stdin?.on('error', () => {});
    this.pipeOutput(stdout, 'stdout');
    this.pipeOutput(stderr, 'stderr');
    this.pipeRecords(records);
    this.child.on('error', (error) => {
      const info: ScenarioErrorInfo = { name: error.name, message: `${python.command}: ${error.message}`, stack: error.stack ?? error.message };
      listener.error?.(info, true);
      void this.end(null, null, info);
    });
    let exitTimer: ReturnType<typeof setTimeout> | undefined;
    this.child.on('exit', (code, signal) => {
      // stdout/stderr may be held open by a child the program left behind: do not wait for ever.
      exitTimer = setTimeout(() => {
        stdout?.destroy();
        stderr?.destroy();
        records?.destroy();
        void this.end(code, signal);
      }, CLOSE_GRACE_MS);
    });
    this.child.on('close', (code, signal) => {
      clearTimeout(exitTimer);
      void this.end(code, signal);
    });
    const frameMs = options.frameMs ?? 16;
    this.frameTimer = setInterval(() => this.flushFrame(), frameMs);
    this.frameTimer.unref();
    if (listener.snapshot && wantEvents) {
      this.snapshotTimer = setInterval(() => {
        if (this._state === 'running') this.send({ cmd: 'snapshot' });
      }, options.snapshotMs ?? 100);
      this.snapshotTimer.unref();
    }
  }

  get state(): RunState {
    return this._state;
  }

  /** The process id of the interpreter. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Pause before the next callback (said at once when the loop is idle or between callbacks). */
  pause(): void {
    this.send({ cmd: 'mode', mode: { kind: 'pause' } });
  }

  /** Resume, or step: one callback, one iteration, or to the next timer. */
  command(mode: Exclude<StepMode, { kind: 'pause' }>): void {
    this.send({ cmd: 'mode', mode });
  }

  setBreakpoints(names: string[]): void {
    this.send({ cmd: 'breakpoints', names });
  }

  /**
   * Sends bytes into the program: transport 0 is its stdin; any other id is one of its asyncio
   * transports, written on the loop's thread at its next select (the shim wakes the loop for it).
   */
  write(transportId: number, data: Uint8Array): void {
    if (this.isOver()) return;
    if (transportId === STDIN_TRANSPORT) {
      this.child.stdin?.write(data);
      return;
    }
    this.send({ cmd: 'write', transport: transportId, data: Buffer.from(data).toString('base64') });
  }

  /** Stops the program and everything it started (SIGKILL to its process group). */
  async stop(): Promise<RunResult> {
    if (!this.isOver()) {
      this._state = 'stopped';
      this.killGroup();
    }
    return this.done;
  }

  private isOver(): boolean {
    return runEnded(this._state) || this.ended;
  }

  private send(command: object): void {
    if (this.isOver() || !this.commands || this.commands.destroyed) return;
    this.commands.write(`${JSON.stringify(command)}\n`);
  }

  private killGroup(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  private pipeOutput(stream: Readable | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    const text = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer) => {
      const s = text.write(chunk);
      if (s.length === 0) return;
      if (name === 'stderr') this.stderrTail = (this.stderrTail + s).slice(-STDERR_TAIL);
      const last = this.output[this.output.length - 1];
      if (last && last.stream === name) last.text += s;
      else this.output.push({ stream: name, text: s });
    });
    stream.on('end', () => {
      const rest = text.end();
      if (rest) this.output.push({ stream: name, text: rest });
    });
    stream.on('error', () => {});
  }

  private pipeRecords(stream: Readable | null): void {
    if (!stream) return;
    const text = new StringDecoder('utf8');
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += text.write(chunk);
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      // Every complete line of the chunk at once (see ShimDecoder.lines).
      this.decoder.lines(pending.slice(0, end));
      pending = pending.slice(end + 1);
    });
    stream.on('error', () => {});
  }

  private flushOutput(): void {
    if (this.output.length === 0) return;
    const chunks = this.output;
    this.output = [];
    this.listener.output?.(chunks);
  }

  private flushFrame(): void {
    this.flushOutput();
    this.decoder.flush();
  }

  private async end(code: number | null, signal: NodeJS.Signals | null, spawnError?: ScenarioErrorInfo): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.frameTimer) clearInterval(this.frameTimer);
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    const stopped = this._state === 'stopped';
    // Whatever the program left running goes with it, as a worker's children do.
    this.killGroup();
    if (!stopped && !spawnError && !this.decoder.exitedNormally) {
      const how = signal ? `was killed by ${signal}` : "ended without Python's normal shutdown (os._exit(), or a crash)";
      this.decoder.notice('events-may-be-missing', `The program ${how}: events recorded after the instrumentation last wrote may be missing.`);
    }
    this.flushOutput();
    this.decoder.flush(true);
    const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1);
    let fatal: ScenarioErrorInfo | undefined = spawnError;
    if (!fatal && !stopped && exitCode !== 0) {
      fatal = parsePythonError(this.stderrTail, this.options.file) ?? { name: 'ExitStatus', message: `the program exited with ${signal ?? `code ${exitCode}`}`, stack: '' };
      this.listener.error?.(fatal, true);
    }
    const state: RunResult['state'] = stopped ? 'stopped' : exitCode === 0 ? 'finished' : 'failed';
    this._state = state;
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true }).catch(() => {});
    this.listener.state?.(state, {});
    this.resolveDone({
      state,
      ...(fatal && state === 'failed' ? { error: fatal } : {}),
      exitCode,
      ...(this.notices.length > 0 ? { notices: this.notices.map(({ kind, message }) => ({ kind, message })) } : {}),
    });
  }
}
