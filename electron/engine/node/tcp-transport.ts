/**
 * The TCP transport over a Node `net.Socket` (asyncio's `_SelectorSocketTransport`).
 *
 * Node does the reading and the buffering of writes; this class turns its events into asyncio's
 * protocol callbacks through the loop. Sockets run with `allowHalfOpen` (so EOF from the peer does
 * not end our side: the protocol's `eofReceived` decides) and TCP_NODELAY (asyncio sets it on every
 * TCP transport).
 */
import type { Socket } from 'node:net';
import type { BaseEventLoop } from '../core/base-events';
import type { SocketAddress } from '../core/os-errors';
import { StreamTransport } from '../core/stream-transport';
import type { AnyProtocol } from '../core/transport-base';
import { toOSError } from './node-errors';

/** What a transport tells the server that accepted it (asyncio's Server._attach/_detach). */
export interface ConnectionOwner {
  readonly _id: number;
  _attach(transport: TcpTransport): void;
  _detach(transport: TcpTransport): void;
}

/** Notes I/O for the virtual clock (NodeEventLoop._noteIo), without importing the loop class. */
interface IoNoting {
  _noteIo?(): void;
}

/** `[host, port]` of a socket's remote end, or undefined when it has none (yet). */
function remoteAddressOf(sock: Socket): SocketAddress | undefined {
  return sock.remoteAddress === undefined ? undefined : [sock.remoteAddress, sock.remotePort ?? 0];
}

/** `[host, port]` of a socket's local end. */
function localAddressOf(sock: Socket): SocketAddress | undefined {
  return sock.localAddress === undefined ? undefined : [sock.localAddress, sock.localPort ?? 0];
}

/** A TCP connection as an asyncio Transport. */
export class TcpTransport extends StreamTransport {
  /** @internal */ readonly _sock: Socket;
  /** @internal */ _server: ConnectionOwner | null;
  /** @internal Node closed the socket (after both EOFs, an error, or our destroy()). */ _osClosed = false;
  private readonly _virtual: boolean;

  // Node event handlers, bound once per transport (no closure per chunk or per write).
  private readonly _onData = (chunk: Buffer): void => {
    if (this._virtual) (this._loop as IoNoting)._noteIo?.();
    this._feedData(chunk);
  };
  private readonly _onEnd = (): void => {
    this._feedEof();
  };
  private readonly _onError = (err: Error): void => {
    if (this._connLost > 0) return;
    this._feedError(toOSError(err));
  };
  private readonly _onClose = (): void => {
    this._osClosed = true;
    // Closed under us (destroyed elsewhere) without EOF or error: to the protocol that is the end
    // of the stream, after any data still held.
    if (this._connLost === 0 && !this._eofPending && !this._eofIn && this._errorPending === null) this._feedEof();
  };
  private readonly _afterWrite = (): void => {
    this._onWriteProgress();
  };

  /** @internal Built by the loop (createConnection) or a server, around a connected socket. */
  constructor(loop: BaseEventLoop, sock: Socket, protocol: AnyProtocol, server: ConnectionOwner | null = null) {
    super(loop, 'tcp', protocol, {
      peername: remoteAddressOf(sock),
      sockname: localAddressOf(sock),
      socket: sock,
    });
    this._sock = sock;
    this._server = server;
    this._virtual = loop.clock === 'virtual';
    sock.setNoDelay(true);
    sock.on('data', this._onData);
    sock.on('end', this._onEnd);
    sock.on('error', this._onError);
    sock.on('close', this._onClose);
    server?._attach(this);
    this._emitOpened(server === null ? {} : { serverId: server._id });
    this._scheduleConnectionMade();
  }

  /** Bytes Node holds that the kernel has not accepted yet. */
  getWriteBufferSize(): number {
    return this._sock.writableLength;
  }

  /** @internal */
  protected _writeIo(data: Uint8Array): void {
    if (this._osClosed) return;
    if (this._virtual) (this._loop as IoNoting)._noteIo?.();
    this._sock.write(data, this._afterWrite);
  }

  /** @internal Node's end() flushes what is buffered, then shuts down the write side. */
  protected _shutdownIo(): void {
    if (!this._osClosed) this._sock.end();
  }

  /** @internal */
  protected override _pauseIo(): void {
    this._sock.pause();
  }

  /** @internal */
  protected override _resumeIo(): void {
    this._sock.resume();
  }

  /** @internal abort() and fatal errors drop what Node still buffers: destroy the socket now. */
  protected override _discardBuffer(): void {
    this._sock.destroy();
  }

  /** @internal After connectionLost: close the socket and leave the server's count. */
  protected _closeIo(): void {
    this._sock.destroy();
    const server = this._server;
    this._server = null;
    server?._detach(this);
  }
}
