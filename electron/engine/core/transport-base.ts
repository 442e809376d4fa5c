/**
 * What every transport implementation shares: identity in the event stream, extra info, the
 * protocol slot, traffic counters, write flow control, the read gate (data held back while reading
 * is paused), and the registry that `loop.snapshot()` lists. It plays the part of asyncio's
 * `_SelectorTransport` for the Node transports and the in-memory pair.
 *
 * Everything observable by the protocol happens in loop callbacks: a Node event handler only feeds
 * the read gate or records state, then schedules a callback with `callSoon`.
 */
import type { TransportDataEvent, TransportInfo, TransportKind } from '../../../shared/engine/transport-events';
import { encodeBytes } from '../../../shared/engine/base64';
import { describeError } from '../../../shared/engine/error-description';
import type { TrafficSink } from '../../../shared/engine/traffic-sink';
import type { BaseEventLoop } from './base-events';
import type { Callback } from './events';
import { RuntimeError } from './exceptions';
import { WriteFlowControl } from './flow-control';
import { SHORT_REPR } from './format';
import { OSError, type SocketAddress } from './os-errors';
import { isBufferedProtocol, type BaseProtocol, type BufferedProtocol, type Protocol } from './protocols';

/** The protocol methods a transport may call; all optional, as user objects may omit some. */
export type AnyProtocol = Partial<Protocol & BufferedProtocol> & Partial<BaseProtocol> & object;

const registries = new WeakMap<BaseEventLoop, Set<TransportBase>>();

/** The transports of `loop` that are not closed yet (what `loop.snapshot().transports` lists). */
export function openTransports(loop: BaseEventLoop): ReadonlySet<TransportBase> {
  return registries.get(loop) ?? new Set();
}

/** Renders `[host, port]` for events and snapshots: `127.0.0.1:8888`, `[::1]:8888`. */
export function addressLabel(address: SocketAddress | null | undefined): string | null {
  if (address === null || address === undefined) return null;
  return address[0].includes(':') ? `[${address[0]}]:${address[1]}` : `${address[0]}:${address[1]}`;
}

// The loop callbacks a transport schedules are plain functions taking the transport, so a handle in
// the ready queue reads `TcpTransport._readReady(TcpTransport#7)` and needs no closure per call.
function readReady(t: TransportBase): void {
  t._readScheduled = false;
  t._deliver();
}
Object.defineProperty(readReady, 'name', { value: '_readReady' });

function callConnectionLost(t: TransportBase, exc: Error | null): void {
  t._callConnectionLost(exc);
}
Object.defineProperty(callConnectionLost, 'name', { value: '_callConnectionLost' });

function connectionMade(t: TransportBase): void {
  t._connectionMade();
}
Object.defineProperty(connectionMade, 'name', { value: 'connectionMade' });

/**
 * The shared base of transports. Subclasses provide the I/O (`getWriteBufferSize`, `_closeIo`) and
 * decide what EOF means (`_eofReady`).
 */
export abstract class TransportBase {
  /** @internal */ readonly _loop: BaseEventLoop;
  /** @internal Stable id in events and snapshots (from the loop's id counter). */ readonly _id: number;
  /** @internal */ readonly _kind: TransportKind;
  /** @internal */ _protocol: AnyProtocol;
  /** @internal */ readonly _extra: Record<string, unknown>;
  /** @internal */ _bytesIn = 0;
  /** @internal */ _bytesOut = 0;
  /** @internal close() or abort() was called, or a fatal error happened. */ _closing = false;
  /** @internal asyncio's `_conn_lost`: >0 once connectionLost is scheduled, counts dropped writes. */ _connLost = 0;
  /** @internal connectionLost was delivered: the transport is finished. */ _finished = false;
  /** @internal */ _readPaused = false;
  /** @internal The peer's EOF was delivered to the protocol. */ _eofIn = false;
  /** @internal writeEof() was called. */ _eofOut = false;
  /** @internal */ readonly _flow: WriteFlowControl;
  /** @internal Data received and not delivered yet (the read gate). */ _inbox: Uint8Array[] = [];
  /** @internal EOF received and not delivered yet. */ _eofPending = false;
  /** @internal A fatal read error waiting behind the data received before it. */ _errorPending: Error | null = null;
  /** @internal A `_readReady` callback is in the ready queue. */ _readScheduled = false;
  /** @internal The write buffer size the last event reported (see `_noteWriteBuffer`). */ _reportedWriteBuffer = 0;
  /** @internal `TcpTransport#7`, once made. */ _shortRepr: string | undefined = undefined;

