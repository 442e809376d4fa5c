/**
 * A listening TCP server (asyncio's `base_events.Server`): accepts connections into transports
 * paired with fresh protocols, and tracks them so that `waitClosed()` can wait for the last one
 * (asyncio 3.12+). One Node `net.Server` per listening address.
 */
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { BaseEventLoop } from '../core/base-events';
import { CancelledError, RuntimeError } from '../core/exceptions';
import { SHORT_REPR } from '../core/format';
import type { Future } from '../core/futures';
import type { SocketAddress } from '../core/os-errors';
import type { BaseProtocol, ProtocolFactory } from '../core/protocols';
import { addressLabel, type AnyProtocol } from '../core/transport-base';
import { TcpTransport } from './tcp-transport';

/** A listening socket as asyncio's `TransportSocket` shows it. */
export class TransportSocket {
  /** @internal */
  constructor(private readonly _server: NetServer) {}

  /** `[host, port]` the socket is bound to. */
  getsockname(): SocketAddress {
    const info = this._server.address() as AddressInfo | null;
    return info === null ? ['', 0] : [info.address, info.port];
  }

  /** The address family: `'IPv4'` or `'IPv6'`. */
  get family(): string {
    const info = this._server.address() as AddressInfo | null;
    return info?.family ?? 'IPv4';
  }

  /** asyncio-style rendering. */
  toString(): string {
    return `<TransportSocket laddr=${addressLabel(this.getsockname())}>`;
  }
}

function ignoreEarlyError(): void {}

function acceptConnection(server: Server, sock: Socket): void {
  server._accept(sock);
}
Object.defineProperty(acceptConnection, 'name', { value: '_acceptConnection' });

/** A TCP server as returned by `loop.createServer()` (asyncio's Server). */
export class Server {
  /** @internal */ readonly _loop: BaseEventLoop;
  /** @internal Stable id in events (from the loop's id counter). */ readonly _id: number;
  /** @internal */ readonly _protocolFactory: ProtocolFactory<BaseProtocol>;
  /** @internal */ readonly _netServers: NetServer[];
  /** @internal null once closed. */ _sockets: TransportSocket[] | null;
  /** @internal */ _serving = false;
  /** @internal */ readonly _clients = new Set<TcpTransport>();
  /** @internal null once woken up (closed and no connection left). */ _waiters: Future<void>[] | null = [];
  /** @internal */ _servingForeverFut: Future<void> | null = null;
  /** @internal Connections accepted before startServing(). */ _held: Socket[] = [];

  private readonly _onConnection = (sock: Socket): void => {
    if (this._loop._closed) {
      sock.destroy();
      return;
    }
    // Until the transport takes the socket over, an error (a reset) must not go unhandled.
    sock.on('error', ignoreEarlyError);
    this._loop.callSoon(acceptConnection, this, sock);
  };
  private readonly _onError = (err: Error): void => {
    if (this._loop._closed) return;
    this._loop.callExceptionHandler({ message: 'socket.accept() failed', exception: err, server: this });
  };

  /** @internal Built by `loop.createServer()` around servers that are already listening. */
  constructor(loop: BaseEventLoop, protocolFactory: ProtocolFactory<BaseProtocol>, netServers: NetServer[]) {
    this._loop = loop;
    this._id = loop._nextId++;
    this._protocolFactory = protocolFactory;
    this._netServers = netServers;
    this._sockets = netServers.map((s) => new TransportSocket(s));
    for (const s of netServers) {
      s.on('connection', this._onConnection);
      s.on('error', this._onError);
    }
    if (loop._sink !== null) {
      loop._emit({ type: 'server-listening', time: loop._eventTime(), serverId: this._id, sockets: this._sockets.map((t) => addressLabel(t.getsockname()) ?? '') });
    }
  }

  /** The loop this server runs on. */
  getLoop(): BaseEventLoop {
    return this._loop;
  }

  /** Whether the server accepts connections. */
  isServing(): boolean {
    return this._serving;
  }

  /** The listening sockets; empty once closed. */
  get sockets(): readonly TransportSocket[] {
    return this._sockets === null ? [] : [...this._sockets];
  }

