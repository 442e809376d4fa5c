/**
 * Streams: the high-level API over transports and protocols, as asyncio's streams.py.
 * `openConnection` gives a `[StreamReader, StreamWriter]` pair; `startServer` calls back with one
 * pair per client. The reader buffers what the protocol receives and hands it out by `read`,
 * `readline`, `readexactly` and `readuntil`; the writer wraps the transport and adds `drain()`,
 * which waits while the transport's flow control has the protocol paused.
 *
 * Python's exceptions keep their names: `IncompleteReadError` (EOF before enough bytes),
 * `LimitOverrunError` (no separator within the limit), and `ValueError` for a line over the limit.
 */
import type { BaseEventLoop } from './base-events';
import { getRunningLoop } from './events';
import { RuntimeError } from './exceptions';
import type { Future } from './futures';
import { isIoEventLoop, type AbstractServer, type IoEventLoop } from './io-loop';
import { ConnectionResetError } from './os-errors';
import { Protocol } from './protocols';
import { sleep } from './tasks';
import type { Transport, WriteTransport } from './transports';
import { ValueError } from './value-error';

/** The default buffer limit of a StreamReader: 64 KiB (asyncio's `_DEFAULT_LIMIT`). */
export const DEFAULT_LIMIT = 2 ** 16;

const EMPTY = new Uint8Array(0);
const NEWLINE = Uint8Array.of(10);

/**
 * EOF came before the expected bytes (asyncio.IncompleteReadError, an EOFError). `partial` holds
 * what was read; `expected` is the size asked for, or null when reading up to a separator.
 */
export class IncompleteReadError extends Error {
  /** The bytes read before EOF. */
  readonly partial: Uint8Array;
  /** How many bytes were expected, or null (readuntil). */
  readonly expected: number | null;

  constructor(partial: Uint8Array, expected: number | null) {
    super(`${partial.length} bytes read on a total of ${expected === null ? 'undefined' : expected} expected bytes`);
    this.partial = partial;
    this.expected = expected;
  }
}
IncompleteReadError.prototype.name = 'IncompleteReadError';

/**
 * The limit was reached before the separator was found (asyncio.LimitOverrunError). The data stays
 * in the buffer; `consumed` is how many bytes may be consumed.
 */
export class LimitOverrunError extends Error {
  /** How many bytes may be consumed. */
  readonly consumed: number;

  constructor(message: string, consumed: number) {
    super(message);
    this.consumed = consumed;
  }
}
LimitOverrunError.prototype.name = 'LimitOverrunError';

function toBytes(sep: unknown): Uint8Array {
  if (!(sep instanceof Uint8Array)) throw new TypeError('separator must be a Uint8Array');
  return sep;
}

/** Index of `needle` in `hay[from..to)`, or -1. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const first = needle[0];
  const last = to - needle.length;
  for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * Flow control for writers (asyncio's FlowControlMixin): tracks pauseWriting/resumeWriting and
 * lets `drain()` wait while paused. Subclasses that override these methods call the base ones.
 */
export class FlowControlProtocol extends Protocol {
  /** @internal */ readonly _loop: BaseEventLoop;
  /** @internal */ _paused = false;
  /** @internal */ readonly _drainWaiters: Array<Future<void>> = [];
  /** @internal */ _connectionLost = false;

  constructor(loop?: BaseEventLoop) {
    super();
    this._loop = loop ?? getRunningLoop();
  }

  override pauseWriting(): void {
    if (this._paused) throw new RuntimeError('pauseWriting() called while paused');
    this._paused = true;
  }

  override resumeWriting(): void {
    if (!this._paused) throw new RuntimeError('resumeWriting() called while not paused');
    this._paused = false;
    for (const w of this._drainWaiters) if (!w.done()) w.setResult(undefined);
  }

  override connectionLost(exc: Error | null): void {
    this._connectionLost = true;
    // Wake the writers if they are waiting for a resume that will never come.
    if (!this._paused) return;
    for (const w of this._drainWaiters) {
      if (w.done()) continue;
      if (exc === null) w.setResult(undefined);
      else w.setException(exc);
    }
  }

