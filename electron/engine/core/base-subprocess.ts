/**
 * The callback order of a subprocess transport, as asyncio's base_subprocess guarantees it:
 *
 * - `connectionMade` is the protocol's first callback. Anything that happens before the pipes are
 *   connected (output, a closed pipe, even the exit) is held in `_pendingCalls` and replayed, in
 *   order, right after it.
 * - `connectionLost` is the last, scheduled only once the exit code is known and every pipe has
 *   been closed, whichever of those comes last.
 * - Every protocol callback is a loop callback (`pipeDataReceived(1, data)` shows in the queue).
 *
 * The platform part (spawning, signals, wiring the pipes) is the subclass's: engine/node's
 * subprocess transport.
 */
import type { BaseEventLoop } from './base-events';
import type { Callback } from './events';
import { ProcessLookupError } from './os-errors';
import type { Future } from './futures';
import type { BaseProtocol, SubprocessProtocol } from './protocols';
import { TransportBase, type AnyProtocol } from './transport-base';
import type { ReadTransport, SubprocessTransport, WriteTransport } from './transports';
import type { TransportInfo } from '../../../shared/engine/transport-events';

/** The protocol the transport of one of the child's pipes talks to (asyncio's WriteSubprocessPipeProto). */
export class WriteSubprocessPipeProto {
  /** The pipe's transport, once connected. */
  pipe: (ReadTransport & WriteTransport) | null = null;
  /** Whether the pipe's connectionLost was called. */
  disconnected = false;

  constructor(
    public proc: BaseSubprocessTransport | null,
    readonly fd: number,
  ) {}

  connectionMade(transport: ReadTransport & WriteTransport): void {
    this.pipe = transport;
  }

  connectionLost(exc: Error | null): void {
    this.disconnected = true;
    this.proc?._pipeConnectionLost(this.fd, exc);
    this.proc = null;
  }

  pauseWriting(): void {
    (this.proc?._protocol as Partial<BaseProtocol> | undefined)?.pauseWriting?.();
  }

  resumeWriting(): void {
    (this.proc?._protocol as Partial<BaseProtocol> | undefined)?.resumeWriting?.();
  }
}

/** The protocol of a stdout or stderr pipe (asyncio's ReadSubprocessPipeProto). */
export class ReadSubprocessPipeProto extends WriteSubprocessPipeProto {
  dataReceived(data: Uint8Array): void {
    this.proc?._pipeDataReceived(this.fd, data);
  }

  eofReceived(): void {}
}

// Loop callbacks, named after the protocol method they call so the queue reads naturally.
function pipeDataReceived(t: BaseSubprocessTransport, fd: number, data: Uint8Array): void {
  (t._protocol as Partial<SubprocessProtocol>).pipeDataReceived?.(fd, data);
}
function pipeConnectionLost(t: BaseSubprocessTransport, fd: number, exc: Error | null): void {
  (t._protocol as Partial<SubprocessProtocol>).pipeConnectionLost?.(fd, exc);
}
function processExited(t: BaseSubprocessTransport): void {
  (t._protocol as Partial<SubprocessProtocol>).processExited?.();
}
function callConnectionLost(t: BaseSubprocessTransport, exc: Error | null): void {
  t._callConnectionLost(exc);
}
function connectPipes(t: BaseSubprocessTransport, waiter: Future<unknown> | null): void {
  t._connectPipes(waiter);
}
for (const [fn, name] of [[pipeDataReceived, 'pipeDataReceived'], [pipeConnectionLost, 'pipeConnectionLost'], [processExited, 'processExited'], [callConnectionLost, '_callConnectionLost'], [connectPipes, '_connectPipes']] as const) {
  Object.defineProperty(fn, 'name', { value: name });
}

/** The platform-independent part of a subprocess transport (asyncio's BaseSubprocessTransport). */
export abstract class BaseSubprocessTransport extends TransportBase implements SubprocessTransport {
  /** @internal */ _pid: number | undefined = undefined;
  /** @internal */ _returncode: number | null = null;
  /** @internal Protocols of the child's pipes by fd (null until created). */ readonly _pipes = new Map<number, WriteSubprocessPipeProto | null>();
  /** @internal Callbacks held until connectionMade is scheduled; null afterwards. */ _pendingCalls: Array<[Callback, unknown[]]> | null = [];
  /** @internal Futures of `_wait()`; null once connectionLost ran. */ _exitWaiters: Array<Future<number>> | null = [];
  /** @internal connectionLost is scheduled. */ _lostScheduled = false;
  /** @internal The program, for events and snapshots. */ readonly _program: string;

  /** @internal */
  constructor(loop: BaseEventLoop, protocol: AnyProtocol, program: string, pipes: { stdin: boolean; stdout: boolean; stderr: boolean }, extra: Record<string, unknown> = {}) {
    super(loop, 'subprocess', protocol, extra);
    this._program = program;
    if (pipes.stdin) this._pipes.set(0, null);
    if (pipes.stdout) this._pipes.set(1, null);
    if (pipes.stderr) this._pipes.set(2, null);
  }

  /** @internal Whether the child can still be signalled (asyncio's _proc is not None). */
  protected abstract _procAlive(): boolean;

  /** @internal Delivers a signal to the child; ESRCH (already gone) is ignored. */
  protected abstract _signal(signal: number | string): void;

  /** See {@link SubprocessTransport.getPid}. */
  getPid(): number | undefined {
    return this._pid;
  }

  /** See {@link SubprocessTransport.getReturncode}. */
  getReturncode(): number | null {
    return this._returncode;
  }

