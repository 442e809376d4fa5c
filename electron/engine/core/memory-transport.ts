/**
 * An in-memory transport pair: two connected stream transports with TCP's semantics and no
 * operating system underneath. Every byte moves in a loop callback, so a run over the pair is
 * deterministic (the same program gives the same event stream every time), which is what replay
 * and the transport behaviour suite build on.
 *
 * Model: what one end writes sits in its write buffer until a `_transfer` callback moves it into
 * the peer's receive side. While the peer has paused reading, nothing moves, the writer's buffer
 * grows and flow control pauses the writer, as a full kernel buffer would. Closing sends EOF to
 * the peer after the buffer is flushed; data arriving at an end that is closed resets the writer
 * (`ConnectionResetError`), as TCP's RST does; `reset()` sends that RST on purpose.
 */
import type { BaseEventLoop } from './base-events';
import type { Callback } from './events';
import { ConnectionResetError, type SocketAddress } from './os-errors';
import type { BaseProtocol } from './protocols';
import { StreamTransport } from './stream-transport';
import type { AnyProtocol } from './transport-base';

function transfer(t: MemoryTransport): void {
  t._transferScheduled = false;
  t._transfer();
}
Object.defineProperty(transfer, 'name', { value: '_transfer' });

/** One end of an in-memory connection (see the module comment). */
export class MemoryTransport extends StreamTransport {
  /** @internal */ _peer: MemoryTransport | null = null;
  /** @internal */ _outbox: Uint8Array[] = [];
  /** @internal */ _outboxSize = 0;
  /** @internal */ _transferScheduled = false;
  /** @internal writeEof() asked for EOF after the buffer. */ _shutdownPending = false;
  /** @internal EOF (or a reset) was sent to the peer. */ _finSent = false;
  /** @internal abort() should reset the peer instead of sending EOF. */ _resetOnClose = false;

  /** @internal Use {@link createMemoryTransportPair}. */
  constructor(loop: BaseEventLoop, protocol: AnyProtocol, extra: Record<string, unknown>) {
    super(loop, 'memory', protocol, extra);
  }

  /** Bytes written and not yet moved to the peer. */
  getWriteBufferSize(): number {
    return this._outboxSize;
  }

  /** Closes this end as a TCP RST would: the peer's connection is lost with ConnectionResetError. */
  reset(): void {
    this._resetOnClose = true;
    this.abort();
  }

  /** @internal */
  protected _writeIo(data: Uint8Array): void {
    // Copy: the writer may reuse its array after write() returns, as it may with a socket.
    this._outbox.push(data.slice());
    this._outboxSize += data.length;
    this._scheduleTransfer();
  }

  /** @internal */
  protected _shutdownIo(): void {
    this._shutdownPending = true;
    this._scheduleTransfer();
  }

  /** @internal */
  protected override _resumeIo(): void {
    // The peer may have data waiting for us to read again.
    this._peer?._scheduleTransfer();
  }

  /** @internal */
  protected override _discardBuffer(): void {
    this._outbox.length = 0;
    this._outboxSize = 0;
  }

  /** @internal After connectionLost: the peer gets EOF (or the reset) if it has not yet. */
  protected _closeIo(): void {
    this._outbox.length = 0;
    this._outboxSize = 0;
    this._sendFin();
  }

  private _sendFin(): void {
    if (this._finSent) return;
    this._finSent = true;
    const peer = this._peer;
    if (peer === null || peer._finished) return;
    if (this._resetOnClose) peer._feedError(new ConnectionResetError('ECONNRESET'));
    else peer._feedEof();
  }

  /** @internal */
  _scheduleTransfer(): void {
    if (this._transferScheduled || this._finished) return;
    this._transferScheduled = true;
    this._loop._callSoonInternal(transfer as Callback, this);
  }

  /** @internal The `_transfer` loop callback: moves buffered bytes to the peer if it reads. */
  _transfer(): void {
    const peer = this._peer;
    if (peer === null || this._finished) return;
    if (this._outboxSize > 0) {
      if (peer._finished || peer._closing) {
        // Bytes sent to a closed socket are answered with a reset.
        this._discardBuffer();
        this._feedError(new ConnectionResetError('ECONNRESET'));
        return;
      }
      if (peer._readPaused) return;
      for (const chunk of this._outbox) peer._feedData(chunk);
      this._outbox.length = 0;
      this._outboxSize = 0;
      this._noteWriteBuffer();
      this._writeReady();
    }
    if (this._shutdownPending && this._outboxSize === 0) {
      this._shutdownPending = false;
      this._sendFin();
    }
  }

  /** @internal Data, EOF or errors for an end that is finished go nowhere. */
  override _feedData(chunk: Uint8Array): void {
    if (!this._finished) super._feedData(chunk);
  }

  /** @internal */
  override _feedEof(): void {
    if (!this._finished) super._feedEof();
  }

  /** @internal */
  override _feedError(exc: Error): void {
    if (!this._finished && this._connLost === 0) super._feedError(exc);
  }
}

/** Options of {@link createMemoryTransportPair}. */
export interface MemoryPairOptions {
  /** The address of the first end, reported as its `sockname` and the second's `peername`. */
  readonly addressA?: SocketAddress;
  /** The address of the second end. */
  readonly addressB?: SocketAddress;
}

/**
 * Creates two connected in-memory transports with the given protocols. Their `connectionMade`
 * callbacks are scheduled (first end first), as a connection's would be.
 */
export function createMemoryTransportPair<A extends BaseProtocol, B extends BaseProtocol>(
  loop: BaseEventLoop,
  protocolA: A,
  protocolB: B,
  options: MemoryPairOptions = {},
): [MemoryTransport, MemoryTransport] {
  const addrA = options.addressA ?? (['memory', 1] as const);
  const addrB = options.addressB ?? (['memory', 2] as const);
  const a = new MemoryTransport(loop, protocolA as AnyProtocol, { peername: addrB, sockname: addrA });
  const b = new MemoryTransport(loop, protocolB as AnyProtocol, { peername: addrA, sockname: addrB });
  a._peer = b;
  b._peer = a;
  a._emitOpened();
  b._emitOpened();
  a._scheduleConnectionMade();
  b._scheduleConnectionMade();
  return [a, b];
}