  /** @internal What `drain()` waits on. */
  async _drainHelper(): Promise<void> {
    if (this._connectionLost) throw new ConnectionResetError('ECONNRESET', 'Connection lost');
    if (!this._paused) return;
    const waiter = this._loop.createFuture<void>();
    this._drainWaiters.push(waiter);
    try {
      await waiter;
    } finally {
      this._drainWaiters.splice(this._drainWaiters.indexOf(waiter), 1);
    }
  }

  /** @internal The future `StreamWriter.waitClosed()` waits on. */
  _getCloseWaiter(_stream: StreamWriter): Future<void> | null {
    return null;
  }
}

/** Called for each client of `startServer`: a plain function or a coroutine function. */
export type ClientConnectedCallback = (reader: StreamReader, writer: StreamWriter) => unknown;

function isCoroutineFunction(fn: unknown): boolean {
  const name = (fn as { constructor?: { name?: string } }).constructor?.name;
  return name === 'AsyncFunction' || name === 'GeneratorFunction' || name === 'AsyncGeneratorFunction';
}

function isAwaitable(x: unknown): boolean {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && (typeof (x as PromiseLike<unknown>).then === 'function' || typeof (x as Generator).next === 'function');
}

/** Adapts a Protocol to a StreamReader (asyncio's StreamReaderProtocol). */
export class StreamReaderProtocol extends FlowControlProtocol {
  /** @internal */ _streamReader: StreamReader | null;
  /** @internal */ _clientConnected: ClientConnectedCallback | null;
  /** @internal */ _transport: Transport | null = null;
  /** @internal */ readonly _closed: Future<void>;
  /** @internal */ _task: Future<unknown> | null = null;

  constructor(streamReader: StreamReader | null, clientConnected: ClientConnectedCallback | null = null, loop?: BaseEventLoop) {
    super(loop);
    this._streamReader = streamReader;
    this._clientConnected = clientConnected;
    this._closed = this._loop.createFuture<void>();
  }

  override connectionMade(transport: Transport): void {
    this._transport = transport;
    const reader = this._streamReader;
    reader?.setTransport(transport);
    const cb = this._clientConnected;
    if (cb === null) return;
    const writer = new StreamWriter(transport, this, reader, this._loop);
    // A coroutine function runs in a task from its first line (asyncio creates the coroutine and
    // wraps it in a task before any of it runs); a plain function runs here, as in asyncio.
    let task: Future<unknown> | null = null;
    if (isCoroutineFunction(cb)) {
      task = this._loop.createTask(() => cb(reader as StreamReader, writer) as PromiseLike<unknown>);
    } else {
      const res = cb(reader as StreamReader, writer);
      if (isAwaitable(res)) task = this._loop.createTask(res as PromiseLike<unknown>);
    }
    if (task === null) return;
    this._task = task;
    task.addDoneCallback((t) => {
      if (t.cancelled()) {
        transport.close();
        return;
      }
      const exc = t.exception();
      if (exc !== undefined) {
        this._loop.callExceptionHandler({ message: 'Unhandled exception in clientConnected callback', exception: exc, transport });
        transport.close();
      }
    });
  }

  override connectionLost(exc: Error | null): void {
    const reader = this._streamReader;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    if (!this._closed.done()) {
      if (exc === null) this._closed.setResult(undefined);
      else {
        this._closed.setException(exc);
        // Nobody may wait on it: mark it retrieved so no "never retrieved" report appears.
        this._closed.exception();
      }
    }
    super.connectionLost(exc);
    this._streamReader = null;
    this._task = null;
    this._transport = null;
  }

  override dataReceived(data: Uint8Array): void {
    this._streamReader?.feedData(data);
  }

  override eofReceived(): boolean {
    this._streamReader?.feedEof();
    // Keep the write side open: the writer closes it (asyncio returns True unless over TLS).
    return true;
  }

  /** @internal */
  override _getCloseWaiter(_stream: StreamWriter): Future<void> {
    return this._closed;
  }
}

/** Wraps a transport with `drain()` and `waitClosed()` (asyncio's StreamWriter). */
export class StreamWriter {
  /** @internal */ _transport: WriteTransport;
  /** @internal */ readonly _protocol: FlowControlProtocol;
  /** @internal */ readonly _reader: StreamReader | null;
  /** @internal */ readonly _loop: BaseEventLoop;

  constructor(transport: WriteTransport, protocol: FlowControlProtocol, reader: StreamReader | null, loop: BaseEventLoop) {
    this._transport = transport;
    this._protocol = protocol;
    this._reader = reader;
    this._loop = loop;
  }

