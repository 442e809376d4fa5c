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

interface IoPending {
  _ioPending(delta: number): void;
}

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
  /** @internal The child runs: the loop counts it as I/O in flight. */ _running = false;

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
    (loop as unknown as IoPending)._ioPending(1);
    proc.on('exit', (code, signal) => {
      this._running = false;
      (loop as unknown as IoPending)._ioPending(-1);
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