  /** See {@link SubprocessTransport.getPipeTransport}: fd 0 is a write transport, 1 and 2 read ones. */
  getPipeTransport(fd: 0): WriteTransport | null;
  getPipeTransport(fd: 1 | 2): ReadTransport | null;
  getPipeTransport(fd: number): ReadTransport | WriteTransport | null;
  getPipeTransport(fd: number): ReadTransport | WriteTransport | null {
    return this._pipes.get(fd)?.pipe ?? null;
  }

  /** See {@link SubprocessTransport.sendSignal}; raises ProcessLookupError once the transport is finished. */
  sendSignal(signal: number | string): void {
    if (!this._procAlive()) throw new ProcessLookupError('ESRCH');
    this._signal(signal);
  }

  /** Sends SIGTERM. */
  terminate(): void {
    this.sendSignal('SIGTERM');
  }

  /** Sends SIGKILL. */
  kill(): void {
    this.sendSignal('SIGKILL');
  }

  /** Closes the pipes and kills the child if it is still running (asyncio's close()). */
  close(): void {
    if (this._closing) return;
    this._closing = true;
    this._emitClosing(false);
    for (const proto of this._pipes.values()) proto?.pipe?.close();
    if (this._returncode === null && this._procAlive()) {
      if (this._loop.getDebug()) this._loop._platform.log('warn', `Close running child process: kill ${this}`);
      this._signal('SIGKILL');
    }
  }

  /** The bytes waiting to go to the child's stdin. */
  getWriteBufferSize(): number {
    return (this.getPipeTransport(0) as WriteTransport | null)?.getWriteBufferSize() ?? 0;
  }

  /** @internal The child has no stream of its own; its pipes see EOF. */
  protected _eofReady(): void {}

  /**
   * @internal Schedules `_connectPipes` once the pipe transports exist: their connectionMade
   * callbacks are queued before it, so the pipes are connected when the protocol hears of it.
   */
  _schedulePipesConnected(waiter: Future<unknown> | null): void {
    this._loop.callSoon(connectPipes, this, waiter);
  }

  /** @internal connectionMade, then everything held back, then the waiter (asyncio's _connect_pipes tail). */
  _connectPipes(waiter: Future<unknown> | null): void {
    const pending = this._pendingCalls;
    if (pending === null) return;
    this._pendingCalls = null;
    this._scheduleConnectionMade();
    for (const [cb, args] of pending) this._loop.callSoon(cb, ...args);
    if (waiter !== null && !waiter.done()) waiter.setResult(undefined);
  }

  /** @internal Runs `cb` through the loop, or holds it until connectionMade is scheduled. */
  _call(cb: Callback, ...args: unknown[]): void {
    if (this._pendingCalls !== null) this._pendingCalls.push([cb, args]);
    else this._loop.callSoon(cb, ...args);
  }

  /** @internal From a pipe protocol. */
  _pipeConnectionLost(fd: number, exc: Error | null): void {
    this._call(pipeConnectionLost, this, fd, exc);
    this._tryFinish();
  }

  /** @internal From a pipe protocol. */
  _pipeDataReceived(fd: number, data: Uint8Array): void {
    this._call(pipeDataReceived, this, fd, data);
  }

  /** @internal The platform reports the exit (from a loop callback). */
  _processExited(returncode: number): void {
    if (this._returncode !== null) return;
    this._returncode = returncode;
    const loop = this._loop;
    if (loop._sink !== null) loop._emit({ type: 'process-exited', time: loop._eventTime(), transportId: this._id, pid: this._pid ?? -1, returncode });
    this._call(processExited, this);
    this._tryFinish();
  }

  /** @internal Resolves with the exit code once connectionLost ran (asyncio's _wait). */
  _wait(): Future<number> {
    const fut = this._loop.createFuture<number>();
    if (this._exitWaiters === null) fut.setResult(this._returncode as number);
    else this._exitWaiters.push(fut);
    return fut;
  }

  /** @internal connectionLost once the code is known and every pipe is closed. */
  _tryFinish(): void {
    if (this._lostScheduled || this._returncode === null) return;
    for (const proto of this._pipes.values()) if (proto === null || !proto.disconnected) return;
    this._lostScheduled = true;
    this._connLost++;
    this._call(callConnectionLost, this, null);
  }

  /** @internal Loop closed while the child runs: kill it, as close() would. */
  override _abandon(): void {
    if (this._finished) return;
    if (this._returncode === null && this._procAlive()) this._signal('SIGKILL');
    super._abandon();
  }

  /** @internal The last callback; then the `_wait()` futures get the exit code. */
  override _callConnectionLost(exc: Error | null): void {
    try {
      super._callConnectionLost(exc);
    } finally {
      const waiters = this._exitWaiters;
      this._exitWaiters = null;
      for (const w of waiters ?? []) if (!w.cancelled()) w.setResult(this._returncode as number);
    }
  }

  /** @internal */
  override _peerLabel(): string | null {
    return this._program;
  }

  /** @internal */
  override _stateLabel(): TransportInfo['state'] {
    if (this._finished) return 'closed';
    if (this._closing || this._returncode !== null) return 'closing';
    return 'open';
  }

  /** @internal */
  override _info(): TransportInfo {
    // A child's traffic is its pipes': what went to stdin, and what came from stdout and stderr.
    let bytesIn = 0;
    let bytesOut = 0;
    for (const [fd, proto] of this._pipes) {
      const pipe = proto?.pipe as TransportBase | null | undefined;
      if (pipe instanceof TransportBase) {
        if (fd === 0) bytesOut += pipe._bytesOut;
        else bytesIn += pipe._bytesIn;
      }
    }
    return { ...super._info(), bytesIn, bytesOut, pid: this._pid, returncode: this._returncode };
  }
}