  /** The underlying transport. */
  get transport(): WriteTransport {
    return this._transport;
  }

  /** Writes without waiting; follow with `await writer.drain()`. */
  write(data: Uint8Array): void {
    this._transport.write(data);
  }

  /** Writes each chunk in order. */
  writelines(data: Iterable<Uint8Array>): void {
    this._transport.writelines(data);
  }

  /** Half-closes the connection (sends EOF). */
  writeEof(): void {
    this._transport.writeEof();
  }

  /** Whether `writeEof` is supported. */
  canWriteEof(): boolean {
    return this._transport.canWriteEof();
  }

  /** Closes the stream (and the transport). */
  close(): void {
    this._transport.close();
  }

  /** Whether the stream is closing or closed. */
  isClosing(): boolean {
    return this._transport.isClosing();
  }

  /** Waits until the connection is closed (after `close()`). */
  async waitClosed(): Promise<void> {
    const waiter = this._protocol._getCloseWaiter(this);
    if (waiter !== null) await waiter;
  }

  /** The transport's extra info (`peername`, `sockname`, ...). */
  getExtraInfo(name: string, defaultValue?: unknown): unknown {
    return this._transport.getExtraInfo(name, defaultValue);
  }

  /**
   * Waits until it is appropriate to write again: returns at once unless the transport paused the
   * protocol (write buffer above the high mark), then waits for the resume. Raises the reader's
   * error, or ConnectionResetError once the connection is lost.
   */
  async drain(): Promise<void> {
    if (this._reader !== null) {
      const exc = this._reader.exception();
      if (exc !== null) throw exc;
    }
    if (this._transport.isClosing()) {
      // Give connectionLost a chance to run, so that a write/drain loop on a closed connection
      // sees the error rather than spinning (asyncio yields here too).
      await sleep(0);
    }
    await this._protocol._drainHelper();
  }

  /** asyncio-style rendering. */
  toString(): string {
    return `<StreamWriter transport=${String(this._transport)}>`;
  }
}

/** A buffer of received bytes with asyncio's read methods (asyncio's StreamReader). */
export class StreamReader {
  /** @internal */ readonly _limit: number;
  /** @internal */ readonly _loop: BaseEventLoop;
  /** @internal */ _buf: Uint8Array = new Uint8Array(256);
  /** @internal */ _start = 0;
  /** @internal */ _end = 0;
  /** @internal */ _eof = false;
  /** @internal */ _waiter: Future<void> | null = null;
  /** @internal */ _exception: Error | null = null;
  /** @internal */ _transport: Transport | WriteTransport | { pauseReading(): void; resumeReading(): void } | null = null;
  /** @internal */ _paused = false;

  /**
   * @param limit the buffer limit (default 64 KiB): `readline`/`readuntil` refuse longer lines, and
   *   reading is paused when more than twice as much is buffered.
   */
  constructor(limit = DEFAULT_LIMIT, loop?: BaseEventLoop) {
    if (limit <= 0) throw new ValueError('Limit cannot be <= 0');
    this._limit = limit;
    this._loop = loop ?? getRunningLoop();
  }

  /** Bytes buffered. */
  get length(): number {
    return this._end - this._start;
  }

  /** The error set with `setException`, or null. */
  exception(): Error | null {
    return this._exception;
  }