  /**
   * Stops listening. Connections already accepted stay open (close them with `closeClients()`);
   * `waitClosed()` resolves once they are all gone.
   */
  close(): void {
    const sockets = this._sockets;
    if (sockets === null) return;
    this._sockets = null;
    (this._loop as { _servers?: Set<Server> })._servers?.delete(this);
    for (const s of this._netServers) {
      s.off('connection', this._onConnection);
      s.close();
    }
    for (const sock of this._held) sock.destroy();
    this._held = [];
    this._serving = false;
    const fut = this._servingForeverFut;
    if (fut !== null && !fut.done()) {
      fut.cancel();
      this._servingForeverFut = null;
    }
    if (this._loop._sink !== null) this._loop._emit({ type: 'server-closed', time: this._loop._eventTime(), serverId: this._id });
    if (this._clients.size === 0) this._wakeup();
  }

  /** Closes every accepted connection (asyncio 3.13's close_clients). */
  closeClients(): void {
    for (const t of [...this._clients]) t.close();
  }

  /** Aborts every accepted connection (asyncio 3.13's abort_clients). */
  abortClients(): void {
    for (const t of [...this._clients]) t.abort();
  }

  /** Starts accepting connections, if `createServer` was told not to (asyncio's start_serving). */
  startServing(): Future<void> {
    this._startServing();
    // asyncio skips one loop iteration here (`await sleep(0)`), so the caller resumes after it.
    const fut = this._loop.createFuture<void>();
    this._loop.callSoon(() => {
      if (!fut.done()) fut.setResult(undefined);
    });
    return fut;
  }

  /**
   * Accepts connections until cancelled; cancelling closes the server and waits for its
   * connections (asyncio's serve_forever).
   */
  async serveForever(): Promise<void> {
    if (this._servingForeverFut !== null) throw new RuntimeError(`server ${this} is already being awaited on serveForever()`);
    if (this._sockets === null) throw new RuntimeError(`server ${this} is closed`);
    this._startServing();
    const fut = this._loop.createFuture<void>();
    this._servingForeverFut = fut;
    try {
      await fut;
    } catch (exc) {
      if (exc instanceof CancelledError) {
        try {
          this.close();
          await this.waitClosed();
        } finally {
          // Re-raised after the cleanup, whatever it did, as asyncio's `finally: raise` does.
          // eslint-disable-next-line no-unsafe-finally
          throw exc;
        }
      }
      throw exc;
    } finally {
      this._servingForeverFut = null;
    }
  }

  /** Resolves once the server is closed and every connection it accepted is closed (asyncio 3.12+). */
  async waitClosed(): Promise<void> {
    if (this._waiters === null) return;
    const waiter = this._loop.createFuture<void>();
    this._waiters.push(waiter);
    await waiter;
  }

  /** @internal */
  _startServing(): void {
    if (this._serving || this._sockets === null) return;
    this._serving = true;
    const held = this._held;
    this._held = [];
    for (const sock of held) this._loop.callSoon(acceptConnection, this, sock);
  }

  /** @internal The `_acceptConnection` loop callback: a protocol and a transport for a new socket. */
  _accept(sock: Socket): void {
    sock.off('error', ignoreEarlyError);
    if (sock.destroyed) return; // reset before it could be served
    if (!this._serving) {
      sock.on('error', ignoreEarlyError);
      if (this._sockets === null) sock.destroy();
      else this._held.push(sock);
      return;
    }
    let protocol: BaseProtocol;
    try {
      protocol = this._protocolFactory();
    } catch (exc) {
      this._loop.callExceptionHandler({ message: 'Error on transport creation for incoming connection', exception: exc, socket: sock });
      sock.destroy();
      return;
    }
    new TcpTransport(this._loop, sock, protocol as AnyProtocol, this);
  }

  /** @internal */
  _attach(transport: TcpTransport): void {
    this._clients.add(transport);
  }

  /** @internal */
  _detach(transport: TcpTransport): void {
    this._clients.delete(transport);
    if (this._clients.size === 0 && this._sockets === null) this._wakeup();
  }

  /** @internal The loop was closed: stop listening without any callback. */
  _abandon(): void {
    if (this._sockets === null) return;
    this._sockets = null;
    this._serving = false;
    for (const s of this._netServers) s.close();
    for (const sock of this._held) sock.destroy();
    this._held = [];
  }

  private _wakeup(): void {
    const waiters = this._waiters;
    this._waiters = null;
    if (waiters === null) return;
    for (const w of waiters) if (!w.done()) w.setResult(undefined);
  }

  /** @internal */
  [SHORT_REPR](): string {
    return `Server#${this._id}`;
  }

  /** asyncio-style rendering: `<Server sockets=(127.0.0.1:8888)>`. */
  toString(): string {
    return `<Server sockets=(${this.sockets.map((s) => addressLabel(s.getsockname())).join(', ')})>`;
  }
}
