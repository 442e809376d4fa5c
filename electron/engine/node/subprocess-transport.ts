/**
 * The subprocess transport over Node's `child_process.spawn` (asyncio's `_UnixSubprocessTransport`).
 * The callback order is base-subprocess.ts's; this file spawns, wires the child's pipes to pipe
 * transports, reports the exit code (minus the signal number for a signalled child, as Python) and
 * turns a failed spawn into asyncio's error (a missing program is FileNotFoundError).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { BaseEventLoop } from '../core/base-events';
import { BaseSubprocessTransport, ReadSubprocessPipeProto, WriteSubprocessPipeProto } from '../core/base-subprocess';
import type { Future } from '../core/futures';
import type { StdioSpec, SubprocessOptions } from '../core/io-loop';
import type { AnyProtocol } from '../core/transport-base';
import { ValueError } from '../core/value-error';
import { toOSError } from './node-errors';
import { ReadPipeTransport, WritePipeTransport } from './pipe-transport';

// On the virtual clock a running child is I/O in flight (its output or exit will come), so time
// does not jump past it; but a child that waits for input we have not sent yet would then block
// the loop forever. So a child holds the clock only while it shows signs of life: after this long
// (real time) without output or exit, time may jump again until it does.
const CHILD_QUIET_MS = 1000;

function processExited(t: NodeSubprocessTransport, returncode: number): void {
  t._processExited(returncode);
}
Object.defineProperty(processExited, 'name', { value: '_processExited' });

function nodeStdio(spec: StdioSpec | undefined): 'pipe' | 'inherit' | 'ignore' | number {
  if (spec === undefined || spec === 'pipe') return 'pipe';
  if (spec === null || spec === 'devnull') return 'ignore';
  if (spec === 'inherit') return 'inherit';
  if (typeof spec === 'number' && Number.isInteger(spec) && spec >= 0) return spec;
  throw new ValueError(`unsupported stdio value: ${String(spec)}`);
}

/** A child process as an asyncio SubprocessTransport. */
export class NodeSubprocessTransport extends BaseSubprocessTransport {
  /** @internal */ _proc: ChildProcess | null = null;
  /** @internal The child runs (until its exit event). */ _running = false;
  /** @internal On the virtual clock: the child holds time still (see CHILD_QUIET_MS). */ _holding = false;
  /** @internal */ _quietTimer: NodeJS.Timeout | null = null;
  private readonly _quiet = (): void => this._releaseClock();

  /**
   * @internal Spawns `program` with `args`. `waiter` resolves once connectionMade is scheduled,
   * or rejects with asyncio's error when the spawn fails.
   */
  constructor(loop: BaseEventLoop, protocol: AnyProtocol, program: string, args: readonly string[], options: SubprocessOptions, waiter: Future<unknown>, displayName = program) {
    const stdio = [nodeStdio(options.stdin), nodeStdio(options.stdout), nodeStdio(options.stderr)] as const;
    super(loop, protocol, displayName, { stdin: stdio[0] === 'pipe', stdout: stdio[1] === 'pipe', stderr: stdio[2] === 'pipe' });
    const proc = spawn(program, args, {
      stdio: stdio as unknown as StdioOptions,
      cwd: options.cwd,
      env: options.env,
      // The engine reports a signalled child's code itself; Node must not kill it when we exit.
      detached: false,
      windowsHide: true,
    });
    this._proc = proc;
    if (proc.pid === undefined) {
      // Node reports a failed spawn (ENOENT, EACCES) asynchronously; asyncio raises from Popen.
      proc.once('error', (err) => {
        if (loop.isClosed()) return;
        this._closing = true;
        this._finished = true;
        this._proc = null;
        this._unregister();
        waiter.setException(toOSError(err, undefined, { filename: program }));
      });
      return;
    }
    this._pid = proc.pid;
    this._extra.subprocess = proc;
    this._extra.pid = proc.pid;
    this._running = true;
    this._touchClock();
    proc.on('exit', (code, signal) => {
      this._running = false;
      this._releaseClock();
      const returncode = code ?? -(signal === null ? 0 : (osConstants.signals as Record<string, number>)[signal] ?? 0);
      if (!loop.isClosed()) loop.callSoon(processExited, this, returncode);
    });
    proc.on('error', (err) => {
      // After a successful spawn, Node reports failed kill() calls here; asyncio ignores ESRCH.
      if (loop.getDebug()) loop._platform.log('debug', `${this}: ${err.message}`);
    });
    this._emitOpened({ pid: proc.pid, program: displayName });
    if (proc.stdin !== null) {
      const proto = new WriteSubprocessPipeProto(this, 0);
      this._pipes.set(0, proto);
      new WritePipeTransport(loop, proc.stdin, proto as unknown as AnyProtocol, { fd: 0, parentId: this._id });
    }
    if (proc.stdout !== null) {
      const proto = new ReadSubprocessPipeProto(this, 1);
      this._pipes.set(1, proto);
      new ReadPipeTransport(loop, proc.stdout, proto as unknown as AnyProtocol, { fd: 1, parentId: this._id });
    }
    if (proc.stderr !== null) {
      const proto = new ReadSubprocessPipeProto(this, 2);
      this._pipes.set(2, proto);
      new ReadPipeTransport(loop, proc.stderr, proto as unknown as AnyProtocol, { fd: 2, parentId: this._id });
    }
    this._schedulePipesConnected(waiter);
  }

  /** @internal Output from the child: on the virtual clock, it is alive and holds time still. */
  override _pipeDataReceived(fd: number, data: Uint8Array): void {
    this._touchClock();
    super._pipeDataReceived(fd, data);
  }

  /** @internal Holds the virtual clock (again) for CHILD_QUIET_MS; nothing on the real clock. */
  _touchClock(): void {
    if (this._loop.clock !== 'virtual' || !this._running) return;
    if (!this._holding) {
      this._holding = true;
      this._loop._ioPending(1);
    }
    if (this._quietTimer === null) {
      this._quietTimer = setTimeout(this._quiet, CHILD_QUIET_MS);
      this._quietTimer.unref();
    } else {
      this._quietTimer.refresh();
    }
  }

  /** @internal */
  _releaseClock(): void {
    if (this._quietTimer !== null) {
      clearTimeout(this._quietTimer);
      this._quietTimer = null;
    }
    if (this._holding) {
      this._holding = false;
      if (!this._loop.isClosed()) this._loop._ioPending(-1);
    }
  }

  /** @internal */
  override _abandon(): void {
    this._releaseClock();
    super._abandon();
  }

  /** @internal */
  protected _procAlive(): boolean {
    return this._proc !== null && !this._finished;
  }

  /** @internal */
  protected _signal(signal: number | string): void {
    const proc = this._proc;
    if (proc === null || !this._running) return; // exited: asyncio ignores ProcessLookupError
    proc.kill(signal as NodeJS.Signals | number);
  }

  /** @internal The child's resources are Node's: its pipes are closed by their transports. */
  protected _closeIo(): void {
    this._proc = null;
  }
}