  /** Makes every pending and future read raise `exc`. */
  setException(exc: Error): void {
    this._exception = exc;
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.setException(exc);
    }
  }

  private _wakeupWaiter(): void {
    const waiter = this._waiter;
    if (waiter !== null) {
      this._waiter = null;
      if (!waiter.cancelled()) waiter.setResult(undefined);
    }
  }

  /** Attaches the transport that feeds this reader (for pausing reading when the buffer is full). */
  setTransport(transport: { pauseReading(): void; resumeReading(): void }): void {
    if (this._transport !== null) throw new RuntimeError('Transport already set');
    this._transport = transport as StreamReader['_transport'];
  }

  private _maybeResumeTransport(): void {
    if (this._paused && this.length <= this._limit) {
      this._paused = false;
      (this._transport as { resumeReading(): void }).resumeReading();
    }
  }

  /** Marks the end of the stream. */
  feedEof(): void {
    this._eof = true;
    this._wakeupWaiter();
  }

  /** True when the buffer is empty and `feedEof` was called. */
  atEof(): boolean {
    return this._eof && this.length === 0;
  }

  /** Appends received bytes (the protocol calls this). */
  feedData(data: Uint8Array): void {
    if (this._eof) throw new RuntimeError('feedData after feedEof');
    if (data.length === 0) return;
    this._append(data);
    this._wakeupWaiter();
    const transport = this._transport as { pauseReading?: () => void } | null;
    if (transport !== null && !this._paused && this.length > 2 * this._limit) {
      if (typeof transport.pauseReading === 'function') {
        transport.pauseReading();
        this._paused = true;
      } else {
        // The transport cannot pause: buffer everything (asyncio forgets the transport too).
        this._transport = null;
      }
    }
  }

  private _append(data: Uint8Array): void {
    const n = data.length;
    if (this._end + n > this._buf.length) {
      const used = this._end - this._start;
      if (used + n <= this._buf.length) {
        // Room enough after moving the live bytes to the front.
        this._buf.copyWithin(0, this._start, this._end);
      } else {
        let cap = this._buf.length * 2;
        while (cap < used + n) cap *= 2;
        const next = new Uint8Array(cap);
        next.set(this._buf.subarray(this._start, this._end));
        this._buf = next;
      }
      this._start = 0;
      this._end = used;
    }
    this._buf.set(data, this._end);
    this._end += n;
  }

  /** Removes and returns the first `n` buffered bytes (a copy). */
  private _take(n: number): Uint8Array {
    if (n === 0) return EMPTY;
    const out = this._buf.slice(this._start, this._start + n);
    this._start += n;
    if (this._start === this._end) this._start = this._end = 0;
    return out;
  }

  private async _waitForData(funcName: string): Promise<void> {
    // Two readers at once could not tell which of them gets the next bytes.
    if (this._waiter !== null) throw new RuntimeError(`${funcName}() called while another coroutine is already waiting for incoming data`);
    if (this._eof) throw new RuntimeError('_waitForData after EOF');
    // Waiting while paused would deadlock (readexactly(n) with n > limit needs more than the limit).
    if (this._paused) {
      this._paused = false;
      (this._transport as { resumeReading(): void }).resumeReading();
    }
    this._waiter = this._loop.createFuture<void>();
    try {
      await this._waiter;
    } finally {
      this._waiter = null;
    }
  }

  /**
   * Reads a line ending with `\n`. At EOF the partial line is returned (empty at the very end). A
   * line longer than the limit raises ValueError, after dropping it (or the whole buffer).
   */
  async readline(): Promise<Uint8Array> {
    try {
      return await this.readuntil(NEWLINE);
    } catch (exc) {
      if (exc instanceof IncompleteReadError) return exc.partial;
      if (exc instanceof LimitOverrunError) {
        if (this._buf[this._start + exc.consumed] === 10 && this._start + exc.consumed < this._end) this._take(exc.consumed + 1);
        else this._start = this._end = 0;
        this._maybeResumeTransport();
        throw new ValueError(exc.message);
      }
      throw exc;
    }
  }

  /**
   * Reads up to and including `separator` (or the shortest match of several). At EOF without it,
   * raises IncompleteReadError with what was buffered; over the limit, LimitOverrunError with the
   * data left in the buffer.
   */
  async readuntil(separator: Uint8Array | readonly Uint8Array[] = NEWLINE): Promise<Uint8Array> {
    const seps = (separator instanceof Uint8Array ? [separator] : [...separator].map(toBytes)).sort((a, b) => a.length - b.length);
    if (seps.length === 0) throw new ValueError('Separator should contain at least one element');
    const minSeplen = seps[0].length;
    const maxSeplen = seps[seps.length - 1].length;
    if (minSeplen === 0) throw new ValueError('Separator should be at least one-byte string');
    if (this._exception !== null) throw this._exception;

    // `offset`: how far from the start of the buffer no separator can begin.
    let offset = 0;
    let matchStart = -1;
    let matchEnd = -1;
    for (;;) {
      const buflen = this.length;
      if (buflen - offset >= minSeplen) {
        for (const sep of seps) {
          const at = indexOfBytes(this._buf, sep, this._start + offset, this._end);
          if (at !== -1) {
            const end = at - this._start + sep.length;
            if (matchEnd === -1 || end < matchEnd) {
              matchEnd = end;
              matchStart = at - this._start;
            }
          }
        }
        if (matchEnd !== -1) break;
        offset = Math.max(0, buflen + 1 - maxSeplen);
        if (offset > this._limit) throw new LimitOverrunError('Separator is not found, and chunk exceed the limit', offset);
      }
      // A complete line may already be here even at EOF, so EOF is checked after the search.
      if (this._eof) throw new IncompleteReadError(this._take(this.length), null);
      await this._waitForData('readuntil');
    }
    if (matchStart > this._limit) throw new LimitOverrunError('Separator is found, but chunk is longer than limit', matchStart);
    const chunk = this._take(matchEnd);
    this._maybeResumeTransport();
    return chunk;
  }

  /**
   * Reads up to `n` bytes (at least one unless at EOF); with `n` < 0 (default), reads until EOF.
   * Returns an empty array at EOF.
   */
  async read(n = -1): Promise<Uint8Array> {
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    if (n < 0) {
      // Read in limit-sized blocks, so a large body does not keep the transport paused.
      const blocks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const block = await this.read(this._limit);
        if (block.length === 0) break;
        blocks.push(block);
        total += block.length;
      }
      if (blocks.length === 1) return blocks[0];
      const out = new Uint8Array(total);
      let at = 0;
      for (const b of blocks) {
        out.set(b, at);
        at += b.length;
      }
      return out;
    }
    if (this.length === 0 && !this._eof) await this._waitForData('read');
    const data = this._take(Math.min(this.length, n));
    this._maybeResumeTransport();
    return data;
  }

  /** Reads exactly `n` bytes; EOF first raises IncompleteReadError with the partial bytes. */
  async readexactly(n: number): Promise<Uint8Array> {
    if (n < 0) throw new ValueError('readexactly size can not be less than zero');
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    while (this.length < n) {
      if (this._eof) throw new IncompleteReadError(this._take(this.length), n);
      await this._waitForData('readexactly');
    }
    const data = this._take(n);
    this._maybeResumeTransport();
    return data;
  }

  /** Iterates over lines until EOF (`for await (const line of reader)`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  /** asyncio-style rendering. */
  toString(): string {
    const info = ['StreamReader'];
    if (this.length > 0) info.push(`${this.length} bytes`);
    if (this._eof) info.push('eof');
    if (this._limit !== DEFAULT_LIMIT) info.push(`limit=${this._limit}`);
    if (this._waiter !== null) info.push('waiter');
    if (this._exception !== null) info.push(`exception=${this._exception.name}`);
    if (this._paused) info.push('paused');
    return `<${info.join(' ')}>`;
  }
}