  /** @internal */
  constructor(loop: BaseEventLoop, kind: TransportKind, protocol: AnyProtocol, extra: Record<string, unknown> = {}) {
    this._loop = loop;
    this._id = loop._nextId++;
    this._kind = kind;
    this._protocol = protocol;
    this._extra = extra;
    this._flow = new WriteFlowControl((message, exc) => {
      this._loop.callExceptionHandler({ message, exception: exc, transport: this, protocol: this._protocol });
    });
    let set = registries.get(loop);
    if (set === undefined) registries.set(loop, (set = new Set()));
    set.add(this);
  }

  /** Stable id of this transport in events and snapshots. */
  get id(): number {
    return this._id;
  }

  // --- BaseTransport ----------------------------------------------------------------------

  /** See {@link BaseTransport.getExtraInfo}. */
  getExtraInfo(name: string, defaultValue?: unknown): unknown {
    return Object.prototype.hasOwnProperty.call(this._extra, name) ? this._extra[name] : defaultValue;
  }

  /** See {@link BaseTransport.setProtocol}. */
  setProtocol(protocol: BaseProtocol): void {
    this._protocol = protocol as AnyProtocol;
  }

  /** See {@link BaseTransport.getProtocol}. */
  getProtocol(): BaseProtocol {
    return this._protocol as BaseProtocol;
  }

  /** See {@link BaseTransport.isClosing}. */
  isClosing(): boolean {
    return this._closing;
  }

  /** See {@link BaseTransport.close}. */
  abstract close(): void;

  // --- write flow control -----------------------------------------------------------------

  /** Bytes buffered and not yet handed to the operating system (or to the peer). */
  abstract getWriteBufferSize(): number;

  /** See {@link WriteTransport.getWriteBufferLimits}. */
  getWriteBufferLimits(): [low: number, high: number] {
    return this._flow.getLimits();
  }

  /** See {@link WriteTransport.setWriteBufferLimits}. */
  setWriteBufferLimits(high?: number | null, low?: number | null): void {
    this._flow.setLimits(high, low);
    this._maybePauseProtocol();
  }

  /** @internal Calls pauseWriting() if the buffer went above the high mark (asyncio's _maybe_pause_protocol). */
  _maybePauseProtocol(): void {
    const flow = this._flow;
    if (flow.paused) return;
    const size = this.getWriteBufferSize();
    if (size <= flow.high) return;
    flow.maybePause(size, this._protocol, this._loop._sink !== null ? () => this._emitFlow('pause-writing', size) : undefined);
  }

  /** @internal Calls resumeWriting() once the buffer is at or below the low mark. */
  _maybeResumeProtocol(): void {
    const flow = this._flow;
    if (!flow.paused) return;
    const size = this.getWriteBufferSize();
    if (size > flow.low) return;
    flow.maybeResume(size, this._protocol, this._loop._sink !== null ? () => this._emitFlow('resume-writing', size) : undefined);
  }

  // --- the read gate ----------------------------------------------------------------------

  /** See {@link ReadTransport.isReading}. */
  isReading(): boolean {
    return !this._readPaused && !this._closing;
  }

  /** See {@link ReadTransport.pauseReading}. */
  pauseReading(): void {
    if (this._closing || this._readPaused) return;
    this._readPaused = true;
    this._pauseIo();
    if (this._loop._sink !== null) this._emitFlow('pause-reading', this.getWriteBufferSize());
  }

  /** See {@link ReadTransport.resumeReading}. */
  resumeReading(): void {
    if (this._closing || !this._readPaused) return;
    this._readPaused = false;
    this._resumeIo();
    if (this._loop._sink !== null) this._emitFlow('resume-reading', this.getWriteBufferSize());
    this._scheduleRead();
  }

