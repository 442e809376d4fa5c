/**
 * Subprocesses with streams, as asyncio's subprocess module: `createSubprocessExec` and
 * `createSubprocessShell` return a `Process` whose `stdin` is a StreamWriter and whose `stdout` and
 * `stderr` are StreamReaders, with `wait()` and `communicate()`.
 *
 * Note the defaults, as in asyncio: here stdio is inherited unless `'pipe'` is asked for, while
 * `loop.subprocessExec` pipes all three by default.
 */
import type { BaseEventLoop } from './base-events';
import type { BaseSubprocessTransport } from './base-subprocess';
import { getRunningLoop } from './events';
import { RuntimeError } from './exceptions';
import type { Future } from './futures';
import { isIoEventLoop, type IoEventLoop, type SubprocessOptions } from './io-loop';
import { BrokenPipeError, ConnectionResetError } from './os-errors';
import { DEFAULT_LIMIT, FlowControlProtocol, StreamReader, StreamWriter } from './streams';
import { gather } from './tasks';
import type { SubprocessTransport, Transport } from './transports';

/** asyncio's SubprocessStreamProtocol: feeds the child's output into StreamReaders. */
export class SubprocessStreamProtocol extends FlowControlProtocol {
  /** The child's stdin as a writer, when piped. */
  stdin: StreamWriter | null = null;
  /** The child's stdout as a reader, when piped. */
  stdout: StreamReader | null = null;
  /** The child's stderr as a reader, when piped. */
  stderr: StreamReader | null = null;
  /** @internal */ _transport: SubprocessTransport | null = null;
  /** @internal */ _processExited = false;
  /** @internal */ readonly _pipeFds: number[] = [];
  /** @internal */ readonly _stdinClosed: Future<void>;

  constructor(
    private readonly _limit: number,
    loop: BaseEventLoop,
  ) {
    super(loop);
    this._stdinClosed = loop.createFuture<void>();
  }

  override connectionMade(transport: SubprocessTransport): void {
    this._transport = transport;
    const stdout = transport.getPipeTransport(1);
    if (stdout !== null) {
      this.stdout = new StreamReader(this._limit, this._loop);
      this.stdout.setTransport(stdout as Transport);
      this._pipeFds.push(1);
    }
    const stderr = transport.getPipeTransport(2);
    if (stderr !== null) {
      this.stderr = new StreamReader(this._limit, this._loop);
      this.stderr.setTransport(stderr as Transport);
      this._pipeFds.push(2);
    }
    const stdin = transport.getPipeTransport(0);
    if (stdin !== null) this.stdin = new StreamWriter(stdin as Transport, this, null, this._loop);
  }

  pipeDataReceived(fd: number, data: Uint8Array): void {
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    reader?.feedData(data);
  }

  pipeConnectionLost(fd: number, exc: Error | null): void {
    if (fd === 0) {
      this.stdin?.close();
      this.connectionLost(exc);
      if (exc === null) this._stdinClosed.setResult(undefined);
      else {
        this._stdinClosed.setException(exc);
        this._stdinClosed.exception(); // retrieved: nobody has to wait on it
      }
      return;
    }
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    const i = this._pipeFds.indexOf(fd);
    if (i >= 0) this._pipeFds.splice(i, 1);
    this._maybeCloseTransport();
  }

  processExited(): void {
    this._processExited = true;
    this._maybeCloseTransport();
  }

  private _maybeCloseTransport(): void {
    if (this._pipeFds.length === 0 && this._processExited && this._transport !== null) {
      this._transport.close();
      this._transport = null;
    }
  }

  /** @internal */
  override _getCloseWaiter(stream: StreamWriter): Future<void> | null {
    return stream === this.stdin ? this._stdinClosed : null;
  }
}

/** A child process with stream pipes (asyncio.subprocess.Process). */
export class Process {
  /** The child's stdin, when piped. */
  readonly stdin: StreamWriter | null;
  /** The child's stdout, when piped. */
  readonly stdout: StreamReader | null;
  /** The child's stderr, when piped. */
  readonly stderr: StreamReader | null;
  /** The process id. */
  readonly pid: number | undefined;

  constructor(
    private readonly _transport: SubprocessTransport,
    private readonly _protocol: SubprocessStreamProtocol,
    private readonly _loop: BaseEventLoop,
  ) {
    this.stdin = _protocol.stdin;
    this.stdout = _protocol.stdout;
    this.stderr = _protocol.stderr;
    this.pid = _transport.getPid();
  }

