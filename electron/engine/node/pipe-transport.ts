/**
 * Pipe transports over Node streams (asyncio's `_UnixReadPipeTransport` and
 * `_UnixWritePipeTransport`): the ends of a child's stdio, or any pipe given to
 * `connectReadPipe` / `connectWritePipe`.
 *
 * Their semantics differ from a socket's in asyncio, and are kept: a read pipe closes itself at EOF
 * (`eofReceived`, then `connectionLost(null)`; the return value of eofReceived does not matter), and
 * on a write pipe `writeEof()` is a close (after the buffer drains), and writes after it are dropped.
 */
import type { Readable, Writable } from 'node:stream';
import type { BaseEventLoop } from '../core/base-events';
import { TransportBase, type AnyProtocol } from '../core/transport-base';
import { BrokenPipeError } from '../core/os-errors';
import { checkBytes, concatBytes, type ReadTransport, type WriteTransport } from '../core/transports';
import type { Callback } from '../core/events';
import { toOSError } from './node-errors';

/** Where a pipe belongs, for events: a child's fd and the subprocess transport's id. */
export interface PipeOwner {
  readonly fd?: number;
  readonly parentId?: number;
}

interface IoNoting {
  _noteIo?(): void;
}

function eofReceived(t: ReadPipeTransport): void {
  try {
    t._protocol.eofReceived?.();
  } catch (exc) {
    t._loop.callExceptionHandler({ message: 'Exception in eofReceived()', exception: exc, transport: t, protocol: t._protocol });
  }
}
Object.defineProperty(eofReceived, 'name', { value: 'eofReceived' });

function writeReady(t: WritePipeTransport): void {
  t._writeScheduled = false;
  t._writeReady();
}
Object.defineProperty(writeReady, 'name', { value: '_writeReady' });

/** The read end of a pipe as a ReadTransport. */
export class ReadPipeTransport extends TransportBase implements ReadTransport {
  /** @internal */ readonly _stream: Readable;
  /** @internal */ readonly _fd: number | undefined;
  private readonly _virtual: boolean;

  private readonly _onData = (chunk: Buffer): void => {
    if (this._virtual) (this._loop as IoNoting)._noteIo?.();
    this._feedData(chunk);
  };
  private readonly _onEnd = (): void => this._feedEof();
  private readonly _onError = (err: Error): void => {
    if (this._connLost === 0) this._feedError(toOSError(err));
  };
  private readonly _onClose = (): void => {
    // Closed under us without EOF (destroyed elsewhere): the connection is gone.
    if (this._connLost === 0 && !this._eofPending && this._errorPending === null) this._feedEof();
  };

  /** @internal Built by `connectReadPipe` and by subprocess transports. */
  constructor(loop: BaseEventLoop, stream: Readable, protocol: AnyProtocol, owner: PipeOwner = {}, extra: Record<string, unknown> = {}) {
    super(loop, 'pipe', protocol, { pipe: stream, ...extra });
    this._stream = stream;
    this._fd = owner.fd;
    this._virtual = loop.clock === 'virtual';
    stream.on('data', this._onData);
    stream.on('end', this._onEnd);
    stream.on('error', this._onError);
    stream.on('close', this._onClose);
    this._emitOpened({ fd: owner.fd, parentId: owner.parentId });
    this._scheduleConnectionMade();
  }

  /** A read pipe buffers nothing outgoing. */
  getWriteBufferSize(): number {
    return 0;
  }

  /** Stops reading and calls `connectionLost(null)` soon. Idempotent. */
  close(): void {
    if (this._closing) return;
    this._emitClosing(false);
    this._forceClose(null);
  }

  /** @internal asyncio's read pipe at EOF: eofReceived, then connectionLost(null), both soon. */
  protected _eofReady(): void {
    this._closing = true;
    this._emitClosing(false);
    this._connLost++;
    this._loop._callSoonInternal(eofReceived as Callback, this);
    this._scheduleConnectionLost(null);
  }

  /** @internal */
  protected override _pauseIo(): void {
    this._stream.pause();
  }

  /** @internal */
  protected override _resumeIo(): void {
    this._stream.resume();
  }

  /** @internal */
  protected _closeIo(): void {
    this._stream.destroy();
  }

  /** @internal */
  protected override _dataFd(): number | undefined {
    return this._fd;
  }
}

/** The write end of a pipe as a WriteTransport. */
export class WritePipeTransport extends TransportBase implements WriteTransport {
  /** @internal */ readonly _stream: Writable;
  /** @internal */ readonly _fd: number | undefined;
  /** @internal */ _writeScheduled = false;
  /** @internal */ _osClosed = false;