  /** @internal Stops the source of data (Node: `stream.pause()`); data already out is gated here. */
  protected _pauseIo(): void {}

  /** @internal Restarts the source of data. */
  protected _resumeIo(): void {}

  /** @internal Data arrived from the I/O source: held until a loop callback delivers it. */
  _feedData(chunk: Uint8Array): void {
    this._bytesIn += chunk.length;
    if (this._loop._sink !== null) this._emitReceived(chunk.length);
    // After close() the reader is gone (asyncio removes it): late data is dropped. So is anything
    // that arrives after the loop itself was closed.
    if (this._closing || this._loop._closed) return;
    this._inbox.push(chunk);
    if (!this._readScheduled && !this._readPaused && !this._closing) {
      this._readScheduled = true;
      this._loop._callSoonInternal(readReady as Callback, this);
    }
  }

  /** @internal The I/O source reached EOF. */
  _feedEof(): void {
    this._eofPending = true;
    this._scheduleRead();
  }

  /** @internal A fatal read error, delivered after the data that came before it (as recv() would). */
  _feedError(exc: Error): void {
    if (this._loop._closed) return;
    if (this._errorPending === null) this._errorPending = exc;
    if (this._readPaused || this._closing) {
      // Nobody reads: asyncio would see the error on the next write or resume; the connection is
      // gone either way, so fail now rather than hold the transport open forever.
      this._loop.callSoon(this._fatalErrorSoon, exc);
      return;
    }
    this._scheduleRead();
  }

  private readonly _fatalErrorSoon = (exc: Error): void => {
    this._errorPending = null;
    this._fatalError(exc, 'Fatal read error on transport');
  };

  /** @internal */
  _scheduleRead(): void {
    if (this._readScheduled || this._readPaused || this._closing || this._loop._closed) return;
    if (this._inbox.length === 0 && !this._eofPending && this._errorPending === null) return;
    this._readScheduled = true;
    this._loop._callSoonInternal(readReady as Callback, this);
  }

  /** @internal The `_readReady` loop callback: delivers held data, then EOF or the read error. */
  _deliver(): void {
    const inbox = this._inbox;
    let i = 0;
    // Stops as soon as the protocol pauses reading or closes the transport from a callback.
    while (i < inbox.length && !this._readPaused && !this._closing) {
      const chunk = inbox[i++];
      if (this._loop._sink !== null) this._emitData('in', chunk);
      this._dataReceived(chunk);
    }
    if (i === inbox.length) inbox.length = 0;
    else inbox.splice(0, i);
    if (inbox.length > 0 || this._readPaused || this._closing) return;
    if (this._errorPending !== null) {
      const exc = this._errorPending;
      this._errorPending = null;
      this._fatalError(exc, 'Fatal read error on transport');
      return;
    }
    if (this._eofPending) {
      this._eofPending = false;
      this._eofIn = true;
      if (this._loop._sink !== null) this._loop._emit({ type: 'transport-eof', time: this._loop._eventTime(), transportId: this._id, direction: 'in' });
      this._eofReady();
    }
  }

  /** @internal Hands one chunk to the protocol (asyncio's _read_ready__data_received / __get_buffer). */
  protected _dataReceived(chunk: Uint8Array): void {
    const protocol = this._protocol;
    if (isBufferedProtocol(protocol)) {
      this._bufferedDataReceived(protocol, chunk);
      return;
    }
    try {
      protocol.dataReceived!(chunk);
    } catch (exc) {
      this._fatalError(exc, 'Fatal error: protocol.dataReceived() call failed.');
    }
  }

