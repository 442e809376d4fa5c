/**
 * The state machine of a bidirectional stream transport with socket semantics, as asyncio's
 * `_SelectorSocketTransport`: write buffering with flow control, half-close in both directions
 * (`writeEof`, and `eofReceived` returning true), close after the buffer drains, abort, and
 * `connectionLost` exactly once. The TCP transport and the in-memory pair supply the I/O.
 */
import type { BaseEventLoop } from './base-events';
import type { Callback } from './events';
import { RuntimeError } from './exceptions';
import { TransportBase, type AnyProtocol } from './transport-base';
import { checkBytes, concatBytes, type Transport } from './transports';
import type { TransportKind } from '../../../shared/engine/transport-events';

function writeReady(t: StreamTransport): void {
  t._writeScheduled = false;
  t._writeReady();
}
Object.defineProperty(writeReady, 'name', { value: '_writeReady' });

/** A stream transport; subclasses move the bytes. */
export abstract class StreamTransport extends TransportBase implements Transport {
  /** @internal A `_writeReady` callback is in the ready queue. */ _writeScheduled = false;

  /** @internal */
  constructor(loop: BaseEventLoop, kind: TransportKind, protocol: AnyProtocol, extra?: Record<string, unknown>) {
    super(loop, kind, protocol, extra);
  }

  /** @internal Hands bytes to the I/O (which buffers what it cannot send yet). */
  protected abstract _writeIo(data: Uint8Array): void;

  /** @internal Sends EOF once everything written so far is sent. */
  protected abstract _shutdownIo(): void;

  /** See {@link WriteTransport.write}. */
  write(data: Uint8Array): void {
    checkBytes(data);
    if (this._eofOut) throw new RuntimeError('Cannot call write() after writeEof()');
    if (data.length === 0) return;
    if (this._connLost > 0) {
      this._dropWrite();
      return;
    }
    this._bytesOut += data.length;
    if (this._loop._sink !== null) this._emitData('out', data);
    this._writeIo(data);
    this._noteWriteBuffer();
    this._maybePauseProtocol();
  }

  /** See {@link WriteTransport.writelines}. */
  writelines(list: Iterable<Uint8Array>): void {
    const chunks = Array.from(list);
    for (const c of chunks) checkBytes(c);
    this.write(chunks.length === 0 ? new Uint8Array(0) : concatBytes(chunks));
  }

  /** See {@link WriteTransport.writeEof}. */
  writeEof(): void {
    if (this._closing || this._eofOut) return;
    this._eofOut = true;
    if (this._loop._sink !== null) this._loop._emit({ type: 'transport-eof', time: this._loop._eventTime(), transportId: this._id, direction: 'out' });
    this._shutdownIo();
  }

  /** See {@link WriteTransport.canWriteEof}. */
  canWriteEof(): boolean {
    return true;
  }

  /** See {@link BaseTransport.close}: flushes the buffer, then `connectionLost(null)`. */
  close(): void {
    if (this._closing) return;
    this._closing = true;
    this._emitClosing(false);
    this._pauseIo();
    this._inbox.length = 0;
    if (this.getWriteBufferSize() === 0) {
      this._connLost++;
      this._scheduleConnectionLost(null);
    }
    // Otherwise `_writeReady` finishes the close once the buffer has drained.
  }

  /** See {@link WriteTransport.abort}. */
  abort(): void {
    if (this._connLost === 0) this._emitClosing(true);
    this._forceClose(null);
  }

  /**
   * @internal The I/O reports that buffered bytes went out. Only when someone waits for that (a
   * paused protocol, a pending close) is a `_writeReady` callback scheduled, so the common case
   * costs two field reads.
   */
  _onWriteProgress(): void {
    this._noteWriteBuffer();
    if ((this._flow.paused || this._closing) && !this._writeScheduled && this._connLost === 0 && !this._loop._closed) {
      this._writeScheduled = true;
      this._loop._callSoonInternal(writeReady as Callback, this);
    }
  }

  /** @internal The `_writeReady` loop callback: resume the protocol, or finish a close. */
  _writeReady(): void {
    if (this._connLost > 0) return;
    this._maybeResumeProtocol();
    if (this._closing && this.getWriteBufferSize() === 0) {
      this._connLost++;
      this._callConnectionLost(null);
    }
  }

  /** @internal asyncio's `_read_ready__on_eof`: a true `eofReceived()` keeps the connection half-open. */
  protected _eofReady(): void {
    let keepOpen: unknown;
    try {
      keepOpen = this._protocol.eofReceived?.();
    } catch (exc) {
      this._fatalError(exc, 'Fatal error: protocol.eofReceived() call failed.');
      return;
    }
    if (keepOpen) this._pauseIo();
    else this.close();
  }
}