  /** The exit code, or null while running (negative: killed by that signal). */
  get returncode(): number | null {
    return this._transport.getReturncode();
  }

  /** Waits for the child to exit and returns its exit code. */
  wait(): Future<number> {
    return (this._transport as BaseSubprocessTransport)._wait();
  }

  /** Sends a signal to the child. */
  sendSignal(signal: number | string): void {
    this._transport.sendSignal(signal);
  }

  /** Sends SIGTERM. */
  terminate(): void {
    this._transport.terminate();
  }

  /** Sends SIGKILL. */
  kill(): void {
    this._transport.kill();
  }

  private async _feedStdin(input: Uint8Array | null): Promise<void> {
    const stdin = this.stdin as StreamWriter;
    try {
      if (input !== null) {
        stdin.write(input);
        await stdin.drain();
      }
    } catch (exc) {
      // The child may exit without reading its input; asyncio ignores that.
      if (!(exc instanceof BrokenPipeError || exc instanceof ConnectionResetError)) throw exc;
    }
    stdin.close();
  }

  private async _readStream(fd: 1 | 2): Promise<Uint8Array> {
    const stream = (fd === 2 ? this.stderr : this.stdout) as StreamReader;
    const output = await stream.read();
    this._transport.getPipeTransport(fd)?.close();
    return output;
  }

  /**
   * Sends `input` to stdin (then closes it), reads stdout and stderr until EOF, waits for the exit,
   * and returns `[stdout, stderr]` (null for a stream that is not piped).
   */
  async communicate(input: Uint8Array | null = null): Promise<[Uint8Array | null, Uint8Array | null]> {
    const noop = async (): Promise<null> => null;
    const [, stdout, stderr] = await gather(
      this.stdin !== null ? this._feedStdin(input) : noop(),
      this.stdout !== null ? this._readStream(1) : noop(),
      this.stderr !== null ? this._readStream(2) : noop(),
    );
    await this.wait();
    return [stdout as Uint8Array | null, stderr as Uint8Array | null];
  }

  /** asyncio-style rendering. */
  toString(): string {
    return `<Process ${this.pid}>`;
  }
}

/** Options of createSubprocessExec / createSubprocessShell. */
export interface ProcessOptions extends SubprocessOptions {
  /** The StreamReader limit (default 64 KiB). */
  limit?: number;
}

function ioLoop(): IoEventLoop {
  const loop = getRunningLoop();
  if (!isIoEventLoop(loop)) throw new RuntimeError('the running loop has no I/O methods (create it with newEventLoop())');
  return loop;
}

function stdioDefaults(options: ProcessOptions): SubprocessOptions {
  // asyncio's None: the child inherits the parent's stream.
  return {
    ...options,
    stdin: options.stdin === undefined ? 'inherit' : options.stdin,
    stdout: options.stdout === undefined ? 'inherit' : options.stdout,
    stderr: options.stderr === undefined ? 'inherit' : options.stderr,
  };
}

/** Runs `program` with `args` (a trailing options object is allowed) and returns its Process. */
export async function createSubprocessExec(program: string, ...rest: Array<string | ProcessOptions>): Promise<Process> {
  const loop = ioLoop();
  let options: ProcessOptions = {};
  if (rest.length > 0 && typeof rest[rest.length - 1] === 'object' && rest[rest.length - 1] !== null) options = rest.pop() as ProcessOptions;
  const { limit, ...spawnOptions } = stdioDefaults(options) as ProcessOptions;
  const [transport, protocol] = await loop.subprocessExec(() => new SubprocessStreamProtocol(limit ?? DEFAULT_LIMIT, loop), program, ...(rest as string[]), spawnOptions);
  return new Process(transport, protocol, loop);
}

/** Runs `cmd` with `/bin/sh -c` and returns its Process. */
export async function createSubprocessShell(cmd: string, options: ProcessOptions = {}): Promise<Process> {
  const loop = ioLoop();
  const { limit, ...spawnOptions } = stdioDefaults(options) as ProcessOptions;
  const [transport, protocol] = await loop.subprocessShell(() => new SubprocessStreamProtocol(limit ?? DEFAULT_LIMIT, loop), cmd, spawnOptions);
  return new Process(transport, protocol, loop);
}