  private _bufferedDataReceived(protocol: BufferedProtocol, chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length && !this._closing) {
      let buf: Uint8Array;
      try {
        buf = protocol.getBuffer(chunk.length - offset);
        if (!(buf instanceof Uint8Array) || buf.length === 0) throw new RuntimeError('getBuffer() returned an empty buffer');
      } catch (exc) {
        this._fatalError(exc, 'Fatal error: protocol.getBuffer() call failed.');
        return;
      }
      const n = Math.min(buf.length, chunk.length - offset);
      buf.set(chunk.subarray(offset, offset + n));
      offset += n;
      try {
        protocol.bufferUpdated(n);
      } catch (exc) {
        this._fatalError(exc, 'Fatal error: protocol.bufferUpdated() call failed.');
        return;
      }
    }
  }

  /** @internal What the transport does once the peer's EOF is delivered (socket vs pipe semantics). */
  protected abstract _eofReady(): void;

  // --- closing ----------------------------------------------------------------------------

  /**
   * @internal A fatal error (asyncio's _fatal_error): OSErrors are expected (a reset peer) and only
   * the protocol hears of them; anything else is also reported to the loop's exception handler.
   */
  _fatalError(exc: unknown, message = 'Fatal error on transport'): void {
    if (!(exc instanceof OSError)) {
      this._loop.callExceptionHandler({ message, exception: exc, transport: this, protocol: this._protocol });
    } else if (this._loop.getDebug()) {
      this._loop._platform.log('debug', `${this}: ${message}`, exc);
    }
    this._forceClose(exc instanceof Error ? exc : new Error(String(exc)));
  }

  /** @internal Closes now, dropping buffered data (asyncio's _force_close). */
  _forceClose(exc: Error | null): void {
    if (this._connLost > 0) return;
    this._discardBuffer();
    this._noteWriteBuffer();
    if (!this._closing) {
      this._closing = true;
      this._pauseIo();
    }
    this._inbox.length = 0;
    this._connLost++;
    this._scheduleConnectionLost(exc);
  }

  /** @internal Drops buffered outgoing data (abort). */
  protected _discardBuffer(): void {}

  /** @internal */
  _scheduleConnectionLost(exc: Error | null): void {
    this._loop.callSoon(callConnectionLost, this, exc);
  }

  /** @internal The `_callConnectionLost` loop callback: the protocol's last callback, then the I/O is closed. */
  _callConnectionLost(exc: Error | null): void {
    if (this._finished) return;
    this._finished = true;
    if (this._loop._sink !== null) {
      this._loop._emit({ type: 'transport-lost', time: this._loop._eventTime(), transportId: this._id, error: exc === null ? null : describeError(exc) });
    }
    try {
      this._protocol.connectionLost?.(exc);
    } finally {
      this._closeIo();
      this._unregister();
    }
  }

  /** @internal Drops the transport from the loop's snapshot list. */
  _unregister(): void {
    registries.get(this._loop)?.delete(this);
  }

  /** @internal Releases the I/O resource (Node: destroy the socket). Called once, after connectionLost. */
  protected abstract _closeIo(): void;

  /**
   * @internal The loop was closed with this transport still open: release the resource without
   * any callback (the loop can run none). asyncio leaves this to the garbage collector, which
   * closes the socket with a ResourceWarning; a workbench that stops runs must not leak instead.
   */
  _abandon(): void {
    if (this._finished) return;
    this._finished = true;
    this._closing = true;
    this._connLost++;
    try {
      this._closeIo();
    } finally {
      this._unregister();
    }
  }

  /** @internal Schedules the protocol's connectionMade (the first callback). */
  _scheduleConnectionMade(): void {
    this._loop._callSoonInternal(connectionMade as Callback, this);
  }

  /** @internal The `connectionMade` loop callback. */
  _connectionMade(): void {
    if (this._finished) return;
    this._protocol.connectionMade?.(this as never);
  }

  /** @internal asyncio logs writes to a lost connection once they pass a threshold, and drops them. */
  _dropWrite(what = 'socket.send() raised exception.'): void {
    if (this._connLost >= 5) this._loop._platform.log('warn', what);
    this._connLost++;
  }

  // --- observability ----------------------------------------------------------------------

  /** @internal Display address of the peer for events and snapshots. */
  _peerLabel(): string | null {
    return addressLabel(this._extra.peername as SocketAddress | undefined);
  }

  /** @internal */
  _stateLabel(): TransportInfo['state'] {
    if (this._finished) return 'closed';
    if (this._closing) return 'closing';
    if (this._eofOut) return 'write-closed';
    if (this._eofIn) return 'read-closed';
    return 'open';
  }

  /** @internal The snapshot entry of this transport. */
  _info(): TransportInfo {
    return {
      id: this._id,
      kind: this._kind,
      state: this._stateLabel(),
      peer: this._peerLabel(),
      bytesIn: this._bytesIn,
      bytesOut: this._bytesOut,
      writeBufferSize: this._finished ? 0 : this.getWriteBufferSize(),
      paused: { reading: this._readPaused, writing: this._flow.paused },
    };
  }

  /** @internal Emits `transport-opened` (call when a sink is attached). */
  _emitOpened(fields: { pid?: number; program?: string; fd?: number; parentId?: number; serverId?: number } = {}): void {
    const loop = this._loop;
    if (loop._sink === null) return;
    loop._emit({
      type: 'transport-opened',
      time: loop._eventTime(),
      transportId: this._id,
      kind: this._kind,
      peer: this._peerLabel(),
      local: addressLabel(this._extra.sockname as SocketAddress | undefined),
      ...fields,
    });
  }

  /** @internal Emits a traffic event (call only when a sink is attached: it encodes the bytes). */
  _emitData(direction: 'in' | 'out', data: Uint8Array, addr?: string): void {
    const loop = this._loop;
    const sink = loop._sink as TrafficSink;
    if (sink.traffic !== undefined) {
      // Held callbacks' events come first (see CallbackEvents; flush() looks whether any are held).
      loop._callbackEvents?.flush();
      // The sink takes the bytes as they are (see TrafficSink): no object, no base64 here.
      try {
        sink.traffic(loop._eventTime(), this._id, this._kind, direction, data, this._dataFd(), addr);
      } catch (exc) {
        loop._sinkFailed(exc);
      }
      return;
    }
    const event: TransportDataEvent = {
      type: 'transport-data',
      time: loop._eventTime(),
      transportId: this._id,
      kind: this._kind,
      direction,
      data: encodeBytes(data),
      size: data.length,
    };
    // Assigned rather than spread: this runs for every chunk of traffic.
    const fd = this._dataFd();
    if (fd !== undefined) event.fd = fd;
    if (addr !== undefined) event.addr = addr;
    loop._emit(event);
  }

  /** @internal The `fd` of this transport's traffic events (a pipe's), or undefined. */
  protected _dataFd(): number | undefined {
    return undefined;
  }

  /** @internal */
  _emitFlow(what: 'pause-reading' | 'resume-reading' | 'pause-writing' | 'resume-writing', size: number): void {
    this._reportedWriteBuffer = size;
    this._loop._emit({ type: 'transport-flow', time: this._loop._eventTime(), transportId: this._id, what, writeBufferSize: size });
  }

  /** @internal Emits `transport-received` (call only when a sink is attached). */
  _emitReceived(size: number): void {
    this._loop._emit({ type: 'transport-received', time: this._loop._eventTime(), transportId: this._id, size });
  }

  /**
   * @internal The write buffer may have changed (a write, or bytes the OS took): report it when it
   * differs from what the last event said, so replay knows the size at every event.
   */
  _noteWriteBuffer(): void {
    const loop = this._loop;
    if (loop._sink === null || this._finished) return;
    const size = this.getWriteBufferSize();
    if (size === this._reportedWriteBuffer) return;
    this._reportedWriteBuffer = size;
    loop._emit({ type: 'transport-write-buffer', time: loop._eventTime(), transportId: this._id, writeBufferSize: size });
  }

  /** @internal */
  _emitClosing(abort: boolean): void {
    if (this._loop._sink !== null) this._loop._emit({ type: 'transport-closing', time: this._loop._eventTime(), transportId: this._id, abort });
  }

  /** @internal */
  [SHORT_REPR](): string {
    // Made once: it is the args of every `_readReady` handle-scheduled event, and the worker's batch
    // looks each such string up (a new string would be hashed anew every time).
    return (this._shortRepr ??= `${this.constructor.name}#${this._id}`);
  }

  /** asyncio-style rendering, e.g. `<TcpTransport#7 open peer=127.0.0.1:8888>`. */
  toString(): string {
    const peer = this._peerLabel();
    return `<${this.constructor.name}#${this._id} ${this._stateLabel()}${peer === null ? '' : ` peer=${peer}`}>`;
  }
}
