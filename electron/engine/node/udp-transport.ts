/**
 * The UDP endpoint over a Node `dgram.Socket` (asyncio's `_SelectorDatagramTransport`).
 *
 * Datagrams are delivered like stream data: Node's `message` events queue them, one `_readReady`
 * loop callback hands them to `datagramReceived`. Send failures and receive errors (ICMP port
 * unreachable on a connected endpoint, as ConnectionRefusedError) go to `errorReceived`; the
 * endpoint stays open, as in asyncio.
 */
import type { RemoteInfo, Socket as DgramSocket } from 'node:dgram';
import type { BaseEventLoop } from '../core/base-events';
import type { Callback } from '../core/events';
import type { SocketAddress } from '../core/os-errors';
import { addressLabel, TransportBase, type AnyProtocol } from '../core/transport-base';
import type { DatagramProtocol } from '../core/protocols';
import { checkBytes, type DatagramTransport } from '../core/transports';
import { ValueError } from '../core/value-error';
import { describeError } from '../../../shared/engine/error-description';
import { toOSError } from './node-errors';

interface IoNoting {
  _noteIo?(): void;
}

function readReady(t: UdpTransport): void {
  t._readScheduled = false;
  t._deliverDatagrams();
}
Object.defineProperty(readReady, 'name', { value: '_readReady' });

function errorReceived(t: UdpTransport, exc: Error): void {
  t._errorReceived(exc);
}
Object.defineProperty(errorReceived, 'name', { value: 'errorReceived' });

function writeReady(t: UdpTransport): void {
  t._writeScheduled = false;
  t._writeReady();
}
Object.defineProperty(writeReady, 'name', { value: '_writeReady' });

/** A UDP endpoint as an asyncio DatagramTransport. */
export class UdpTransport extends TransportBase implements DatagramTransport {
  /** @internal */ readonly _sock: DgramSocket;
  /** @internal The remote address of a connected endpoint (asyncio's `_address`). */ readonly _address: SocketAddress | null;
  /** @internal Datagrams and their senders, interleaved: [data, addr, data, addr, ...]. */ _queue: Array<Uint8Array | SocketAddress> = [];
  /** @internal */ _writeScheduled = false;
  private readonly _virtual: boolean;
  // The sender of the last datagram: a peer that keeps talking gets the same (frozen) tuple, so
  // receiving allocates nothing beyond Node's own Buffer and rinfo.
  private _lastAddr: SocketAddress = Object.freeze(['', 0] as const);