/** Options of openConnection / startServer: the reader's limit plus the loop method's options. */
export interface StreamOptions {
  /** The StreamReader limit (default 64 KiB). */
  limit?: number;
  [option: string]: unknown;
}

function ioLoop(): IoEventLoop {
  const loop = getRunningLoop();
  if (!isIoEventLoop(loop)) throw new RuntimeError('the running loop has no I/O methods (create it with newEventLoop())');
  return loop;
}

/** Connects to `host:port` and returns a reader/writer pair (asyncio's open_connection). */
export async function openConnection(host: string | null | undefined, port: number, options: StreamOptions = {}): Promise<[StreamReader, StreamWriter]> {
  const loop = ioLoop();
  const { limit, ...rest } = options;
  const reader = new StreamReader(limit ?? DEFAULT_LIMIT, loop);
  const protocol = new StreamReaderProtocol(reader, null, loop);
  const [transport] = await loop.createConnection(() => protocol, host, port, rest);
  return [reader, new StreamWriter(transport, protocol, reader, loop)];
}

/**
 * Starts a server that calls `clientConnected(reader, writer)` for each client; a coroutine
 * function runs as a task (asyncio's start_server).
 */
export async function startServer(clientConnected: ClientConnectedCallback, host?: string | readonly string[] | null, port?: number, options: StreamOptions = {}): Promise<AbstractServer> {
  const loop = ioLoop();
  const { limit, ...rest } = options;
  const factory = (): StreamReaderProtocol => new StreamReaderProtocol(new StreamReader(limit ?? DEFAULT_LIMIT, loop), clientConnected, loop);
  return await loop.createServer(factory, host, port, rest);
}