  private readonly _afterWrite = (): void => {
    this._noteWriteBuffer();
    if ((this._flow.paused || this._closing) && !this._writeScheduled && this._connLost === 0 && !this._loop._closed) {
      this._writeScheduled = true;
      this._loop._callSoonInternal(writeReady as Callback, this);
    }
  };
  private readonly _onError = (err: Error): void => {
    if (this._connLost === 0 && !this._loop._closed) this._loop.callSoon(this._fatalSoon, toOSError(err));
  };
  private readonly _onClose = (): void => {
    this._osClosed = true;
    // The reader went away (asyncio watches the pipe for that): lost, with BrokenPipeError if
    // data was still waiting to go.
    if (this._connLost === 0 && !this._loop._closed) this._loop.callSoon(this._closedSoon, this.getWriteBufferSize() > 0);
  };
  private readonly _fatalSoon = (exc: Error): void => {
    this._fatalError(exc, 'Fatal write error on pipe transport');
  };
  private readonly _closedSoon = (hadData: boolean): void => {
    if (this._connLost === 0) this._forceClose(hadData ? new BrokenPipeError('EPIPE') : null);
  };

  /** @internal Built by `connectWritePipe` and by subprocess transports. */
  constructor(loop: BaseEventLoop, stream: Writable, protocol: AnyProtocol, owner: PipeOwner = {}, extra: Record<string, unknown> = {}) {
    super(loop, 'pipe', protocol, { pipe: stream, ...extra });
    this._stream = stream;
    this._fd = owner.fd;
    stream.on('error', this._onError);
    stream.on('close', this._onClose);
    this._emitOpened({ fd: owner.fd, parentId: owner.parentId });
    this._scheduleConnectionMade();
  }

  /** Bytes Node holds that the pipe has not accepted yet. */
  getWriteBufferSize(): number {
    return this._stream.writableLength;
  }

  /** See {@link WriteTransport.write}; after close or writeEof the data is dropped, as asyncio does for pipes. */
  write(data: Uint8Array): void {
    checkBytes(data);
    if (data.length === 0) return;
    if (this._connLost > 0 || this._closing || this._osClosed) {
      this._dropWrite('pipe closed by peer or os.write(pipe, data) raised exception.');
      return;
    }
    this._bytesOut += data.length;
    if (this._loop._sink !== null) this._emitData('out', data);
    if (this._loop.clock === 'virtual') (this._loop as IoNoting)._noteIo?.();
    this._stream.write(data, this._afterWrite);
    this._noteWriteBuffer();
    this._maybePauseProtocol();
  }

  /** See {@link WriteTransport.writelines}. */
  writelines(list: Iterable<Uint8Array>): void {
    const chunks = Array.from(list);
    for (const c of chunks) checkBytes(c);
    if (chunks.length > 0) this.write(concatBytes(chunks));
  }

  /** Closes the pipe once the buffer drains (asyncio: the same as close() for a write pipe). */
  writeEof(): void {
    if (this._closing) return;
    this._closing = true;
    this._eofOut = true;
    this._emitClosing(false);
    if (this._loop._sink !== null) this._loop._emit({ type: 'transport-eof', time: this._loop._eventTime(), transportId: this._id, direction: 'out' });
    if (this.getWriteBufferSize() === 0) {
      this._connLost++;
      this._scheduleConnectionLost(null);
    }
  }

  /** True: EOF is closing the pipe. */
  canWriteEof(): boolean {
    return true;
  }

  /** See {@link BaseTransport.close}. */
  close(): void {
    if (!this._closing) this.writeEof();
  }

  /** Closes now, dropping buffered data. */
  abort(): void {
    if (this._connLost === 0) this._emitClosing(true);
    this._forceClose(null);
  }

  /** @internal The `_writeReady` loop callback: resume the protocol, or finish the close. */
  _writeReady(): void {
    if (this._connLost > 0) return;
    this._maybeResumeProtocol();
    if (this._closing && this.getWriteBufferSize() === 0) {
      this._connLost++;
      this._callConnectionLost(null);
    }
  }

  /** @internal A write pipe never receives, so never sees EOF. */
  protected _eofReady(): void {}

  /** @internal */
  protected override _discardBuffer(): void {
    this._stream.destroy();
  }

  /** @internal */
  protected _closeIo(): void {
    this._stream.destroy();
  }

  /** @internal */
  protected override _dataFd(): number | undefined {
    return this._fd;
  }
}