  private readonly _onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    if (this._virtual) (this._loop as IoNoting)._noteIo?.();
    this._bytesIn += msg.length;
    if (this._loop._sink !== null) this._emitReceived(msg.length);
    if (this._closing || this._loop._closed) return;
    let addr = this._lastAddr;
    if (addr[1] !== rinfo.port || addr[0] !== rinfo.address) addr = this._lastAddr = Object.freeze([rinfo.address, rinfo.port] as const);
    this._queue.push(msg, addr);
    if (!this._readScheduled && !this._readPaused) {
      this._readScheduled = true;
      this._loop._callSoonInternal(readReady as Callback, this);
    }
  };
  private readonly _onError = (err: Error): void => {
    if (this._connLost === 0 && !this._loop._closed) this._loop.callSoon(errorReceived, this, toOSError(err));
  };
  private readonly _afterSend = (err: Error | null): void => {
    if (this._connLost > 0 || this._loop._closed) return;
    this._noteWriteBuffer();
    if (err) this._loop.callSoon(errorReceived, this, toOSError(err));
    if ((this._flow.paused || this._closing) && !this._writeScheduled) {
      this._writeScheduled = true;
      this._loop._callSoonInternal(writeReady as Callback, this);
    }
  };

  /** @internal Built by `loop.createDatagramEndpoint()` around a bound (and maybe connected) socket. */
  constructor(loop: BaseEventLoop, sock: DgramSocket, protocol: AnyProtocol, address: SocketAddress | null) {
    const local = sock.address();
    super(loop, 'udp', protocol, {
      sockname: [local.address, local.port],
      peername: address ?? undefined,
      socket: sock,
    });
    this._sock = sock;
    this._address = address;
    this._virtual = loop.clock === 'virtual';
    sock.on('message', this._onMessage);
    sock.on('error', this._onError);
    this._emitOpened();
    this._scheduleConnectionMade();
  }

  /** Bytes queued in the socket and not yet sent. */
  getWriteBufferSize(): number {
    if (this._finished) return 0;
    try {
      return this._sock.getSendQueueSize();
    } catch {
      return 0; // the socket is closed
    }
  }

  /** See {@link DatagramTransport.sendto}. */
  sendto(data: Uint8Array, addr?: SocketAddress | null): void {
    checkBytes(data);
    const connected = this._address;
    if (connected !== null) {
      if (addr !== undefined && addr !== null && (addr[0] !== connected[0] || addr[1] !== connected[1])) {
        throw new ValueError(`Invalid address: must be null or ${addressLabel(connected)}`);
      }
    } else if (addr === undefined || addr === null) {
      throw new ValueError('Invalid address: an endpoint without a remote address needs one for sendto()');
    }
    if (this._connLost > 0 || this._closing) {
      this._dropWrite();
      return;
    }
    this._bytesOut += data.length;
    if (this._loop._sink !== null) this._emitData('out', data, addressLabel(connected ?? addr) ?? undefined);
    if (this._virtual) (this._loop as IoNoting)._noteIo?.();
    // Python 3.13 sends empty datagrams too (older versions dropped them); so do we.
    if (connected !== null) this._sock.send(data, this._afterSend);
    else this._sock.send(data, (addr as SocketAddress)[1], (addr as SocketAddress)[0], this._afterSend);
    this._noteWriteBuffer();
    this._maybePauseProtocol();
  }

  /** Stops receiving; `connectionLost(null)` follows once queued datagrams are sent. */
  close(): void {
    if (this._closing) return;
    this._closing = true;
    this._emitClosing(false);
    this._queue.length = 0;
    if (this.getWriteBufferSize() === 0) {
      this._connLost++;
      this._scheduleConnectionLost(null);
    }
  }

  /** Closes now, dropping queued datagrams. */
  abort(): void {
    if (this._connLost === 0) this._emitClosing(true);
    this._forceClose(null);
  }

  /** @internal The `_readReady` loop callback: each queued datagram to `datagramReceived`. */
  _deliverDatagrams(): void {
    const queue = this._queue;
    const protocol = this._protocol as Partial<DatagramProtocol>;
    const sink = this._loop._sink !== null;
    let i = 0;
    for (; i < queue.length && !this._closing && !this._readPaused; i += 2) {
      const data = queue[i] as Uint8Array;
      const addr = queue[i + 1] as SocketAddress;
      if (sink) this._emitData('in', data, addressLabel(addr) ?? undefined);
      try {
        protocol.datagramReceived!(data, addr);
      } catch (exc) {
        i += 2;
        this._fatalError(exc, 'Fatal error: protocol.datagramReceived() call failed.');
        break;
      }
    }
    if (i >= queue.length) queue.length = 0;
    else queue.splice(0, i);
  }

  /**
   * @internal After resumeReading(): deliver what arrived meanwhile. (asyncio's datagram transport
   * cannot pause; ours holds datagrams in memory while paused, for the step-by-step UI.)
   */
  override _scheduleRead(): void {
    if (this._readScheduled || this._readPaused || this._closing || this._loop._closed || this._queue.length === 0) return;
    this._readScheduled = true;
    this._loop._callSoonInternal(readReady as Callback, this);
  }

  /** @internal The `errorReceived` loop callback. */
  _errorReceived(exc: Error): void {
    if (this._connLost > 0) return;
    if (this._loop._sink !== null) this._loop._emit({ type: 'transport-error', time: this._loop._eventTime(), transportId: this._id, error: describeError(exc) });
    try {
      (this._protocol as Partial<DatagramProtocol>).errorReceived?.(exc);
    } catch (e) {
      this._fatalError(e, 'Fatal error: protocol.errorReceived() call failed.');
    }
  }

  /** @internal The `_writeReady` loop callback. */
  _writeReady(): void {
    if (this._connLost > 0) return;
    this._maybeResumeProtocol();
    if (this._closing && this.getWriteBufferSize() === 0) {
      this._connLost++;
      this._callConnectionLost(null);
    }
  }

  /** @internal Datagrams have no EOF. */
  protected _eofReady(): void {}

  /** @internal */
  protected _closeIo(): void {
    try {
      this._sock.close();
    } catch {
      // Already closed (ERR_SOCKET_DGRAM_NOT_RUNNING): nothing to release.
    }
  }

  /** @internal abort() drops what is queued: close the socket now. */
  protected override _discardBuffer(): void {
    this._closeIo();
  }
}
